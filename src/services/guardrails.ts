import Big from 'big.js';
import { sql } from 'kysely';
import { principalName } from '../domain/actor.ts';
import { conflict, type MitraError } from '../domain/errors.ts';
import {
  alertReached,
  crossesLimit,
  guardrailAmount,
  type MoneyAmount,
  monthOf,
  percentOf,
  remainingOf,
} from '../domain/guardrails.ts';
import { roundToMinor } from '../domain/money.ts';
import { authorize, policies } from '../domain/policies.ts';
import type { Db } from '../store/db.ts';
import type { Customer } from '../store/schema.ts';
import { writeAudit } from './audit-log.ts';
import { type Call, inTransaction, nowOf } from './call.ts';
import { findOwnCustomer } from './customers.ts';
import { customerRef, emitEvent } from './events.ts';
import { rateOnOrBefore } from './exchange-rates.ts';

/**
 * A customer's spend guardrails (B2): a monthly limit on the value of commitments its users may
 * buy and an approval threshold above which a purchase is held for an Admin agent. Compared in
 * the customer's billing currency (`customers.currency`, the currency of its invoices): a
 * purchase's value is its total for the term at the customer's price, converted from the price
 * list's currency, and a limit set in another currency is converted too, each at the stored rate
 * dated today or the latest before.
 *
 * What the month counts: every commitment of the customer bought in the current UTC calendar month,
 * by its users or by the partner, including those bought before the limit was set; refunded or
 * cancelled ones still count (a refund does not give allowance back: the limit caps what is bought
 * in the month); an exchange's replacement does not (the partner's exchange is no new purchase);
 * held purchases count once approved, at their approval.
 */
interface GuardrailsRow {
  monthly_limit_amount: string | null;
  monthly_limit_currency: string | null;
  approval_threshold_amount: string | null;
  approval_threshold_currency: string | null;
  changed_at: Date;
  changed_by: string;
}

export interface GuardrailsView {
  monthlyLimit: MoneyAmount | null;
  approvalThreshold: MoneyAmount | null;
  changedAt: string | null;
  changedBy: string | null;
  /** The month counted (UTC), yyyy-mm. */
  month: string;
  billingCurrency: string;
  /** Commitments bought this month, in the billing currency. */
  spent: MoneyAmount;
  /** The monthly limit in the billing currency, when one is set. */
  limitInBillingCurrency: MoneyAmount | null;
  /** What may still be bought this month; null without a limit. */
  remaining: MoneyAmount | null;
}

export interface GuardrailsInput {
  monthlyLimit: { amount: string; currency: string } | null;
  approvalThreshold: { amount: string; currency: string } | null;
}

export const loadGuardrails = (db: Db, customer: Customer) =>
  db
    .selectFrom('customer_guardrails')
    .select([
      'monthly_limit_amount',
      'monthly_limit_currency',
      'approval_threshold_amount',
      'approval_threshold_currency',
      'changed_at',
      'changed_by',
    ])
    .where('customer_id', '=', customer.id)
    .where('partner_id', '=', customer.partner_id)
    .executeTakeFirst();

const money = (amount: string | null, currency: string | null): MoneyAmount | null =>
  amount !== null && currency !== null ? { amount: new Big(amount).toFixed(2), currency: currency } : null;

export const dayOf = (at: Date) => at.toISOString().slice(0, 10);

const guardrailRateMissing = (from: string, to: string, day: string) =>
  conflict(
    'guardrail-rate-missing',
    `No ${from}→${to} exchange rate is stored for ${day} or before, so an amount in ${from} cannot be compared with the customer's billing currency ${to}; set the amount in ${to}, or import a ${from}→${to} rate (mitra rates import FILE.csv, see docs/rates-csv.md) and try again.`,
  );

/** `amount` in `from` converted to `to` at the stored rate of `day` or before (direct, else the inverse pair). */
export async function convertAt(
  db: Db,
  partnerId: string,
  amount: string,
  from: string,
  to: string,
  day: string,
): Promise<string> {
  if (from === to) return new Big(amount).toFixed(6);
  const direct = await rateOnOrBefore(db, partnerId, from, to, day);
  if (direct) return new Big(amount).times(direct.rate).toFixed(6);
  const inverse = await rateOnOrBefore(db, partnerId, to, from, day);
  if (inverse) return new Big(amount).div(inverse.rate).toFixed(6);
  throw guardrailRateMissing(from, to, day);
}

/** The value of the customer's commitments bought in the UTC month of `at`, in its billing currency. */
export async function spentInMonth(db: Db, customer: Customer, at: Date): Promise<string> {
  const { from, to } = monthOf(at);
  const rows = await db
    .selectFrom('commitments')
    .select(['currency', sql<string>`sum(total_price)`.as('total')])
    .where('customer_id', '=', customer.id)
    .where('purchased_at', '>=', from)
    .where('purchased_at', '<', to)
    .where('exchanged_from', 'is', null)
    .groupBy('currency')
    .execute();
  let spent = new Big(0);
  for (const r of rows)
    spent = spent.plus(
      await convertAt(db, customer.partner_id, r.total, r.currency, customer.currency, dayOf(at)),
    );
  return spent.toFixed(6);
}

function viewOf(
  row: GuardrailsRow | undefined,
  customer: Customer,
  at: Date,
  spent: string,
  limit: string | null,
): GuardrailsView {
  const c = customer.currency;
  return {
    monthlyLimit: row ? money(row.monthly_limit_amount, row.monthly_limit_currency) : null,
    approvalThreshold: row ? money(row.approval_threshold_amount, row.approval_threshold_currency) : null,
    changedAt: row ? row.changed_at.toISOString() : null,
    changedBy: row ? row.changed_by : null,
    month: monthOf(at).month,
    billingCurrency: c,
    spent: { amount: roundToMinor(spent, c), currency: c },
    limitInBillingCurrency: limit === null ? null : { amount: roundToMinor(limit, c), currency: c },
    remaining: limit === null ? null : { amount: remainingOf(limit, spent, c), currency: c },
  };
}

async function describe(db: Db, customer: Customer, row: GuardrailsRow | undefined, at: Date) {
  const spent = await spentInMonth(db, customer, at);
  const limit =
    row?.monthly_limit_amount && row.monthly_limit_currency
      ? await convertAt(
          db,
          customer.partner_id,
          row.monthly_limit_amount,
          row.monthly_limit_currency,
          customer.currency,
          dayOf(at),
        )
      : null;
  return { view: viewOf(row, customer, at, spent, limit), spent, limit };
}

/** Any partner user reads a customer's guardrails and this month's spending; another partner's customer is not found. */
export async function guardrailsOf(db: Db, call: Call, customerId: string): Promise<GuardrailsView> {
  authorize(call.actor, 'partnerRead');
  const customer = await findOwnCustomer(db, call.actor, customerId);
  return (await describe(db, customer, await loadGuardrails(db, customer), nowOf(call))).view;
}

async function recordRefusal(db: Db, call: Call, customer: Customer, refusal: MitraError) {
  await inTransaction(db, (trx) =>
    writeAudit(trx, call, {
      partnerId: customer.partner_id,
      customer: { id: customer.id, name: customer.company_name },
      resourceType: 'guardrails',
      operationType: 'update_customer_guardrails',
      status: 'decline',
      details: { refusedWith: refusal.code, reason: refusal.message },
    }),
  );
}

/**
 * Sets (or clears, with nulls) a customer's monthly limit and approval threshold. Admin agents
 * only; other partner users are refused and the refusal recorded. A currency the customer's
 * billing currency has no stored rate with is refused (409). When the month's spending already
 * reaches 80% of the new limit, `guardrail.threshold.reached` is raised in the same transaction
 * (once per customer and month).
 */
export async function setGuardrails(
  db: Db,
  call: Call,
  customerId: string,
  input: GuardrailsInput,
): Promise<GuardrailsView> {
  authorize(call.actor, 'guardrailsAttempt');
  const customer = await findOwnCustomer(db, call.actor, customerId);
  if (!policies.guardrailsManage.allows(call.actor)) {
    const refusal = policies.guardrailsManage.refusal(call.actor);
    await recordRefusal(db, call, customer, refusal);
    throw refusal;
  }
  const limit = input.monthlyLimit ? guardrailAmount('monthlyLimit', input.monthlyLimit) : null;
  const threshold = input.approvalThreshold
    ? guardrailAmount('approvalThreshold', input.approvalThreshold)
    : null;
  const now = nowOf(call);
  return inTransaction(db, async (trx) => {
    // One writer per customer, and purchases wait for the new guardrails (they lock the row too).
    await trx.selectFrom('customers').select('id').where('id', '=', customer.id).forUpdate().execute();
    for (const m of [limit, threshold])
      if (m) await convertAt(trx, customer.partner_id, '1', m.currency, customer.currency, dayOf(now));
    const before = await loadGuardrails(trx, customer);
    const row: GuardrailsRow = {
      monthly_limit_amount: limit?.amount ?? null,
      monthly_limit_currency: limit?.currency ?? null,
      approval_threshold_amount: threshold?.amount ?? null,
      approval_threshold_currency: threshold?.currency ?? null,
      changed_at: now,
      changed_by:
        principalName(call.actor) ??
        (call.actor.kind === 'application' ? call.actor.applicationId : 'system'),
    };
    await trx
      .insertInto('customer_guardrails')
      .values({ customer_id: customer.id, partner_id: customer.partner_id, ...row })
      .onConflict((oc) => oc.column('customer_id').doUpdateSet(row))
      .execute();
    const after = await describe(trx, customer, row, now);
    await writeAudit(trx, call, {
      partnerId: customer.partner_id,
      customer: { id: customer.id, name: customer.company_name },
      resourceType: 'guardrails',
      operationType: 'update_customer_guardrails',
      oldValue: before
        ? {
            monthlyLimit: money(before.monthly_limit_amount, before.monthly_limit_currency),
            approvalThreshold: money(before.approval_threshold_amount, before.approval_threshold_currency),
          }
        : null,
      newValue: { monthlyLimit: limit, approvalThreshold: threshold },
    });
    if (after.limit !== null) await raiseThresholdAlert(trx, customer, now, after.spent, after.limit);
    return after.view;
  });
}

/** The guardrail facts of one customer purchase, in the billing currency. */
export interface PurchaseGuard {
  /** The purchase's value in the billing currency. */
  value: string;
  spent: string;
  limit: string | null;
  threshold: string | null;
  thresholdAsSet: MoneyAmount | null;
  now: Date;
}

/**
 * Reads a customer's guardrails for a purchase worth `total` in `currency`, inside the purchase's
 * transaction after the customer row is locked (so the month's sum cannot change underneath).
 * Null when the customer has no guardrails. Refuses (409 monthly-limit-exceeded) a purchase that
 * would go over the monthly limit, with what remains in the message.
 */
export async function guardPurchase(
  trx: Db,
  customer: Customer,
  price: { total: string; currency: string },
  now: Date,
): Promise<PurchaseGuard | null> {
  const row = await loadGuardrails(trx, customer);
  if (!row || (row.monthly_limit_amount === null && row.approval_threshold_amount === null)) return null;
  const day = dayOf(now);
  const c = customer.currency;
  const value = await convertAt(trx, customer.partner_id, price.total, price.currency, c, day);
  const spent = await spentInMonth(trx, customer, now);
  const limit =
    row.monthly_limit_amount && row.monthly_limit_currency
      ? await convertAt(
          trx,
          customer.partner_id,
          row.monthly_limit_amount,
          row.monthly_limit_currency,
          c,
          day,
        )
      : null;
  const threshold =
    row.approval_threshold_amount && row.approval_threshold_currency
      ? await convertAt(
          trx,
          customer.partner_id,
          row.approval_threshold_amount,
          row.approval_threshold_currency,
          c,
          day,
        )
      : null;
  if (limit !== null && crossesLimit(limit, spent, value)) {
    const { month } = monthOf(now);
    throw conflict(
      'monthly-limit-exceeded',
      `This purchase (${c} ${roundToMinor(value, c)}) would go over your monthly purchase limit for ${month}: ${c} ${remainingOf(limit, spent, c)} remains of ${c} ${roundToMinor(limit, c)}. Buy less, wait for next month, or ask your partner to raise the limit.`,
    );
  }
  return {
    value,
    spent,
    limit,
    threshold,
    thresholdAsSet: money(row.approval_threshold_amount, row.approval_threshold_currency),
    now,
  };
}

/**
 * Raises `guardrail.threshold.reached` when `spent` reaches 80% of `limit` (both in the billing
 * currency), once per customer and month: the event's condition key is the customer and month.
 */
export async function raiseThresholdAlert(
  trx: Db,
  customer: Customer,
  at: Date,
  spent: string,
  limit: string,
) {
  if (!alertReached(spent, limit)) return null;
  const { month } = monthOf(at);
  const c = customer.currency;
  return emitEvent(trx, {
    partnerId: customer.partner_id,
    customerId: customer.id,
    type: 'guardrail.threshold.reached',
    occurredAt: at,
    conditionKey: `${customer.id}:${month}`,
    data: {
      customer: customerRef(customer),
      month,
      limit: { amount: roundToMinor(limit, c), currency: c },
      spent: { amount: roundToMinor(spent, c), currency: c },
      percent: percentOf(spent, limit),
    },
  });
}

/**
 * The background check (B11): every customer with a monthly limit whose month already reaches 80%
 * of it — a limit lowered below what was spent, a rate that moved — gets its alert, once. The
 * candidates come from one PostgreSQL query (customers with a limit and purchases this month);
 * each is then checked with the same conversion as purchases. Answers how many alerts were raised.
 */
export async function checkGuardrailAlerts(db: Db, at: Date = new Date()): Promise<number> {
  const { from, to, month } = monthOf(at);
  const candidates = await db
    .selectFrom('customer_guardrails as g')
    .innerJoin('customers', 'customers.id', 'g.customer_id')
    .selectAll('customers')
    .where('g.monthly_limit_amount', 'is not', null)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('commitments as c')
          .select('c.id')
          .whereRef('c.customer_id', '=', 'g.customer_id')
          .where('c.purchased_at', '>=', from)
          .where('c.purchased_at', '<', to)
          .where('c.exchanged_from', 'is', null),
      ),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('partner_events as e')
            .select('e.id')
            .whereRef('e.partner_id', '=', 'customers.partner_id')
            .where('e.type', '=', 'guardrail.threshold.reached')
            .where(sql<boolean>`e.condition_key = customers.id::text || ':' || ${month}`),
        ),
      ),
    )
    .execute();
  let raised = 0;
  for (const customer of candidates) {
    try {
      const done = await inTransaction(db, async (trx) => {
        const { spent, limit } = await describe(trx, customer, await loadGuardrails(trx, customer), at);
        return limit === null ? null : raiseThresholdAlert(trx, customer, at, spent, limit);
      });
      if (done) raised++;
    } catch {
      // A missing rate for one customer does not stop the others; its purchases are refused meanwhile.
    }
  }
  return raised;
}
