import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { type EventType, eventLabels } from '../../domain/events.ts';

/**
 * The events' wire shapes (B1, B11), once: what a webhook receiver gets (`{ type, timestamp, data }`),
 * what the feed shows, and the OpenAPI document's `webhooks` section. Emitters
 * (src/services/events.ts callers) build exactly these `data` objects; test/events/payloads.test.ts
 * checks each emitted event against its schema.
 */

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Money = Type.Object({
  amount: Type.String({ description: 'Decimal string in the currency' }),
  currency: Type.String({ description: 'ISO 4217' }),
});

export const CustomerRef = Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String() });

export const CommitmentRef = Type.Object({
  id: Type.String({ format: 'uuid' }),
  kind: Type.Union([Type.Literal('reservation'), Type.Literal('savingsPlan')]),
  displayName: Type.String(),
  sku: Type.String(),
  region: Nullable(Type.String()),
  quantity: Type.Integer(),
  hourlyCommitment: Nullable(Type.String({ description: 'Savings plans: the hourly commitment' })),
  term: Type.String({ description: 'P1Y, P3Y or P5Y' }),
  billingPlan: Type.String({ description: 'Upfront or Monthly' }),
  total: Type.String({ description: 'Total for the term at the customer price' }),
  currency: Type.String(),
  boughtBy: Type.Union([Type.Literal('customer'), Type.Literal('partner')]),
  purchasedAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
  renew: Type.Boolean(),
});

/** A purchase held for approval (B2), as the customer asked for it, at the price it accepted. */
export const ApprovalRef = Type.Object({
  id: Type.String({ format: 'uuid' }),
  kind: Type.Union([Type.Literal('reservation'), Type.Literal('savingsPlan')]),
  displayName: Nullable(Type.String()),
  sku: Nullable(Type.String()),
  region: Nullable(Type.String()),
  quantity: Type.Integer(),
  hourlyCommitment: Nullable(Type.String()),
  term: Type.String(),
  billingPlan: Type.String(),
  total: Type.String({ description: 'Total for the term at the customer price the customer accepted' }),
  currency: Type.String(),
  requestedBy: Type.String({ description: 'The customer user who asked' }),
  requestedAt: Type.String({ format: 'date-time' }),
});

const Purchased = Type.Object({
  customer: CustomerRef,
  commitment: CommitmentRef,
  orderId: Nullable(
    Type.String({ description: "The partner-center order; null for a customer's own savings plan" }),
  ),
  boughtBy: Type.Union([Type.Literal('customer'), Type.Literal('partner')]),
  buyer: Type.String({ description: 'Who bought it: a user principal name or an application id' }),
});

const PermissionChanged = Type.Object({
  customer: CustomerRef,
  permission: Type.Union([Type.Literal('AzureReservedInstances'), Type.Literal('AzureSavingsPlan')]),
  changedBy: Nullable(Type.String()),
});

export const eventData = {
  'customer.reservation.purchased': Purchased,
  'customer.savingsplan.purchased': Purchased,
  'customer.permission.enabled': PermissionChanged,
  'customer.permission.disabled': PermissionChanged,
  'purchase.approval.requested': Type.Object({
    customer: CustomerRef,
    approval: ApprovalRef,
    threshold: Money,
  }),
  'purchase.approval.decided': Type.Object({
    customer: CustomerRef,
    approval: ApprovalRef,
    decision: Type.Union([Type.Literal('approved'), Type.Literal('declined')]),
    reason: Nullable(Type.String()),
    decidedBy: Type.String(),
    commitmentId: Nullable(Type.String({ description: 'The commitment bought, when approved' })),
  }),
  'guardrail.threshold.reached': Type.Object({
    customer: CustomerRef,
    month: Type.String({ description: 'yyyy-mm, the calendar month counted (UTC)' }),
    limit: Money,
    spent: Money,
    percent: Type.Number({ description: 'Spent as a percentage of the limit' }),
  }),
  'commitment.refunded': Type.Object({
    customer: CustomerRef,
    commitment: CommitmentRef,
    refund: Type.Object({ amount: Type.String(), currency: Type.String(), reason: Nullable(Type.String()) }),
    refundedBy: Type.String(),
  }),
  'commitment.exchanged': Type.Object({
    customer: CustomerRef,
    returned: CommitmentRef,
    created: CommitmentRef,
    credit: Type.String(),
    newTotal: Type.String(),
    netPayable: Type.String(),
    currency: Type.String(),
    exchangedBy: Type.String(),
  }),
  'commitment.expiring': Type.Object({
    customer: CustomerRef,
    commitment: CommitmentRef,
    daysLeft: Type.Integer({ description: '30 or 7: which warning this is' }),
    renew: Type.Boolean({ description: 'Whether it renews by itself at expiry' }),
  }),
  'commitment.underutilized': Type.Object({
    customer: CustomerRef,
    commitment: CommitmentRef,
    utilizationPercent: Type.Number(),
    thresholdPercent: Type.Number(),
    windowDays: Type.Integer(),
    from: Type.String({ format: 'date', description: 'First day of the window' }),
    to: Type.String({ format: 'date', description: 'Last day of the window, inclusive' }),
  }),
} satisfies Record<EventType, TSchema>;

export type EventData<T extends EventType> = Static<(typeof eventData)[T]>;

/** What a webhook receiver is sent: Standard Webhooks' `{ type, timestamp, data }`. */
export const webhookPayload = (type: EventType) =>
  Type.Object(
    {
      type: Type.Literal(type),
      timestamp: Type.String({ format: 'date-time' }),
      data: eventData[type],
    },
    { title: type, description: eventLabels[type] },
  );
