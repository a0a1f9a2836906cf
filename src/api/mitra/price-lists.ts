import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type TSchema, Type } from '@sinclair/typebox';
import {
  getPriceList,
  type PriceListRead,
  type PriceListScope,
  previewPriceList,
  savePriceList,
  setPriceListSettings,
  type VersionView,
} from '../../services/price-lists.ts';

const tags = ['mitra: price lists'];
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const Percent = Type.String({
  maxLength: 20,
  description: 'Percent on retail, at most two decimals: "10" is 10 % above retail, "-5" a 5 % discount.',
});
const Markups = Type.Object(
  { usage: Percent, reservations: Percent, savingsPlans: Percent, licences: Percent },
  { additionalProperties: false },
);
const Override = Type.Object(
  {
    catalogItemId: Type.String({ minLength: 1, maxLength: 200 }),
    termDuration: Type.Optional(Type.String({ maxLength: 20 })),
    billingPlan: Type.Optional(
      Type.String({ maxLength: 20, description: 'upfront | monthly | usage | license_monthly' }),
    ),
    unitPrice: Type.Optional(
      Type.String({ maxLength: 30, description: 'A fixed unit price (six decimals at most)' }),
    ),
    markupPercent: Type.Optional(Percent),
  },
  { additionalProperties: false },
);
const PriceListBody = Type.Object(
  {
    markups: Markups,
    overrides: Type.Optional(Type.Array(Override, { maxItems: 5000 })),
    effectiveFrom: Type.Optional(
      Nullable(
        Type.String({
          maxLength: 40,
          description:
            'A date (from 00:00 UTC) or a date-time with its zone, in the future; absent: takes effect at once.',
        }),
      ),
    ),
  },
  { additionalProperties: false },
);

const Version = Type.Object({
  id: Type.String(),
  effectiveFrom: Type.String({ format: 'date-time' }),
  status: Type.Union([Type.Literal('current'), Type.Literal('scheduled'), Type.Literal('past')]),
  markups: Markups,
  overrides: Type.Array(Override),
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});
const PriceRow = Type.Object({
  catalogItemId: Type.String(),
  productTitle: Type.String(),
  skuTitle: Type.String(),
  kind: Type.String({ description: 'usage | reservations | savingsPlans | licences' }),
  termDuration: Type.String(),
  billingPlan: Type.String(),
  unit: Type.String(),
  retailUnitPrice: Type.String(),
  unitPrice: Type.String({ description: 'What the customer is charged' }),
  basis: Type.String({ description: 'retail | markup | override-markup | override-price' }),
  markupPercent: Nullable(Type.String()),
  costUnitPrice: Nullable(Type.String({ description: 'Your own cost, from your imported price sheet' })),
  margin: Nullable(Type.String()),
  marginPercent: Nullable(Type.String()),
});
const PriceListView = Type.Object({
  scope: Type.Union([Type.Literal('customer'), Type.Literal('default')]),
  customerId: Nullable(Type.String()),
  source: Type.Union([Type.Literal('customer'), Type.Literal('default'), Type.Literal('retail')]),
  current: Nullable(Version),
  fallback: Nullable(Version),
  scheduled: Type.Array(Version),
  history: Type.Array(Version),
  currency: Type.String(),
  showRetailToCustomers: Type.Boolean(),
  canEdit: Type.Boolean(),
  prices: Type.Array(PriceRow),
});
const Preview = Type.Object({
  effectiveFrom: Type.String({ format: 'date-time' }),
  currency: Type.String(),
  prices: Type.Array(PriceRow),
});
const Settings = Type.Object({ showRetailToCustomers: Type.Boolean() }, { additionalProperties: false });
// One params schema for both paths: the default list's path simply has no id.
const ScopeParams = Type.Object({ id: Type.Optional(Type.String()) });

const versionView = (v: VersionView) => ({
  id: v.id,
  effectiveFrom: v.effectiveFrom.toISOString(),
  status: v.status,
  markups: v.markups,
  overrides: v.overrides,
  createdBy: v.createdBy,
  createdAt: v.createdAt.toISOString(),
});

function listView(p: PriceListRead) {
  return {
    scope: p.customer ? ('customer' as const) : ('default' as const),
    customerId: p.customer?.id ?? null,
    source: p.source,
    current: p.current && versionView(p.current),
    fallback: p.fallback && versionView(p.fallback),
    scheduled: p.scheduled.map(versionView),
    history: p.history.map(versionView),
    currency: p.currency,
    showRetailToCustomers: p.showRetailToCustomers,
    canEdit: p.canEdit,
    prices: p.prices,
  };
}

/**
 * Price lists (B9): a customer's own (`/customers/{id}/price-list`) and the partner's default
 * (`/price-list/default`), read, previewed and saved as new versions; and the partner's setting on
 * showing retail to customers. Admin agents save; Sales and Helpdesk agents read, and their
 * attempts to save are refused and recorded.
 */
export const priceListRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;
  const scopes: [string, string, (params: { id?: string }) => PriceListScope][] = [
    ['/customers/:id/price-list', "a customer's", (params) => ({ customerId: params.id ?? '' })],
    ['/price-list/default', 'your default', () => 'default'],
  ];

  for (const [path, whose, scopeOf] of scopes) {
    const params = ScopeParams;
    app.get(
      path,
      {
        config: { policy: 'partnerRead' },
        schema: {
          tags,
          summary: `Read ${whose} price list: version in effect, scheduled versions, resolved prices with cost and margin`,
          params,
          response: { 200: PriceListView },
        },
      },
      async (request) => listView(await getPriceList(db, request.call(), scopeOf(request.params))),
    );

    app.put(
      path,
      {
        config: { policy: 'priceListsAttempt' },
        schema: {
          tags,
          summary: `Save a new version of ${whose} price list (Admin agents; effective at once or from effectiveFrom)`,
          params,
          body: PriceListBody,
          response: { 200: Version },
        },
      },
      async (request) =>
        versionView(await savePriceList(db, request.call(), scopeOf(request.params), request.body)),
    );

    app.post(
      `${path}/preview`,
      {
        config: { policy: 'partnerRead' },
        schema: {
          tags,
          summary: `What a draft of ${whose} price list would charge, without saving it`,
          params,
          body: PriceListBody,
          response: { 200: Preview },
        },
      },
      async (request) => {
        const preview = await previewPriceList(db, request.call(), scopeOf(request.params), request.body);
        return { ...preview, effectiveFrom: preview.effectiveFrom.toISOString() };
      },
    );
  }

  app.put(
    '/price-list/settings',
    {
      config: { policy: 'priceListsAttempt' },
      schema: {
        tags,
        summary: 'Whether your customers see the retail price beside theirs (Admin agents)',
        body: Settings,
        response: { 200: Settings },
      },
    },
    async (request) => setPriceListSettings(db, request.call(), request.body),
  );
};
