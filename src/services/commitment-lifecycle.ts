import Big from 'big.js';
import type { Updateable } from 'kysely';
import {
  checkExchangeValue,
  monthOf,
  parseAppliedScope,
  partnerActionRequired,
  quoteRefund,
  type RefundQuote,
} from '../domain/commitments.ts';
import { forbidden, invalid, MitraError } from '../domain/errors.ts';
import { authorize } from '../domain/policies.ts';
import type { Db } from '../store/db.ts';
import type { AppliedScope, CommitmentsTable, Customer } from '../store/schema.ts';
import { writeAudit } from './audit-log.ts';
import { type Call, inTransaction } from './call.ts';
import { priceCommitment } from './commitment-pricing.ts';
import { type CommitmentRequest, customerSubscriptionOf, executePurchase } from './commitment-purchase.ts';
import { type Commitment, rolesOnBilling, selectCommitment } from './commitments.ts';
import { refundedInLast12Months, writeLedger } from './ledger.ts';

/** Partner-only actions (R12): a customer is told to ask its partner; Sales/Helpdesk are refused. */
function requirePartnerAdmin(call: Call, action: string) {
  if (call.actor.kind === 'customer_user') throw partnerActionRequired(action);
  authorize(call.actor, 'commitmentsManage');
}

async function audit(
  trx: Db,
  call: Call,
  customer: Customer,
  c: Commitment,
  operationType: 'update_reservation' | 'refund_reservation' | 'exchange_reservation',
  oldValue: unknown,
  newValue: unknown,
) {
  const hidden = c.kind === 'savings_plan' && c.bought_by === 'customer';
  await writeAudit(trx, call, {
    partnerId: customer.partner_id,
    customer: { id: customer.id, name: customer.company_name },
    resourceType: hidden ? 'savings_plan' : c.kind === 'reservation' ? 'reservation' : 'savings_plan',
    operationType,
    oldValue,
    newValue,
    details: { commitmentId: c.id, kind: c.kind },
  });
}

/** One audited change of a commitment's management properties, with a new etag. */
function updateCommitment(
  db: Db,
  call: Call,
  customer: Customer,
  c: Commitment,
  set: Updateable<CommitmentsTable>,
  oldValue: unknown,
  newValue: unknown,
) {
  return inTransaction(db, async (trx) => {
    await trx
      .updateTable('commitments')
      .set({ ...set, etag: c.etag + 1, updated_at: new Date() })
      .where('id', '=', c.id)
      .execute();
    await audit(trx, call, customer, c, 'update_reservation', oldValue, newValue);
    return selectCommitment(trx, c.id);
  });
}

function ensureActive(c: Commitment) {
  if (c.status !== 'Succeeded') {
    throw new MitraError(
      'conflict',
      'operation-cannot-be-performed-in-current-state',
      `This ${c.kind === 'reservation' ? 'reservation' : 'savings plan'} is ${c.status.toLowerCase()}; nothing can be changed on it.`,
    );
  }
}

/** Rename (R13): the customer's Owners may, and the partner's Admin agents. */
export async function renameCommitment(db: Db, call: Call, customer: Customer, c: Commitment, name: string) {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 100)
    throw invalid('invalid-display-name', 'The name must be 1 to 100 characters.');
  if (call.actor.kind === 'customer_user') {
    const roles = await rolesOnBilling(db, call.actor, c.billing_subscription_id);
    if (!roles.includes('Owner'))
      throw forbidden(
        'owner-role-required',
        'Renaming needs the Owner role on the billing subscription; ask an Owner or your partner.',
      );
  } else {
    authorize(call.actor, 'commitmentsManage');
  }
  ensureActive(c);
  if (trimmed === c.display_name) return c;
  return updateCommitment(
    db,
    call,
    customer,
    c,
    { display_name: trimmed },
    { displayName: c.display_name },
    { displayName: trimmed },
  );
}

export async function changeScope(
  db: Db,
  call: Call,
  customer: Customer,
  c: Commitment,
  type: string,
  scope: AppliedScope,
) {
  requirePartnerAdmin(call, 'change the scope of');
  ensureActive(c);
  const parsed = parseAppliedScope(type, scope);
  if (parsed.scope.subscriptionId) {
    const target = await customerSubscriptionOf(db, customer, parsed.scope.subscriptionId);
    if (!target)
      throw invalid(
        'applied-scope-not-in-billing-context',
        "The scope must be one of this customer's subscriptions.",
      );
  }
  return updateCommitment(
    db,
    call,
    customer,
    c,
    { applied_scope_type: parsed.type, applied_scope: JSON.stringify(parsed.scope) },
    { appliedScopeType: c.applied_scope_type, appliedScope: c.applied_scope },
    { appliedScopeType: parsed.type, appliedScope: parsed.scope },
  );
}

export async function setRenewal(db: Db, call: Call, customer: Customer, c: Commitment, renew: boolean) {
  requirePartnerAdmin(call, 'turn renewal on or off for');
  ensureActive(c);
  if (c.renew === renew) return c;
  return updateCommitment(db, call, customer, c, { renew }, { renew: c.renew }, { renew });
}

async function refundQuoteOf(
  db: Db,
  c: Commitment,
  now: Date,
  withinExchange: boolean,
): Promise<RefundQuote> {
  if (c.kind === 'savings_plan') {
    throw new MitraError(
      'conflict',
      'savings-plan-not-refundable',
      'Savings plans cannot be cancelled, refunded or exchanged.',
    );
  }
  const instalments = await db
    .selectFrom('ledger_entries')
    .select(['billing_month', 'amount'])
    .where('commitment_id', '=', c.id)
    .where('entry_type', '=', 'instalment')
    .execute();
  return quoteRefund({
    billingPlan: c.billing_plan,
    term: c.term,
    totalPrice: c.total_price,
    purchasedAt: new Date(c.purchased_at),
    expiresAt: new Date(c.expires_at),
    instalments: instalments.map((i) => ({ month: i.billing_month, amount: i.amount })),
    refundedLast12Months: await refundedInLast12Months(db, c.customer_id, now),
    now,
    withinExchange,
  });
}

export async function calculateRefund(db: Db, call: Call, c: Commitment) {
  requirePartnerAdmin(call, 'refund');
  ensureActive(c);
  return refundQuoteOf(db, c, new Date(), false);
}

/** What an exchange would credit, cost and leave to pay, without doing it (the same rules). */
export async function calculateExchange(
  db: Db,
  call: Call,
  customer: Customer,
  c: Commitment,
  replacement: CommitmentRequest,
) {
  requirePartnerAdmin(call, 'exchange');
  ensureActive(c);
  if (replacement.kind !== 'reservation')
    throw invalid(
      'exchange-type-mismatch',
      'A reservation can only be exchanged for another reservation of the same type.',
    );
  const credit = await refundQuoteOf(db, c, new Date(), true);
  const price = await priceCommitment(db, customer, replacement);
  let valid = true;
  let reason: string | null = null;
  try {
    checkExchangeValue(price.total, credit.amount);
  } catch (error) {
    valid = false;
    reason = (error as MitraError).message;
  }
  return {
    credit: credit.amount,
    newTotal: price.total,
    netPayable: new Big(price.total).minus(credit.amount).toFixed(6),
    currency: price.currency,
    valid,
    reason,
  };
}

/** Refund (cancel) a whole reservation: prorated money back, within the rolling 12-month cap. */
export async function refundCommitment(
  db: Db,
  call: Call,
  customer: Customer,
  c: Commitment,
  reason?: string,
) {
  requirePartnerAdmin(call, 'refund');
  return inTransaction(db, async (trx) => {
    const current = await trx
      .selectFrom('commitments')
      .selectAll()
      .where('id', '=', c.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    ensureActive(current);
    // The cap is per customer: serialise refunds of one customer so two cannot both fit the cap.
    await trx
      .selectFrom('customers')
      .select('id')
      .where('id', '=', customer.id)
      .forUpdate()
      .executeTakeFirst();
    const quote = await refundQuoteOf(trx, current, new Date(), false);
    await trx
      .updateTable('commitments')
      // A cancelled reservation has nothing left to renew.
      .set({ status: 'Cancelled', renew: false, etag: current.etag + 1, updated_at: new Date() })
      .where('id', '=', c.id)
      .execute();
    await writeLedger(
      trx,
      call,
      customer,
      c.id,
      quote.entries.map((e) => ({
        ...e,
        description: `Refund of ${current.display_name}${reason ? `: ${reason}` : ''}`,
      })),
      current.currency,
    );
    await audit(
      trx,
      call,
      customer,
      current,
      'refund_reservation',
      { status: 'Succeeded' },
      { status: 'Cancelled', refunded: quote.amount, reason: reason ?? null },
    );
    return { commitment: await selectCommitment(trx, c.id), refund: quote };
  });
}

/**
 * Exchange: the returned reservation's remaining value is credited (outside the refund cap) and a
 * new reservation is bought; the new lifetime total must be at least the credit (§4.1).
 */
export async function exchangeCommitment(
  db: Db,
  call: Call,
  customer: Customer,
  c: Commitment,
  replacement: CommitmentRequest,
) {
  requirePartnerAdmin(call, 'exchange');
  if (replacement.kind !== 'reservation')
    throw invalid(
      'exchange-type-mismatch',
      'A reservation can only be exchanged for another reservation of the same type.',
    );
  return inTransaction(db, async (trx) => {
    const current = await trx
      .selectFrom('commitments')
      .selectAll()
      .where('id', '=', c.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    ensureActive(current);
    const credit = await refundQuoteOf(trx, current, new Date(), true);
    const price = await priceCommitment(trx, customer, replacement);
    checkExchangeValue(price.total, credit.amount);
    const created = await executePurchase(trx, call, customer, replacement, crypto.randomUUID());
    await trx
      .updateTable('commitments')
      .set({
        status: 'Exchanged',
        renew: false,
        exchanged_into: created.id,
        etag: current.etag + 1,
        updated_at: new Date(),
      })
      .where('id', '=', c.id)
      .execute();
    await trx.updateTable('commitments').set({ exchanged_from: c.id }).where('id', '=', created.id).execute();
    await writeLedger(
      trx,
      call,
      customer,
      c.id,
      credit.entries.map((e) => ({
        ...e,
        type: 'exchange_credit' as const,
        description: `Exchange credit for ${current.display_name}`,
      })),
      current.currency,
    );
    await audit(
      trx,
      call,
      customer,
      current,
      'exchange_reservation',
      { id: c.id, status: 'Succeeded' },
      { status: 'Exchanged', exchangedInto: created.id, credit: credit.amount, newTotal: price.total },
    );
    return {
      returned: await selectCommitment(trx, c.id),
      created: await selectCommitment(trx, created.id),
      credit: credit.amount,
      netPayable: new Big(price.total).minus(credit.amount).toFixed(6),
      month: monthOf(new Date(), 0),
    };
  });
}
