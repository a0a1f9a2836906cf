import { sql } from 'kysely';
import { dayOf } from '../domain/billing.ts';
import { closesBy } from '../domain/invoices.ts';
import { closeMonth } from '../services/invoices.ts';
import type { Db } from '../store/db.ts';

/**
 * Closing months by themselves: every month that ended `closeAfterDays` days ago or more and has
 * charges or usage is closed, oldest first, partner by partner. Safe to run on every node at
 * once: closing takes the partner's invoice-sequence lock and a closed month is answered as is.
 */
export async function closeDueMonths(
  db: Db,
  options: { now?: Date; closeAfterDays: number; log?: (line: string) => void; partnerIds?: string[] },
) {
  const now = options.now ?? new Date();
  const current = dayOf(now).slice(0, 7);
  let q = db.selectFrom('partners').select('id');
  if (options.partnerIds) q = q.where('id', 'in', options.partnerIds);
  const partners = await q.execute();
  const closed: { partnerId: string; month: string; invoices: number }[] = [];
  for (const { id: partnerId } of partners) {
    const done = new Set(
      (
        await db.selectFrom('billing_periods').select('month').where('partner_id', '=', partnerId).execute()
      ).map((r) => r.month.slice(0, 7)),
    );
    const latest = [...done].sort().at(-1);
    const months = await activeMonths(db, partnerId, latest, current);
    for (const month of months) {
      if (month >= current || done.has(month) || !closesBy(month, now, options.closeAfterDays)) continue;
      try {
        const result = await closeMonth(
          db,
          { actor: { kind: 'system', partnerId }, correlationId: crypto.randomUUID(), now },
          month,
        );
        if (!result.alreadyClosed) closed.push({ partnerId, month, invoices: result.invoices.length });
      } catch (error) {
        // One partner's missing exchange rate must not keep the others' months open.
        options.log?.(`month ${month} of partner ${partnerId} stays open: ${(error as Error).message}`);
        break;
      }
    }
  }
  return closed;
}

/**
 * Months with ledger entries or usage for a partner, oldest first, after the latest closed month
 * and before the current one: the job closes months in order, so it never rescans what is closed
 * (an hourly scan of all usage would grow with the history).
 */
async function activeMonths(
  db: Db,
  partnerId: string,
  latestClosed: string | undefined,
  current: string,
): Promise<string[]> {
  const from = latestClosed
    ? new Date(Date.UTC(Number(latestClosed.slice(0, 4)), Number(latestClosed.slice(5, 7)), 1))
    : new Date(0);
  const to = new Date(`${current}-01T00:00:00Z`);
  const ledger = await db
    .selectFrom('ledger_entries')
    .select('billing_month')
    .distinct()
    .where('partner_id', '=', partnerId)
    .where('billing_month', '>=', from.toISOString().slice(0, 10))
    .where('billing_month', '<', to.toISOString().slice(0, 10))
    .execute();
  const usage = await db
    .selectFrom('usage_records')
    .innerJoin('customers', 'customers.id', 'usage_records.customer_id')
    .select(sql<string>`to_char(usage_records.hour at time zone 'UTC', 'YYYY-MM')`.as('m'))
    .distinct()
    .where('customers.partner_id', '=', partnerId)
    .where('usage_records.hour', '>=', from)
    .where('usage_records.hour', '<', to)
    .execute();
  return [...new Set([...ledger.map((r) => r.billing_month.slice(0, 7)), ...usage.map((u) => u.m)])].sort();
}

/** Runs `closeDueMonths` now and then every `everyMs` until stopped. */
export function startMonthCloser(
  db: Db,
  options: { closeAfterDays: number; everyMs?: number; log: (line: string) => void },
) {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    try {
      for (const c of await closeDueMonths(db, options))
        options.log(`closed ${c.month} for partner ${c.partnerId}: ${c.invoices} invoice(s) issued`);
    } catch (error) {
      options.log(`month close failed: ${(error as Error).message}`);
    }
    if (!stopped) timer = setTimeout(tick, options.everyMs ?? 3_600_000);
  };
  timer = setTimeout(tick, 0);
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
