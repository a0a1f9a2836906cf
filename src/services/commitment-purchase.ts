import { createHash, randomUUID } from 'node:crypto';
import Big from 'big.js';
import type { Selectable } from 'kysely';
import type { Actor } from '../domain/actor.ts';
import { purchaseSchedule } from '../domain/billing.ts';
import {
  type BillingPlan,
  expiryOf,
  purchaseRefusal,
  resourceOfKind,
  type Term,
} from '../domain/commitments.ts';
import { conflict, forbidden, invalid, MitraError } from '../domain/errors.ts';
import { isUuid } from '../domain/ids.ts';
import { permissionSetOf } from '../domain/permissions.ts';
import { authorize } from '../domain/policies.ts';
import type { Db } from '../store/db.ts';
import type {
  AppliedScope,
  AppliedScopeType,
  CommitmentKind,
  CommitmentsTable,
  Customer,
  PurchaseApproval,
  SubscriptionRole,
} from '../store/schema.ts';
import { writeAudit } from './audit-log.ts';
import { type Call, inTransaction, nowOf } from './call.ts';
import { priceCommitment } from './commitment-pricing.ts';
import { commitmentRef, customerRef, emitEvent } from './events.ts';
import { guardPurchase, raiseThresholdAlert } from './guardrails.ts';
import { writeLedger } from './ledger.ts';
import { holdIfAboveThreshold, purchaseDeclined } from './purchase-approvals.ts';

/** A purchase as every dialect describes it once parsed: ARM PurchaseRequest, Mitra JSON, PC cart line. */
export interface CommitmentRequest {
  kind: CommitmentKind;
  /** The Azure subscription id (ARM billingScopeId) or Mitra's subscription id of the billing subscription. */
  billingSubscription: string;
  sku?: string;
  region?: string;
  hourlyCommitment?: string;
  term: Term;
  billingPlan: BillingPlan;
  quantity: number;
  displayName?: string;
  appliedScopeType: AppliedScopeType;
  appliedScope: AppliedScope;
  renew?: boolean;
  instanceFlexibility?: 'On' | 'Off';
}

const quoteLifetimeMs = 30 * 60 * 1000;

export function requestHash(r: CommitmentRequest): string {
  const canonical = JSON.stringify(r, Object.keys(r).sort());
  return createHash('sha256')
    .update(`${canonical}|${JSON.stringify(r.appliedScope)}`)
    .digest('hex');
}

/** One of the customer's subscriptions, by Mitra id, Azure id or `/subscriptions/{id}`; undefined otherwise. */
export async function customerSubscriptionOf(db: Db, customer: Customer, ref: string) {
  const key = ref.replace(/^\/subscriptions\//i, '').toLowerCase();
  if (!isUuid(key)) return undefined;
  return db
    .selectFrom('subscriptions')
    .selectAll()
    .where('customer_id', '=', customer.id)
    .where('partner_id', '=', customer.partner_id)
    .where((eb) => eb.or([eb('id', '=', key), eb('entitlement_id', '=', key)]))
    .executeTakeFirst();
}

/** The billing subscription as rule R6 sees it (null when not the customer's), named for the refusal. */
function billingSubscriptionFacts(
  subscription: Awaited<ReturnType<typeof customerSubscriptionOf>>,
  ref: string,
) {
  return {
    billingSubscription: subscription
      ? { id: subscription.id, productType: subscription.product_type, status: subscription.status }
      : null,
    billingSubscriptionName: subscription
      ? `${subscription.friendly_name} (${subscription.entitlement_id ?? subscription.id})`
      : ref,
  };
}

/** Gathers the facts of rule R6 and refuses with the first reason that applies. */
export async function checkMayBuy(db: Db, actor: Actor, customer: Customer, r: CommitmentRequest) {
  const subscription = await customerSubscriptionOf(db, customer, r.billingSubscription);
  const policy = await db
    .selectFrom('self_serve_policies')
    .select('permissions')
    .where('customer_id', '=', customer.id)
    .executeTakeFirst();
  let buyerRoles: SubscriptionRole[] | null = null;
  if (actor.kind === 'customer_user') {
    buyerRoles = subscription ? await rolesOn(db, subscription.id, actor.userId) : [];
  }
  const refusal = purchaseRefusal({
    kind: r.kind,
    // Partners buy for their customers without asking permission; customers need it (R6a).
    permissionEnabled:
      actor.kind !== 'customer_user' ||
      (policy ? permissionSetOf(policy.permissions)[resourceOfKind[r.kind]] : false),
    ...billingSubscriptionFacts(subscription, r.billingSubscription),
    buyerRoles,
    country: customer.country,
  });
  if (refusal) throw refusal;
  await checkAppliedScope(db, customer, r);
  return subscription!;
}

/** The subscription a Single or ResourceGroup scope names must be the customer's; `holdsRole` narrows it further. */
async function checkAppliedScope(
  db: Db,
  customer: Customer,
  r: CommitmentRequest,
  holdsRole: (subscriptionId: string) => Promise<boolean> = async () => true,
) {
  if (!r.appliedScope.subscriptionId) return;
  const target = await customerSubscriptionOf(db, customer, r.appliedScope.subscriptionId);
  if (!target || !(await holdsRole(target.id))) {
    throw invalid(
      'applied-scope-not-in-billing-context',
      'The applied scope names a subscription that is not one of yours; pick one of your Azure subscriptions.',
    );
  }
}

/** The roles a customer user holds on a subscription (R7). */
async function rolesOn(db: Db, subscriptionId: string, customerUserId: string): Promise<SubscriptionRole[]> {
  const rows = await db
    .selectFrom('role_assignments')
    .select('role')
    .where('subscription_id', '=', subscriptionId)
    .where('customer_user_id', '=', customerUserId)
    .execute();
  return rows.map((x) => x.role);
}

/**
 * What a what-if (B4) checks of a candidate: the purchase's own refusals about what is bought
 * (an eligible, active billing subscription of the customer's, the market, the scope), but not who
 * may buy it — exploring is not buying, so neither the customer permission nor the Owner role is
 * needed. A customer user must hold some role (Reader is enough) on the billing subscription and
 * on a subscription the scope names: one without is answered exactly like one that does not exist.
 */
export async function checkMayConsider(db: Db, actor: Actor, customer: Customer, r: CommitmentRequest) {
  const found = await customerSubscriptionOf(db, customer, r.billingSubscription);
  const seen = async (subscriptionId: string) =>
    actor.kind !== 'customer_user' || (await rolesOn(db, subscriptionId, actor.userId)).length > 0;
  const subscription = found && (await seen(found.id)) ? found : undefined;
  const refusal = purchaseRefusal({
    kind: r.kind,
    permissionEnabled: true,
    ...billingSubscriptionFacts(subscription, r.billingSubscription),
    buyerRoles: null,
    country: customer.country,
  });
  if (refusal) throw refusal;
  await checkAppliedScope(db, customer, r, seen);
}

/**
 * Who may ask for a price or buy at all: a customer user for their own tenant (R6 decides the
 * rest), or a partner user who may place orders for its customers (R20) — the same as the routes.
 */
function authorizeBuyer(actor: Actor) {
  authorize(actor, actor.kind === 'customer_user' ? 'customerSelf' : 'ordersCreate');
}

/** Prices a purchase after checking the buyer may make it (ARM calculatePrice, portal preview). */
export async function quoteCommitment(db: Db, call: Call, customer: Customer, r: CommitmentRequest) {
  authorizeBuyer(call.actor);
  await checkMayBuy(db, call.actor, customer, r);
  const price = await priceCommitment(db, customer, r, nowOf(call));
  const id = randomUUID();
  await db
    .insertInto('price_quotes')
    .values({
      id,
      kind: r.kind,
      customer_id: customer.id,
      principal: principalOf(call.actor),
      request: JSON.stringify({ ...r, hash: requestHash(r) }),
      price: JSON.stringify(price),
      expires_at: new Date(Date.now() + quoteLifetimeMs),
    })
    .execute();
  return { quoteId: id, price, expiresAt: new Date(Date.now() + quoteLifetimeMs) };
}

export function principalOf(actor: Actor): string {
  if (actor.kind === 'partner_user' || actor.kind === 'customer_user') return actor.email;
  if (actor.kind === 'application') return actor.applicationId;
  return 'system';
}

/**
 * Locks the customer row for a purchase. Exclusive (FOR NO KEY UPDATE, which leaves inserts that
 * reference the customer alone): a permission change or a guardrails change locks it too, so a
 * revoke either commits before this reads the permission (and the purchase is refused) or waits
 * until the purchase has committed; and two purchases of one customer take turns, so the month's
 * sum a monthly limit is checked against cannot change underneath (B2: two purchases racing for
 * the last of the allowance never both pass).
 */
export async function lockCustomerForPurchase(trx: Db, customer: Customer) {
  await trx.selectFrom('customers').select('id').where('id', '=', customer.id).forNoKeyUpdate().execute();
}

/**
 * The purchase itself, inside the caller's transaction, after `lockCustomerForPurchase`. A
 * customer user's purchase is checked against the customer's monthly limit (refused over it) and
 * raises the 80% alert when it reaches it; partners' purchases count but are never refused (B2).
 */
export async function executePurchase(
  trx: Db,
  call: Call,
  customer: Customer,
  r: CommitmentRequest,
  orderId: string,
  /** A cart checkout has already written the partner-center order and audits it itself. */
  fromCheckout?: { partnerOrderId?: string; at?: Date },
  /** An exchange's replacement keeps who bought the original (R10: bought by customer, exchanged by partner). */
  exchangeOf?: { id: string; boughtBy: 'partner' | 'customer'; boughtByPrincipal: string },
) {
  await lockCustomerForPurchase(trx, customer);
  const billing = await checkMayBuy(trx, call.actor, customer, r);
  const boughtBy = exchangeOf?.boughtBy ?? (call.actor.kind === 'customer_user' ? 'customer' : 'partner');
  // `at` backdates a purchase loaded from history (the demo's); live purchases happen now.
  const now = fromCheckout?.at ?? nowOf(call);
  // Priced at the moment of purchase: a price list change scheduled for later does not apply yet.
  const price = await priceCommitment(trx, customer, r, now);
  const guard = call.actor.kind === 'customer_user' ? await guardPurchase(trx, customer, price, now) : null;
  const id = randomUUID();
  const displayName =
    r.displayName?.trim() ||
    `${r.kind === 'reservation' ? `VM_RI_${r.sku}` : 'SavingsPlan'}_${now.toISOString().slice(0, 10)}`;
  // Reservations (by anyone) and partner-bought savings plans are orders in partner center's
  // order history; a customer's own savings plan is not (R10, R11).
  const visibleToPartnerCenter = r.kind === 'reservation' || boughtBy === 'partner';
  let orderRow = fromCheckout?.partnerOrderId ?? null;
  if (visibleToPartnerCenter && !orderRow) {
    orderRow = randomUUID();
    await trx
      .insertInto('orders')
      .values({
        id: orderRow,
        customer_id: customer.id,
        partner_id: customer.partner_id,
        billing_cycle: r.billingPlan === 'Upfront' ? 'one_time' : 'monthly',
        currency: price.currency,
        status: 'completed',
        transaction_type: 'UserPurchase',
        total_price: price.total,
        bought_by: boughtBy,
        created_by: principalOf(call.actor),
        created_at: now,
      })
      .execute();
    await trx
      .insertInto('order_line_items')
      .values({
        order_id: orderRow,
        line_item_number: 0,
        offer_id: price.catalogItemId,
        friendly_name: displayName,
        quantity: r.quantity,
        term_duration: r.term,
        billing_cycle: r.billingPlan === 'Upfront' ? 'one_time' : 'monthly',
        unit_price: price.unitPrice,
        subscription_id: billing.id,
        provisioning_context: JSON.stringify({
          subscriptionId: billing.entitlement_id ?? billing.id,
          scope: r.appliedScopeType === 'Shared' ? 'shared' : 'single',
        }),
      })
      .execute();
  }
  const commitment = await trx
    .insertInto('commitments')
    .values({
      id,
      order_id: orderId,
      kind: r.kind,
      customer_id: customer.id,
      partner_id: customer.partner_id,
      billing_subscription_id: billing.id,
      partner_order_id: orderRow,
      bought_by: boughtBy,
      bought_by_principal: exchangeOf?.boughtByPrincipal ?? principalOf(call.actor),
      exchanged_from: exchangeOf?.id ?? null,
      display_name: displayName,
      catalog_item_id: price.catalogItemId,
      sku: r.kind === 'reservation' ? r.sku! : 'Compute_Savings_Plan',
      region: r.region ?? null,
      reserved_resource_type: r.kind === 'reservation' ? 'VirtualMachines' : null,
      instance_flexibility: r.kind === 'reservation' ? (r.instanceFlexibility ?? 'On') : null,
      quantity: r.kind === 'reservation' ? r.quantity : 1,
      hourly_commitment: r.kind === 'savings_plan' ? price.units : null,
      term: r.term,
      billing_plan: r.billingPlan,
      applied_scope_type: r.appliedScopeType,
      applied_scope: JSON.stringify(r.appliedScope),
      renew: r.renew ?? false,
      status: 'Succeeded',
      currency: price.currency,
      unit_price: price.unitPrice,
      retail_unit_price: price.retailUnitPrice,
      total_price: price.total,
      purchased_at: now,
      expires_at: expiryOf(now, r.term),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await writeLedger(
    trx,
    call,
    customer,
    id,
    purchaseSchedule(r.billingPlan, r.term, price.unitPrice, price.units, now).map((e) => ({
      ...e,
      description: `${r.kind === 'reservation' ? 'Reservation' : 'Savings plan'} ${displayName} (${r.term}, ${r.billingPlan}) ${exchangeOf ? `bought by ${boughtBy}, exchanged by partner` : `bought by ${boughtBy}`}`,
    })),
    price.currency,
  );
  if (guard?.limit)
    await raiseThresholdAlert(
      trx,
      customer,
      now,
      new Big(guard.spent).plus(guard.value).toFixed(6),
      guard.limit,
    );
  if (!exchangeOf)
    await emitEvent(trx, {
      partnerId: customer.partner_id,
      customerId: customer.id,
      type: r.kind === 'reservation' ? 'customer.reservation.purchased' : 'customer.savingsplan.purchased',
      occurredAt: now,
      data: {
        customer: customerRef(customer),
        commitment: commitmentRef(commitment),
        orderId: orderRow,
        boughtBy,
        buyer: principalOf(call.actor),
      },
    });
  if (fromCheckout?.partnerOrderId) return commitment;
  await writeAudit(trx, call, {
    partnerId: customer.partner_id,
    customer: { id: customer.id, name: customer.company_name },
    resourceType: visibleToPartnerCenter ? 'order' : 'savings_plan',
    operationType: 'create_order',
    newValue: {
      orderId: orderRow,
      commitmentId: id,
      kind: r.kind,
      sku: commitment.sku,
      quantity: r.quantity,
      term: r.term,
      billingPlan: r.billingPlan,
      total: price.total,
      currency: price.currency,
      boughtBy,
      ...(exchangeOf ? { exchangedFrom: exchangeOf.id } : {}),
    },
    details: { boughtBy, kind: r.kind },
  });
  return commitment;
}

/** What a purchase request ends in: bought, or held for an Admin agent's approval (B2). */
export type PurchaseOutcome =
  | { kind: 'bought'; commitment: Commitment }
  | { kind: 'held'; approval: PurchaseApproval };

type Commitment = Selectable<CommitmentsTable>;

const heldNotBought = () =>
  conflict(
    'purchase-held-for-approval',
    'This purchase is held for approval; follow it with GET /api/my/approvals.',
  );

/** Partners' and tests' purchases: never held (guardrails apply to customer users only). */
const boughtOf = (o: PurchaseOutcome) => {
  if (o.kind === 'held') throw heldNotBought();
  return o.commitment;
};

/**
 * ARM's two-step purchase: PUT to the order id calculatePrice returned. Retries (and concurrent
 * duplicates) with the same id and body answer the one order; a different body is refused. A
 * customer's purchase above its approval threshold is held; retries answer the same approval.
 */
export async function buyFromQuote(
  db: Db,
  call: Call,
  customer: Customer,
  orderId: string,
  r: CommitmentRequest,
): Promise<PurchaseOutcome> {
  return inTransaction(db, async (trx) => {
    const quote = isUuid(orderId)
      ? await trx
          .selectFrom('price_quotes')
          .selectAll()
          .where('id', '=', orderId.toLowerCase())
          .where('customer_id', '=', customer.id)
          .forUpdate()
          .executeTakeFirst()
      : undefined;
    if (!quote) {
      throw invalid(
        'calculate-price-required',
        'Session timed out - Call CalculatePrice again and provide the new Reservation Order ID for purchase.',
      );
    }
    if ((quote.request as { hash?: string }).hash !== requestHash(r)) {
      throw conflict(
        'reservation-order-id-already-exists',
        'This reservation order id was priced for a different purchase; call CalculatePrice again for this one.',
      );
    }
    if (quote.used_by) {
      return {
        kind: 'bought',
        commitment: await trx
          .selectFrom('commitments')
          .selectAll()
          .where('id', '=', quote.used_by)
          .executeTakeFirstOrThrow(),
      };
    }
    const held = await trx
      .selectFrom('purchase_approvals')
      .selectAll()
      .where('quote_id', '=', quote.id)
      .executeTakeFirst();
    if (held) return { kind: 'held', approval: held };
    if (quote.expires_at < new Date()) {
      throw invalid(
        'calculate-price-required',
        'Session timed out - Call CalculatePrice again and provide the new Reservation Order ID for purchase.',
      );
    }
    const approval = await holdIfAboveThreshold(trx, call, customer, r, {
      orderId: quote.id,
      quoteId: quote.id,
    });
    if (approval) return { kind: 'held', approval };
    const commitment = await executePurchase(trx, call, customer, r, quote.id);
    await trx
      .updateTable('price_quotes')
      .set({ used_by: commitment.id })
      .where('id', '=', quote.id)
      .execute();
    return { kind: 'bought', commitment };
  });
}

export async function purchaseFromQuote(
  db: Db,
  call: Call,
  customer: Customer,
  orderId: string,
  r: CommitmentRequest,
) {
  return boughtOf(await buyFromQuote(db, call, customer, orderId, r));
}

/**
 * Mitra's purchase: idempotent by `Idempotency-Key` (Stripe's habit). The key row is claimed in the
 * purchase's own transaction, so concurrent duplicates queue on it and find the first's result. A
 * customer's purchase above its approval threshold is held: the key then remembers the approval,
 * so a retry answers the same approval (or, once approved, the commitment bought).
 */
export async function buyWithIdempotencyKey(
  db: Db,
  call: Call,
  customer: Customer,
  r: CommitmentRequest,
  key: string,
): Promise<PurchaseOutcome> {
  authorizeBuyer(call.actor);
  if (!key || key.length > 200)
    throw invalid(
      'idempotency-key-required',
      'Send an Idempotency-Key header (a new random value per purchase, reused only on retries).',
    );
  const scope = `purchase:${customer.id}`;
  const hash = requestHash(r);
  return inTransaction(db, async (trx) => {
    await trx
      .insertInto('idempotency_keys')
      .values({ scope, key, request_hash: hash, result: null })
      .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
      .execute();
    const claim = await trx
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('scope', '=', scope)
      .where('key', '=', key)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (claim.request_hash !== hash) {
      throw conflict(
        'idempotency-key-reused',
        'This Idempotency-Key was used for a different purchase; use a new key for a new purchase.',
      );
    }
    const result = claim.result as { commitmentId?: string; approvalId?: string } | null;
    if (result?.commitmentId) {
      return {
        kind: 'bought',
        commitment: await trx
          .selectFrom('commitments')
          .selectAll()
          .where('id', '=', result.commitmentId)
          .executeTakeFirstOrThrow(),
      };
    }
    if (result?.approvalId) {
      const approval = await trx
        .selectFrom('purchase_approvals')
        .selectAll()
        .where('id', '=', result.approvalId)
        .executeTakeFirstOrThrow();
      if (approval.status === 'declined') throw purchaseDeclined(approval.reason);
      return { kind: 'held', approval };
    }
    const orderId = randomUUID();
    const approval = await holdIfAboveThreshold(trx, call, customer, r, {
      orderId,
      idempotency: { scope, key },
    });
    if (approval) {
      await trx
        .updateTable('idempotency_keys')
        .set({ result: JSON.stringify({ approvalId: approval.id }) })
        .where('scope', '=', scope)
        .where('key', '=', key)
        .execute();
      return { kind: 'held', approval };
    }
    const commitment = await executePurchase(trx, call, customer, r, orderId);
    await trx
      .updateTable('idempotency_keys')
      .set({ result: JSON.stringify({ commitmentId: commitment.id }) })
      .where('scope', '=', scope)
      .where('key', '=', key)
      .execute();
    return { kind: 'bought', commitment };
  });
}

export async function purchaseWithIdempotencyKey(
  db: Db,
  call: Call,
  customer: Customer,
  r: CommitmentRequest,
  key: string,
) {
  return boughtOf(await buyWithIdempotencyKey(db, call, customer, r, key));
}

export const customersOnly = () =>
  forbidden(
    'customer-user-required',
    'Only customer users buy through this route; partners buy with carts (POST /v1/customers/{id}/carts).',
  );
export { MitraError };
