import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import {
  addDays,
  type CostDimension,
  type CostLine,
  type DayRange,
  inclusiveRange,
  presetRange,
} from '../../domain/customer-costs.ts';
import { invalid } from '../../domain/errors.ts';
import { csvCell } from '../../services/bills.ts';
import { type CustomerCostView, customerCosts } from '../../services/customer-costs.ts';
import { CostAnalysis, type CostGrouping, CostQueryString } from './cost-schemas.ts';

const tags = ['mitra: customer cost analysis'];

/** What each of the portal's tables groups by; subscriptions keep equal group names apart. */
const dimensionsOf: Record<CostGrouping, CostDimension[]> = {
  day: [],
  meter: ['meterCategory', 'meter'],
  resourceGroup: ['subscription', 'resourceGroup'],
  resource: ['subscription', 'resourceGroup', 'resource'],
  subscription: ['subscription'],
  location: ['location'],
};
const fieldOf: Record<CostDimension, string> = {
  subscription: 'subscriptionId',
  resourceGroup: 'resourceGroup',
  resource: 'resourceId',
  location: 'location',
  meterCategory: 'meterCategory',
  meter: 'meter',
};

function rangeOf(q: typeof CostQueryString.static, now: Date): DayRange {
  if (q.preset && (q.from || q.to))
    throw invalid('invalid-date-range', 'Give either preset or from and to, not both.');
  if (q.preset) return presetRange(q.preset, now);
  if (q.from || q.to) {
    if (!q.from || !q.to) throw invalid('invalid-date-range', 'Give both from and to (yyyy-mm-dd).');
    return inclusiveRange(q.from, q.to);
  }
  return presetRange('thisMonth', now);
}

const lineView = (l: CostLine) => ({
  ...(l.day ? { day: l.day } : {}),
  ...Object.fromEntries(Object.entries(l.keys).map(([k, v]) => [fieldOf[k as CostDimension], v])),
  quantity: l.quantity,
  cost: l.cost,
});

function costsCsv(view: CustomerCostView, groupBy: CostGrouping): string {
  const fields = [...(groupBy === 'day' ? ['day'] : []), ...dimensionsOf[groupBy].map((d) => fieldOf[d])];
  const header = [...fields, 'quantity', 'cost', 'currency', 'rate', 'rateDate'];
  const rate = [view.rate?.rate ?? '', view.rate?.date ?? ''];
  const lines = view.lines.map((l) => {
    const row = lineView(l) as Record<string, string>;
    return [...fields.map((f) => row[f] ?? ''), l.quantity, l.cost, view.currency, ...rate];
  });
  const total = [...fields.map((_, i) => (i === 0 ? 'Total' : '')), '', view.total, view.currency, ...rate];
  return `${[header, ...lines, total].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

const wantsCsv = (request: FastifyRequest, format?: 'json' | 'csv') =>
  format ? format === 'csv' : String(request.headers.accept ?? '').includes('text/csv');

/**
 * The customer portal's cost analysis (R17, R18): a customer user's own consumption at
 * pay-as-you-go retail, in the billing currency, at subscription or resource-group scope — over
 * the same service as ARM's Microsoft.CostManagement query. Partner users are not served here.
 */
export const myCostRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;

  app.get(
    '/my/costs',
    {
      config: { policy: 'customerSelf' },
      schema: {
        tags,
        summary:
          'Your cost analysis: consumption at pay-as-you-go retail in your billing currency, with the rate and its day (JSON, or CSV with format=csv / Accept: text/csv)',
        querystring: CostQueryString,
        response: { 200: Type.Union([CostAnalysis, Type.String({ description: 'text/csv' })]) },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const call = request.call();
      if (q.resourceGroup !== undefined && !q.subscriptionId)
        throw invalid('subscription-required', 'A resource-group scope needs its subscriptionId.');
      const groupBy = q.groupBy ?? 'day';
      const range = rangeOf(q, call.now ?? new Date());
      const view = await customerCosts(db, call, {
        range,
        subscription: q.subscriptionId ? { id: q.subscriptionId } : undefined,
        resourceGroup: q.resourceGroup,
        groupBy: dimensionsOf[groupBy],
        daily: groupBy === 'day',
      });
      const last = addDays(range.to, -1);
      if (wantsCsv(request, q.format)) {
        const scope = q.resourceGroup ? `-${q.resourceGroup}` : '';
        return reply
          .type('text/csv; charset=utf-8')
          .header(
            'Content-Disposition',
            `attachment; filename="costs${scope.replace(/[^\w.-]/g, '_')}-${range.from}-${last}-by-${groupBy}.csv"`,
          )
          .send(costsCsv(view, groupBy));
      }
      return {
        currency: view.currency,
        rate: view.rate,
        from: range.from,
        to: last,
        groupBy,
        subscriptions: view.subscriptions,
        resourceGroup: view.resourceGroup,
        total: view.total,
        rows: view.lines.map(lineView),
      };
    },
  );
};
