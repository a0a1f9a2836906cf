import { type Static, type TSchema, Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { guardrailsOf, setGuardrails } from '../../services/guardrails.ts';
import {
  approvePurchase,
  confirmApprovalPrice,
  declinePurchase,
  getApproval,
  listApprovals,
  myApprovals,
} from '../../services/purchase-approvals.ts';
import { ErrorAnswer } from './account-schemas.ts';

const tags = ['mitra: guardrails and approvals'];
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Id = Type.Object({ id: Type.String() });
const errors = { 400: ErrorAnswer, 403: ErrorAnswer, 404: ErrorAnswer, 409: ErrorAnswer };

const Money = Type.Object({
  amount: Type.String({ description: 'Decimal string, e.g. "5000.00"' }),
  currency: Type.String({ description: 'ISO 4217, e.g. USD' }),
});
const MoneyInput = Type.Object(
  {
    amount: Type.String({
      minLength: 1,
      maxLength: 30,
      description: 'A positive decimal, at most two decimals',
    }),
    currency: Type.String({ minLength: 1, maxLength: 10, description: 'ISO 4217' }),
  },
  { additionalProperties: false },
);

const GuardrailsBody = Type.Object(
  {
    monthlyLimit: Nullable(MoneyInput),
    approvalThreshold: Nullable(MoneyInput),
  },
  { additionalProperties: false },
);

export const GuardrailsView = Type.Object({
  monthlyLimit: Nullable(Money),
  approvalThreshold: Nullable(Money),
  changedAt: Nullable(Type.String({ format: 'date-time' })),
  changedBy: Nullable(Type.String()),
  month: Type.String({ description: 'The UTC calendar month counted, yyyy-mm' }),
  billingCurrency: Type.String(),
  spent: Type.Object(Money.properties, { description: 'Commitments bought this month, billing currency' }),
  limitInBillingCurrency: Nullable(Money),
  remaining: Nullable(Type.Object(Money.properties, { description: 'What may still be bought this month' })),
});

export const ApprovalView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  customer: Type.Object({ id: Type.String(), name: Type.String() }),
  kind: Type.Union([Type.Literal('reservation'), Type.Literal('savingsPlan')]),
  status: Type.Union([
    Type.Literal('pending'),
    Type.Literal('approved'),
    Type.Literal('declined'),
    Type.Literal('price-changed'),
  ]),
  displayName: Nullable(Type.String()),
  sku: Nullable(Type.String()),
  region: Nullable(Type.String()),
  quantity: Type.Integer(),
  hourlyCommitment: Nullable(Type.String()),
  term: Type.String(),
  billingPlan: Type.String(),
  billingSubscriptionId: Type.String(),
  appliedScopeType: Type.String(),
  unitPrice: Type.String(),
  total: Type.String({ description: 'Total for the term at the price the customer accepted' }),
  currency: Type.String(),
  threshold: Money,
  orderId: Type.String({ description: 'The order id the purchase gets when bought' }),
  requestedBy: Type.String(),
  requestedAt: Type.String({ format: 'date-time' }),
  decidedBy: Nullable(Type.String()),
  decidedAt: Nullable(Type.String({ format: 'date-time' })),
  reason: Nullable(Type.String()),
  newPrice: Nullable(
    Type.Object(
      { total: Type.String(), unitPrice: Type.String(), currency: Type.String() },
      { description: 'When the price moved: the price to confirm' },
    ),
  ),
  commitmentId: Nullable(Type.String({ description: 'The commitment bought, once approved' })),
});
export type ApprovalViewType = Static<typeof ApprovalView>;

/**
 * Spend guardrails and purchase approvals (B2). Any partner user reads a customer's guardrails and
 * the approvals; Admin agents set guardrails (others refused and recorded) and decide. Customer
 * users follow their own held purchases and confirm a moved price.
 */
export async function guardrailRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.deps;

  app.get(
    '/customers/:id/guardrails',
    {
      config: { policy: 'partnerRead' },
      schema: {
        tags,
        summary:
          "A customer's monthly limit and approval threshold, with this month's spending and what remains",
        params: Id,
        response: { 200: GuardrailsView, ...errors },
      },
    },
    async (request) => guardrailsOf(db, request.call(), request.params.id),
  );

  app.put(
    '/customers/:id/guardrails',
    {
      config: { policy: 'guardrailsAttempt' },
      schema: {
        tags,
        summary:
          "Set the customer's monthly limit and approval threshold (null clears one; Admin agents; refusals are recorded)",
        params: Id,
        body: GuardrailsBody,
        response: { 200: GuardrailsView, ...errors },
      },
    },
    async (request) => setGuardrails(db, request.call(), request.params.id, request.body),
  );

  app.get(
    '/approvals',
    {
      config: { policy: 'partnerRead' },
      schema: {
        tags,
        summary:
          "Customers' purchases held for approval, newest first (status=pending for the ones to decide)",
        querystring: Type.Object({
          status: Type.Optional(Type.String({ description: 'pending, approved, declined or price-changed' })),
          customerId: Type.Optional(Type.String()),
        }),
        response: { 200: Type.Object({ items: Type.Array(ApprovalView) }), ...errors },
      },
    },
    async (request) => ({ items: await listApprovals(db, request.call(), request.query) }),
  );

  app.get(
    '/approvals/:id',
    {
      config: { policy: 'partnerRead' },
      schema: { tags, summary: 'One held purchase', params: Id, response: { 200: ApprovalView, ...errors } },
    },
    async (request) => getApproval(db, request.call(), request.params.id),
  );

  app.post(
    '/approvals/:id/approve',
    {
      config: { policy: 'approvalsDecide' },
      schema: {
        tags,
        summary:
          'Approve: buys it now as the customer, under the usual checks, at the accepted price (409 approval-price-changed with the new quote when it moved)',
        params: Id,
        response: { 200: ApprovalView, ...errors },
      },
    },
    async (request) => approvePurchase(db, request.call(), request.params.id),
  );

  app.post(
    '/approvals/:id/decline',
    {
      config: { policy: 'approvalsDecide' },
      schema: {
        tags,
        summary: 'Decline, with the reason the customer is shown',
        params: Id,
        body: Type.Object({ reason: Type.String({ maxLength: 500 }) }, { additionalProperties: false }),
        response: { 200: ApprovalView, ...errors },
      },
    },
    async (request) => declinePurchase(db, request.call(), request.params.id, request.body.reason),
  );

  app.get(
    '/my/approvals',
    {
      config: { policy: 'customerSelf' },
      schema: {
        tags,
        summary: 'Your purchases held for your partner’s approval, newest first',
        response: { 200: Type.Object({ items: Type.Array(ApprovalView) }), ...errors },
      },
    },
    async (request) => ({ items: await myApprovals(db, request.call()) }),
  );

  app.get(
    '/my/approvals/:id',
    {
      config: { policy: 'customerSelf' },
      schema: {
        tags,
        summary: 'One of your held purchases',
        params: Id,
        response: { 200: ApprovalView, ...errors },
      },
    },
    async (request) => getApproval(db, request.call(), request.params.id),
  );

  app.post(
    '/my/approvals/:id/confirm',
    {
      config: { policy: 'customerSelf' },
      schema: {
        tags,
        summary:
          'After the price moved: accept the new total (newPrice.total) and send the purchase for approval again',
        params: Id,
        body: Type.Object(
          { total: Type.String({ minLength: 1, maxLength: 30 }) },
          { additionalProperties: false },
        ),
        response: { 200: ApprovalView, ...errors },
      },
    },
    async (request) => confirmApprovalPrice(db, request.call(), request.params.id, request.body.total),
  );
}
