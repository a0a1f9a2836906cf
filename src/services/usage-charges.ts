import Big from 'big.js';
import { sql } from 'kysely';
import { applyMarkup } from '../domain/customer-prices.ts';
import { lastDayOf } from '../domain/invoices.ts';
import type { Db } from '../store/db.ts';
import type { Customer } from '../store/schema.ts';
import type { Call } from './call.ts';
import { writeLedger } from './ledger.ts';
import { usagePriceSegments } from './usage-pricing.ts';

/**
 * Azure usage is billed in arrears, once per month and subscription, when the month closes: what
 * the customer consumed after its reservations and savings plans (the engine's actual cost, or
 * pay-as-you-go where no benefit run covered an hour), at the customer's usage price — the usage
 * markup of the price list in effect in each hour.
 */
export interface UsageCharge {
  subscriptionId: string;
  subscriptionName: string;
  /** Pay-as-you-go cost after benefits, full precision, in the usage prices' currency. */
  cost: string;
  /** What the customer is charged for it. */
  amount: string;
  rows: number;
}

export async function usageChargesOf(db: Db, customer: Customer, month: string): Promise<UsageCharge[]> {
  const from = new Date(`${month}-01T00:00:00Z`);
  const to = new Date(`${lastDayOf(month)}T00:00:00Z`);
  to.setUTCDate(to.getUTCDate() + 1);
  const charges = new Map<string, UsageCharge>();
  for (const segment of await usagePriceSegments(db, customer, from, to)) {
    const rows = await db
      .selectFrom('usage_records as u')
      .leftJoin('usage_benefits as b', (j) =>
        j.onRef('b.usage_id', '=', 'u.id').onRef('b.hour', '=', 'u.hour'),
      )
      .innerJoin('subscriptions as s', 's.id', 'u.subscription_id')
      .select([
        'u.subscription_id',
        's.friendly_name',
        sql<string>`sum(coalesce(b.actual_cost, u.quantity * u.payg_unit_price))::text`.as('cost'),
        sql<number>`count(*)::int`.as('rows'),
      ])
      .where('u.customer_id', '=', customer.id)
      .where('u.hour', '>=', segment.from)
      .where('u.hour', '<', segment.to)
      .groupBy(['u.subscription_id', 's.friendly_name'])
      .execute();
    for (const r of rows) {
      const c = charges.get(r.subscription_id) ?? {
        subscriptionId: r.subscription_id,
        subscriptionName: r.friendly_name,
        cost: '0',
        amount: '0',
        rows: 0,
      };
      c.cost = new Big(c.cost).plus(r.cost).toFixed(6);
      c.amount = new Big(c.amount).plus(applyMarkup(r.cost, segment.markupPercent)).toFixed(6);
      c.rows += Number(r.rows);
      charges.set(r.subscription_id, c);
    }
  }
  return [...charges.values()].sort((a, b) => a.subscriptionName.localeCompare(b.subscriptionName));
}

export const usageDescription = (c: UsageCharge, month: string) =>
  `Azure usage of ${c.subscriptionName}, ${month}`;

/** Writes a closing month's usage charges into the ledger, dated on the month's last day. */
export async function writeUsageCharges(
  trx: Db,
  call: Call,
  customer: Customer,
  month: string,
  charges: UsageCharge[],
  currency: string,
) {
  const day = lastDayOf(month);
  for (const c of charges) {
    if (new Big(c.amount).eq(0)) continue;
    await writeLedger(
      trx,
      call,
      customer,
      null,
      [
        {
          month: `${month}-01`,
          date: day,
          type: 'usage',
          amount: c.amount,
          description: usageDescription(c, month),
        },
      ],
      currency,
      c.subscriptionId,
    );
  }
}
