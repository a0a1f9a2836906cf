import Big from 'big.js';
import type { Updateable } from 'kysely';
import {
  billLineType,
  type CommitmentReturn,
  type DatedEntry,
  purchaseSchedule,
  returnOf,
} from '../domain/billing.ts';
import { checkExchangeValue, parseAppliedScope, partnerActionRequired } from '../domain/commitments.ts';
import { forbidden, invalid, MitraError } from '../domain/errors.ts';
import { roundToMinor } from '../domain/money.ts';
import { authorize } from '../domain/policies.ts';
import type { Db } from '../store/db.ts';
import type { AppliedScope, CommitmentsTable, Customer } from '../store/schema.ts';
import { writeAudit } from './audit-log.ts';
import { type Call, inTransaction, nowOf } from './call.ts';
import { priceCommitment } from './commitment-pricing.ts';
import {
  type CommitmentRequest,
  customerSubscriptionOf,
  executePurchase,
  principalOf,
} from './commitment-purchase.ts';
import { type Commitment, rolesOnBilling, selectCommitment } from './commitments.ts';
import { commitmentRef, customerRef, emitEvent } from './events.ts';
import { chargesOf, refundedInLast12Months, writeLedger } from './ledger.ts';

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

/** What returning a reservation gives back and cancels at `now` (refund or inside an exchange). */
async function returnOfCommitment(db: Db, c: Commitment, now: Date, within: 'refund' | 'exchange') {
  if (c.kind === 'savings_plan') {
    throw new MitraError(
      'conflict',
      'savings-plan-not-refundable',
      'Savings plans cannot be cancelled, refunded or exchanged.',
    );
  }
  return returnOf({
    billingPlan: c.billing_plan,
    purchasedAt: new Date(c.purchased_at),
    expiresAt: new Date(c.expires_at),
    charges: await chargesOf(db, c.id),
    refundedLast12Months: await refundedInLast12Months(db, c.customer_id, now),
    now,
    withinExchange: within === 'exchange',
    currency: c.currency,
    moneyBackType: within === 'exchange' ? 'exchange_credit' : 'refund',
  });
}

/** The lines a dialog promises, exactly as the bills will show them (rounded once per line). */
function promisedLines(entries: DatedEntry[], currency: string) {
  return entries.map((e) => ({
    month: e.month.slice(0, 7),
    date: e.date,
    type: billLineType(e.type),
    amount: roundToMinor(e.amount, currency),
  }));
}

const sumOf = (lines: { amount: string }[], currency: string, sign = 1) =>
  roundToMinor(lines.reduce((s, l) => s.plus(l.amount), new Big(0)).times(sign), currency);

/**
 * The refund dialog's figures: money back (what was paid for the unused part), what had been paid,
 * the instalments that will no longer be charged, and the bill lines the refund writes, by month.
 */
function refundView(c: Commitment, ret: CommitmentReturn) {
  const entries = promisedLines(ret.entries, c.currency);
  return {
    amount: sumOf(
      entries.filter((e) => e.type === 'refund'),
      c.currency,
      -1,
    ),
    paidSoFar: roundToMinor(ret.paidSoFar, c.currency),
    cancelledInstalments: sumOf(
      entries.filter((e) => e.type === 'cancelled-instalment'),
      c.currency,
      -1,
    ),
    cancelledInstalmentCount: entries.filter((e) => e.type === 'cancelled-instalment').length,
    currency: c.currency,
    entries,
    remainingCapBefore: roundToMinor(ret.remainingCapBefore, 'USD'),
  };
}

export async function calculateRefund(db: Db, call: Call, c: Commitment) {
  requirePartnerAdmin(call, 'refund');
  ensureActive(c);
  return refundView(c, await returnOfCommitment(db, c, nowOf(call), 'refund'));
}

/**
 * An exchange as one set of lines: the returned reservation's money back and cancelled
 * instalments, and the replacement's purchase or instalments. Credit, new total and net payable
 * are sums of those very lines, so the bills add up to what the dialog showed.
 */
async function exchangePlan(
  db: Db,
  customer: Customer,
  c: Commitment,
  replacement: CommitmentRequest,
  now: Date,
) {
  if (replacement.kind !== 'reservation')
    throw invalid(
      'exchange-type-mismatch',
      'A reservation can only be exchanged for another reservation of the same type.',
    );
  const ret = await returnOfCommitment(db, c, now, 'exchange');
  const price = await priceCommitment(db, customer, replacement, now);
  const returnLines = promisedLines(ret.entries, c.currency);
  const newLines = promisedLines(
    purchaseSchedule(replacement.billingPlan, replacement.term, price.unitPrice, price.units, now),
    price.currency,
  );
  const credit = sumOf(returnLines, c.currency, -1);
  const newTotal = sumOf(newLines, price.currency);
  return {
    ret,
    price,
    credit,
    newTotal,
    netPayable: roundToMinor(new Big(newTotal).minus(credit), price.currency),
    currency: price.currency,
    entries: [...returnLines, ...newLines].sort((a, b) => a.date.localeCompare(b.date)),
  };
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
  const plan = await exchangePlan(db, customer, c, replacement, nowOf(call));
  let valid = true;
  let reason: string | null = null;
  try {
    checkExchangeValue(plan.price.total, plan.ret.returnedValue);
  } catch (error) {
    valid = false;
    reason = (error as MitraError).message;
  }
  return {
    credit: plan.credit,
    newTotal: plan.newTotal,
    netPayable: plan.netPayable,
    currency: plan.currency,
    entries: plan.entries,
    valid,
    reason,
  };
}

/** Refund (cancel) a whole reservation: money back for the unused part, later instalments cancelled. */
export async function refundCommitment(
  db: Db,
  call: Call,
  customer: Customer,
  c: Commitment,
  reason?: string,
) {
  requirePartnerAdmin(call, 'refund');
  const now = nowOf(call);
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
    const ret = await returnOfCommitment(trx, current, now, 'refund');
    const view = refundView(current, ret);
    await trx
      .updateTable('commitments')
      // A cancelled reservation has nothing left to renew.
      .set({ status: 'Cancelled', renew: false, etag: current.etag + 1, updated_at: now })
      .where('id', '=', c.id)
      .execute();
    await writeLedger(
      trx,
      call,
      customer,
      c.id,
      ret.entries.map((e) => ({
        ...e,
        description:
          e.type === 'refund'
            ? `Refund of ${current.display_name}${reason ? `: ${reason}` : ''}`
            : `Cancelled instalment of ${current.display_name} (refunded)`,
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
      {
        status: 'Cancelled',
        refunded: view.amount,
        cancelledInstalments: view.cancelledInstalments,
        reason: reason ?? null,
      },
    );
    await emitEvent(trx, {
      partnerId: customer.partner_id,
      customerId: customer.id,
      type: 'commitment.refunded',
      occurredAt: now,
      data: {
        customer: customerRef(customer),
        commitment: commitmentRef(current),
        refund: { amount: view.amount, currency: current.currency, reason: reason ?? null },
        refundedBy: principalOf(call.actor),
      },
    });
    return { commitment: await selectCommitment(trx, c.id), refund: view };
  });
}

/** A replacement's name follows its new SKU, unless someone named the reservation (now or before). */
function replacementName(c: Commitment, replacement: CommitmentRequest): string | undefined {
  if (replacement.displayName?.trim() && replacement.displayName.trim() !== c.display_name)
    return replacement.displayName;
  const defaultName = new RegExp(`^VM_RI_${c.sku.replace(/[^\w-]/g, '')}_\\d{4}-\\d{2}-\\d{2}$`);
  return defaultName.test(c.display_name) ? undefined : c.display_name;
}

/**
 * Exchange: the returned reservation's remaining value is credited (outside the refund cap) and a
 * new reservation is bought; the new lifetime total must be at least the credit (§4.1). Who bought
 * the original stays who bought the replacement; the exchange is recorded as the partner's.
 */
export async function exchangeCommitment(
  db: Db,
  call: Call,
  customer: Customer,
  c: Commitment,
  replacement: CommitmentRequest,
) {
  requirePartnerAdmin(call, 'exchange');
  const now = nowOf(call);
  return inTransaction(db, async (trx) => {
    const current = await trx
      .selectFrom('commitments')
      .selectAll()
      .where('id', '=', c.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    ensureActive(current);
    const named = { ...replacement, displayName: replacementName(current, replacement) };
    const plan = await exchangePlan(trx, customer, current, named, now);
    checkExchangeValue(plan.price.total, plan.ret.returnedValue);
    const created = await executePurchase(
      trx,
      { ...call, now },
      customer,
      named,
      crypto.randomUUID(),
      undefined,
      { id: current.id, boughtBy: current.bought_by, boughtByPrincipal: current.bought_by_principal },
    );
    await trx
      .updateTable('commitments')
      .set({
        status: 'Exchanged',
        renew: false,
        exchanged_into: created.id,
        exchanged_by_principal: principalOf(call.actor),
        etag: current.etag + 1,
        updated_at: now,
      })
      .where('id', '=', c.id)
      .execute();
    await writeLedger(
      trx,
      call,
      customer,
      c.id,
      plan.ret.entries.map((e) => ({
        ...e,
        description:
          e.type === 'exchange_credit'
            ? `Exchange credit for ${current.display_name}`
            : `Cancelled instalment of ${current.display_name} (exchanged)`,
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
      {
        status: 'Exchanged',
        exchangedInto: created.id,
        credit: plan.credit,
        newTotal: plan.newTotal,
        netPayable: plan.netPayable,
      },
    );
    await emitEvent(trx, {
      partnerId: customer.partner_id,
      customerId: customer.id,
      type: 'commitment.exchanged',
      occurredAt: now,
      data: {
        customer: customerRef(customer),
        returned: commitmentRef(current),
        created: commitmentRef(created),
        credit: plan.credit,
        newTotal: plan.newTotal,
        netPayable: plan.netPayable,
        currency: current.currency,
        exchangedBy: principalOf(call.actor),
      },
    });
    return {
      returned: await selectCommitment(trx, c.id),
      created: await selectCommitment(trx, created.id),
      credit: plan.credit,
      newTotal: plan.newTotal,
      netPayable: plan.netPayable,
      entries: plan.entries,
    };
  });
}
