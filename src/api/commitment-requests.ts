import { Type } from '@sinclair/typebox';
import { parseAppliedScope, parseBillingPlan, parseTerm } from '../domain/commitments.ts';
import { invalid } from '../domain/errors.ts';
import type { CommitmentRequest } from '../services/commitment-purchase.ts';
import type { Commitment } from '../services/commitments.ts';
import type { CommitmentKind } from '../store/schema.ts';

export const AppliedScopeBody = Type.Object({
  subscriptionId: Type.Optional(Type.String()),
  resourceGroup: Type.Optional(Type.String()),
  managementGroupId: Type.Optional(Type.String()),
});

/** Mitra's JSON shape of a purchase (portal and scripts). */
export const CommitmentBody = Type.Object({
  billingSubscriptionId: Type.String({ minLength: 1 }),
  sku: Type.Optional(Type.String()),
  region: Type.Optional(Type.String()),
  hourlyCommitment: Type.Optional(Type.String()),
  term: Type.String(),
  billingPlan: Type.String(),
  quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  displayName: Type.Optional(Type.String({ maxLength: 100 })),
  appliedScopeType: Type.Optional(Type.String()),
  appliedScope: Type.Optional(AppliedScopeBody),
  renew: Type.Optional(Type.Boolean()),
  instanceFlexibility: Type.Optional(Type.Union([Type.Literal('On'), Type.Literal('Off')])),
});
export type CommitmentBody = typeof CommitmentBody.static;

export function commitmentRequestOf(kind: CommitmentKind, b: CommitmentBody): CommitmentRequest {
  const scope = parseAppliedScope(b.appliedScopeType ?? 'Shared', b.appliedScope ?? {});
  if (kind === 'reservation' && (!b.sku || !b.region))
    throw invalid('sku-required', 'A reservation needs sku (VM size, e.g. Standard_D2s_v3) and region.');
  if (kind === 'savings_plan' && !b.hourlyCommitment)
    throw invalid(
      'commitment-required',
      'A savings plan needs hourlyCommitment, the amount per hour (e.g. "1.50").',
    );
  return {
    kind,
    billingSubscription: b.billingSubscriptionId,
    sku: kind === 'reservation' ? b.sku : undefined,
    region: kind === 'reservation' ? b.region : undefined,
    hourlyCommitment: kind === 'savings_plan' ? b.hourlyCommitment : undefined,
    term: parseTerm(b.term),
    billingPlan: parseBillingPlan(b.billingPlan),
    quantity: kind === 'reservation' ? (b.quantity ?? 1) : 1,
    displayName: b.displayName,
    appliedScopeType: scope.type,
    appliedScope: scope.scope,
    renew: b.renew,
    instanceFlexibility: b.instanceFlexibility,
  };
}

const iso = (d: Date | string) => new Date(d).toISOString();

export function commitmentView(c: Commitment) {
  return {
    id: c.id,
    orderId: c.order_id,
    // The partner-center order in the order history (null for a customer's own savings plan).
    partnerOrderId: c.partner_order_id,
    kind: c.kind,
    displayName: c.display_name,
    sku: c.sku,
    region: c.region,
    quantity: c.quantity,
    hourlyCommitment: c.hourly_commitment,
    term: c.term,
    billingPlan: c.billing_plan,
    appliedScopeType: c.applied_scope_type,
    appliedScope: c.applied_scope,
    instanceFlexibility: c.instance_flexibility,
    renew: c.renew,
    status: c.status,
    boughtBy: c.bought_by,
    boughtByPrincipal: c.bought_by_principal,
    billingSubscriptionId: c.billing_subscription_id,
    currency: c.currency,
    unitPrice: c.unit_price,
    retailUnitPrice: c.retail_unit_price,
    totalPrice: c.total_price,
    purchasedAt: iso(c.purchased_at),
    expiresAt: iso(c.expires_at),
    exchangedInto: c.exchanged_into,
    exchangedFrom: c.exchanged_from,
    // A replacement is exchanged by the partner; the returned one records who did it.
    exchangedBy: c.exchanged_from ? 'partner' : c.exchanged_by_principal ? 'partner' : null,
    exchangedByPrincipal: c.exchanged_by_principal,
  };
}
