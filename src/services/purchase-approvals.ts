import { randomUUID } from 'node:crypto';
import Big from 'big.js';
import type { Actor } from '../domain/actor.ts';
import { conflict, invalid, MitraError, notFound } from '../domain/errors.ts';
import { needsApproval } from '../domain/guardrails.ts';
import { isUuid } from '../domain/ids.ts';
import { authorize } from '../domain/policies.ts';
import type { Db } from '../store/db.ts';
import type { ApprovalStatus, Customer, PurchaseApproval } from '../store/schema.ts';
import { writeAudit } from './audit-log.ts';
import { type Call, inTransaction, nowOf } from './call.ts';
import { type PricedCommitment, priceCommitment } from './commitment-pricing.ts';
import {
  type CommitmentRequest,
  checkMayBuy,
  executePurchase,
  lockCustomerForPurchase,
  principalOf,
  requestHash,
} from './commitment-purchase.ts';
import { findOwnCustomer } from './customers.ts';
import { customerRef, emitEvent } from './events.ts';
import { guardPurchase } from './guardrails.ts';

/**
 * Purchases held for approval (B2). A customer user's purchase worth more than the customer's
 * approval threshold is not bought: it is recorded here at the price the customer accepted and
 * an Admin agent approves or declines it. Approving buys it then, as the customer, under every
 * usual check at that moment (permission still on, Owner still Owner, monthly limit still
 * allowing it) and at the accepted price: when the price has moved, the approval is refused
 * with the new price and the customer confirms again (`confirmApprovalPrice`).
 */

export const purchaseDeclined = (reason: string | null) =>
  new MitraError(
    'conflict',
    'purchase-declined',
    `Your partner declined this purchase${reason ? `: ${reason}` : ''}. Ask your partner, or make a different purchase.`,
  );

const approvalNotFound = (id: string) =>
  notFound(
    'approval-not-found',
    `No purchase approval ${id} exists among yours; list them with GET /api/approvals.`,
  );

/** How events name a held purchase (event-schemas.ts ApprovalRef). */
export function approvalRef(a: PurchaseApproval) {
  const r = a.request as unknown as CommitmentRequest;
  const price = a.price as unknown as PricedCommitment;
  return {
    id: a.id,
    kind: a.kind === 'reservation' ? ('reservation' as const) : ('savingsPlan' as const),
    displayName: r.displayName?.trim() || null,
    sku: a.kind === 'reservation' ? (r.sku ?? null) : 'Compute_Savings_Plan',
    region: r.region ?? null,
    quantity: a.kind === 'reservation' ? r.quantity : 1,
    hourlyCommitment: a.kind === 'savings_plan' ? price.units : null,
    term: r.term,
    billingPlan: r.billingPlan,
    total: price.total,
    currency: price.currency,
    requestedBy: a.requested_by,
    requestedAt: new Date(a.requested_at).toISOString(),
  };
}

/** An approval as the Mitra API shows it (partners and the customer alike). */
export function approvalView(a: PurchaseApproval & { customer_name?: string }) {
  const r = a.request as unknown as CommitmentRequest;
  const price = a.price as unknown as PricedCommitment;
  const next = a.new_price as unknown as PricedCommitment | null;
  return {
    ...approvalRef(a),
    customer: { id: a.customer_id, name: a.customer_name ?? '' },
    status: a.status,
    billingSubscriptionId: r.billingSubscription,
    appliedScopeType: r.appliedScopeType,
    unitPrice: price.unitPrice,
    threshold: { amount: new Big(a.threshold_amount).toFixed(2), currency: a.threshold_currency },
    orderId: a.order_id,
    decidedBy: a.decided_by,
    decidedAt: a.decided_at ? new Date(a.decided_at).toISOString() : null,
    reason: a.reason,
    newPrice: next ? { total: next.total, unitPrice: next.unitPrice, currency: next.currency } : null,
    commitmentId: a.commitment_id,
  };
}
export type ApprovalView = ReturnType<typeof approvalView>;

/**
 * Inside a customer user's purchase transaction, before anything is bought: when the purchase is
 * worth more than the approval threshold, holds it (an approval row, `purchase.approval.requested`,
 * an activity record) and answers the approval; otherwise null and the caller buys. The usual
 * checks come first, so a purchase that would be refused (no permission, not Owner, over the
 * monthly limit) is refused, not held.
 */
export async function holdIfAboveThreshold(
  trx: Db,
  call: Call,
  customer: Customer,
  r: CommitmentRequest,
  where: { orderId: string; quoteId?: string; idempotency?: { scope: string; key: string } },
): Promise<PurchaseApproval | null> {
  if (call.actor.kind !== 'customer_user') return null;
  // Most customers have no threshold: nothing to hold, and the purchase checks everything itself.
  const set = await trx
    .selectFrom('customer_guardrails')
    .select('approval_threshold_amount')
    .where('customer_id', '=', customer.id)
    .executeTakeFirst();
  if (!set?.approval_threshold_amount) return null;
  await lockCustomerForPurchase(trx, customer);
  await checkMayBuy(trx, call.actor, customer, r);
  const now = nowOf(call);
  const price = await priceCommitment(trx, customer, r, now);
  const guard = await guardPurchase(trx, customer, price, now);
  if (!guard?.threshold || !needsApproval(guard.threshold, guard.value)) return null;
  const approval = await trx
    .insertInto('purchase_approvals')
    .values({
      id: randomUUID(),
      partner_id: customer.partner_id,
      customer_id: customer.id,
      kind: r.kind,
      request: JSON.stringify(r),
      request_hash: requestHash(r),
      order_id: where.orderId,
      quote_id: where.quoteId ?? null,
      idempotency_scope: where.idempotency?.scope ?? null,
      idempotency_key: where.idempotency?.key ?? null,
      price: JSON.stringify(price),
      total: price.total,
      currency: price.currency,
      threshold_amount: guard.thresholdAsSet!.amount,
      threshold_currency: guard.thresholdAsSet!.currency,
      requested_by: call.actor.email,
      requested_by_user_id: call.actor.userId,
      requested_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await announceRequest(trx, call, customer, approval, now, 'request_purchase_approval');
  return approval;
}

async function announceRequest(
  trx: Db,
  call: Call,
  customer: Customer,
  approval: PurchaseApproval,
  now: Date,
  operation: 'request_purchase_approval' | 'confirm_purchase_price',
) {
  await emitEvent(trx, {
    partnerId: customer.partner_id,
    customerId: customer.id,
    type: 'purchase.approval.requested',
    occurredAt: now,
    data: {
      customer: customerRef(customer),
      approval: approvalRef(approval),
      threshold: {
        amount: new Big(approval.threshold_amount).toFixed(2),
        currency: approval.threshold_currency,
      },
    },
  });
  await writeAudit(trx, call, {
    partnerId: customer.partner_id,
    customer: { id: customer.id, name: customer.company_name },
    resourceType: 'purchase_approval',
    operationType: operation,
    newValue: approvalView(approval),
    details: { approvalId: approval.id, kind: approval.kind },
  });
}

const statuses: ApprovalStatus[] = ['pending', 'approved', 'declined', 'price-changed'];

/** The partner's approvals, newest first, optionally of one status (Admin, Sales and Helpdesk agents read). */
export async function listApprovals(db: Db, call: Call, filter: { status?: string; customerId?: string }) {
  authorize(call.actor, 'partnerRead');
  if (filter.status !== undefined && !statuses.includes(filter.status as ApprovalStatus))
    throw invalid('invalid-status', `status is one of ${statuses.join(', ')}.`);
  let q = db
    .selectFrom('purchase_approvals as a')
    .innerJoin('customers', 'customers.id', 'a.customer_id')
    .selectAll('a')
    .select('customers.company_name as customer_name')
    .where('a.partner_id', '=', call.actor.partnerId);
  if (filter.status) q = q.where('a.status', '=', filter.status as ApprovalStatus);
  if (filter.customerId) {
    const customer = await findOwnCustomer(db, call.actor, filter.customerId);
    q = q.where('a.customer_id', '=', customer.id);
  }
  return (await q.orderBy('a.requested_at', 'desc').orderBy('a.id').limit(500).execute()).map(approvalView);
}

async function partnerApproval(db: Db, actor: Actor, id: string, lock = false) {
  if (!isUuid(id)) throw approvalNotFound(id);
  let q = db
    .selectFrom('purchase_approvals')
    .selectAll()
    .where('id', '=', id.toLowerCase())
    .where('partner_id', '=', actor.partnerId);
  if (actor.kind === 'customer_user') q = q.where('customer_id', '=', actor.customerId);
  if (lock) q = q.forUpdate();
  const found = await q.executeTakeFirst();
  if (!found) throw approvalNotFound(id);
  return found;
}

export async function getApproval(db: Db, call: Call, id: string) {
  if (call.actor.kind !== 'customer_user') authorize(call.actor, 'partnerRead');
  const a = await partnerApproval(db, call.actor, id);
  const customer = await findOwnCustomer(db, call.actor, a.customer_id);
  return approvalView({ ...a, customer_name: customer.company_name });
}

const notPending = (a: PurchaseApproval) =>
  conflict(
    'approval-not-pending',
    a.status === 'price-changed'
      ? 'The price moved since the customer asked; the customer confirms the new price before you can approve it.'
      : `This purchase was already ${a.status}; only pending purchases are approved or declined.`,
  );

/** The customer user who asked, as the actor the purchase is made by when approved. */
async function requesterOf(trx: Db, a: PurchaseApproval): Promise<Actor> {
  const user = await trx
    .selectFrom('customer_users')
    .select(['id', 'email', 'customer_id'])
    .where('id', '=', a.requested_by_user_id)
    .executeTakeFirst();
  if (!user || user.customer_id !== a.customer_id)
    throw conflict(
      'requester-not-found',
      'The customer user who asked for this purchase no longer exists; decline it and ask the customer to buy again.',
    );
  return {
    kind: 'customer_user',
    userId: user.id,
    customerId: a.customer_id,
    partnerId: a.partner_id,
    email: user.email,
  };
}

const samePrice = (a: PricedCommitment, b: PricedCommitment) =>
  a.currency === b.currency && new Big(a.total).eq(b.total) && new Big(a.unitPrice).eq(b.unitPrice);

async function recordRefusedDecision(
  db: Db,
  call: Call,
  a: PurchaseApproval,
  customer: Customer,
  refusal: MitraError,
) {
  await inTransaction(db, (trx) =>
    writeAudit(trx, call, {
      partnerId: customer.partner_id,
      customer: { id: customer.id, name: customer.company_name },
      resourceType: 'purchase_approval',
      operationType: 'approve_purchase',
      status: 'decline',
      details: { approvalId: a.id, refusedWith: refusal.code, reason: refusal.message },
    }),
  );
}

/**
 * Approves a held purchase: buys it now, as the customer who asked, at the price it accepted.
 * Refused (and the refusal recorded) when a usual check fails now — permission turned off, Owner
 * role gone, monthly limit no longer allowing it — or when the price moved: then the approval is
 * marked `price-changed` with the new price, and the error carries the new quote.
 */
export async function approvePurchase(db: Db, call: Call, id: string) {
  authorize(call.actor, 'approvalsDecide');
  const found = await partnerApproval(db, call.actor, id);
  const customer = await findOwnCustomer(db, call.actor, found.customer_id);
  const now = nowOf(call);
  let outcome: { moved: PricedCommitment } | { approval: PurchaseApproval };
  try {
    outcome = await inTransaction(db, async (trx) => {
      const a = await partnerApproval(trx, call.actor, id, true);
      if (a.status !== 'pending') throw notPending(a);
      const requester = await requesterOf(trx, a);
      const buyerCall: Call = { actor: requester, correlationId: call.correlationId, now };
      const r = a.request as unknown as CommitmentRequest;
      await lockCustomerForPurchase(trx, customer);
      await checkMayBuy(trx, requester, customer, r);
      const price = await priceCommitment(trx, customer, r, now);
      if (!samePrice(price, a.price as unknown as PricedCommitment)) {
        await trx
          .updateTable('purchase_approvals')
          .set({ status: 'price-changed', new_price: JSON.stringify(price) })
          .where('id', '=', a.id)
          .execute();
        await writeAudit(trx, call, {
          partnerId: customer.partner_id,
          customer: { id: customer.id, name: customer.company_name },
          resourceType: 'purchase_approval',
          operationType: 'approve_purchase',
          status: 'decline',
          oldValue: { total: a.total, currency: a.currency },
          newValue: { total: price.total, currency: price.currency, status: 'price-changed' },
          details: { approvalId: a.id, refusedWith: 'approval-price-changed' },
        });
        return { moved: price };
      }
      const commitment = await executePurchase(trx, buyerCall, customer, r, a.order_id);
      if (a.quote_id)
        await trx
          .updateTable('price_quotes')
          .set({ used_by: commitment.id })
          .where('id', '=', a.quote_id)
          .execute();
      if (a.idempotency_scope && a.idempotency_key)
        await trx
          .updateTable('idempotency_keys')
          .set({ result: JSON.stringify({ commitmentId: commitment.id }) })
          .where('scope', '=', a.idempotency_scope)
          .where('key', '=', a.idempotency_key)
          .execute();
      const decided = await trx
        .updateTable('purchase_approvals')
        .set({
          status: 'approved',
          decided_by: principalOf(call.actor),
          decided_at: now,
          commitment_id: commitment.id,
        })
        .where('id', '=', a.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await announceDecision(trx, call, customer, decided, 'approved', null);
      return { approval: decided };
    });
  } catch (error) {
    if (
      error instanceof MitraError &&
      error.code !== 'approval-not-pending' &&
      error.code !== 'approval-not-found'
    )
      await recordRefusedDecision(db, call, found, customer, error);
    throw error;
  }
  if ('moved' in outcome) {
    const p = outcome.moved;
    throw new MitraError(
      'conflict',
      'approval-price-changed',
      `The price moved since the customer asked (${found.currency} ${found.total} then, ${p.currency} ${p.total} now); nothing was bought. The customer confirms the new price (POST /api/my/approvals/${found.id}/confirm), then you approve again.`,
      undefined,
      { newQuote: { total: p.total, unitPrice: p.unitPrice, currency: p.currency } },
    );
  }
  return approvalView({ ...outcome.approval, customer_name: customer.company_name });
}

async function announceDecision(
  trx: Db,
  call: Call,
  customer: Customer,
  a: PurchaseApproval,
  decision: 'approved' | 'declined',
  reason: string | null,
) {
  await emitEvent(trx, {
    partnerId: customer.partner_id,
    customerId: customer.id,
    type: 'purchase.approval.decided',
    occurredAt: a.decided_at ?? undefined,
    data: {
      customer: customerRef(customer),
      approval: approvalRef(a),
      decision,
      reason,
      decidedBy: principalOf(call.actor),
      commitmentId: a.commitment_id,
    },
  });
  await writeAudit(trx, call, {
    partnerId: customer.partner_id,
    customer: { id: customer.id, name: customer.company_name },
    resourceType: 'purchase_approval',
    operationType: decision === 'approved' ? 'approve_purchase' : 'decline_purchase',
    oldValue: { status: 'pending' },
    newValue: { status: a.status, reason, commitmentId: a.commitment_id },
    details: { approvalId: a.id, kind: a.kind },
  });
}

/** Declines a pending (or price-changed) purchase with a reason the customer is shown. */
export async function declinePurchase(db: Db, call: Call, id: string, reason: string) {
  authorize(call.actor, 'approvalsDecide');
  const text = reason.trim();
  if (!text || text.length > 500)
    throw invalid('reason-required', 'Say why in reason (1 to 500 characters); the customer is shown it.');
  const found = await partnerApproval(db, call.actor, id);
  const customer = await findOwnCustomer(db, call.actor, found.customer_id);
  return inTransaction(db, async (trx) => {
    const a = await partnerApproval(trx, call.actor, id, true);
    if (a.status !== 'pending' && a.status !== 'price-changed') throw notPending(a);
    const decided = await trx
      .updateTable('purchase_approvals')
      .set({ status: 'declined', decided_by: principalOf(call.actor), decided_at: nowOf(call), reason: text })
      .where('id', '=', a.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await announceDecision(trx, call, customer, decided, 'declined', text);
    return approvalView({ ...decided, customer_name: customer.company_name });
  });
}

/** A customer user's own approvals, newest first (the portal's "awaiting approval" entries). */
export async function myApprovals(db: Db, call: Call, kind?: PurchaseApproval['kind']) {
  authorize(call.actor, 'customerSelf');
  if (call.actor.kind !== 'customer_user') return [];
  let q = db
    .selectFrom('purchase_approvals as a')
    .innerJoin('customers', 'customers.id', 'a.customer_id')
    .selectAll('a')
    .select('customers.company_name as customer_name')
    .where('a.customer_id', '=', call.actor.customerId)
    .where('a.partner_id', '=', call.actor.partnerId);
  if (kind) q = q.where('a.kind', '=', kind);
  return (await q.orderBy('a.requested_at', 'desc').orderBy('a.id').execute()).map(approvalView);
}

/**
 * The customer's re-confirmation after the price moved: `total` is the new total it accepts (the
 * `newPrice.total` it was shown). The purchase is priced again now and checked as any purchase;
 * at that total it goes back to pending for the Admin agents (`purchase.approval.requested` again),
 * whatever its value now; at another total it is refused with the current price.
 */
export async function confirmApprovalPrice(db: Db, call: Call, id: string, total: string) {
  authorize(call.actor, 'customerSelf');
  if (call.actor.kind !== 'customer_user') throw approvalNotFound(id);
  const actor = call.actor;
  const now = nowOf(call);
  const customer = await findOwnCustomer(db, actor, actor.customerId);
  return inTransaction(db, async (trx) => {
    const a = await partnerApproval(trx, actor, id, true);
    if (a.status !== 'price-changed')
      throw conflict(
        'approval-not-awaiting-confirmation',
        `This purchase is ${a.status}; only a purchase whose price moved is confirmed again.`,
      );
    const r = a.request as unknown as CommitmentRequest;
    await lockCustomerForPurchase(trx, customer);
    await checkMayBuy(trx, actor, customer, r);
    const price = await priceCommitment(trx, customer, r, now);
    let accepted: Big;
    try {
      accepted = new Big(total);
    } catch {
      throw invalid('invalid-amount', 'total is the new total you accept, a decimal string like "1234.50".');
    }
    if (!accepted.eq(price.total))
      throw new MitraError(
        'conflict',
        'price-changed',
        `The price is now ${price.currency} ${price.total}; confirm with that total to send the purchase for approval again.`,
        undefined,
        { newQuote: { total: price.total, unitPrice: price.unitPrice, currency: price.currency } },
      );
    // Still refused over the monthly limit; the threshold does not decide again (it goes back to the Admin agents).
    await guardPurchase(trx, customer, price, now);
    const updated = await trx
      .updateTable('purchase_approvals')
      .set({
        status: 'pending',
        price: JSON.stringify(price),
        total: price.total,
        currency: price.currency,
        new_price: null,
        requested_at: now,
      })
      .where('id', '=', a.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await announceRequest(trx, call, customer, updated, now, 'confirm_purchase_price');
    return approvalView({ ...updated, customer_name: customer.company_name });
  });
}

/** For the ARM operation status: the customer's own approval, or not found. */
export async function customerApproval(db: Db, customer: Customer, id: string) {
  if (!isUuid(id)) return undefined;
  return db
    .selectFrom('purchase_approvals')
    .selectAll()
    .where('id', '=', id.toLowerCase())
    .where('customer_id', '=', customer.id)
    .executeTakeFirst();
}
