import { sql } from 'kysely';
import type { Db } from './db.ts';

/**
 * Monthly partitions of `usage_records` and `usage_benefits` (migration 0011). A month's
 * partitions are made before its rows arrive, in their own short transaction: creating a
 * partition locks the parent table, which must not be held for the length of an import.
 *
 * A month whose rows already sit in the default partition (rows that came before their month
 * had a partition) keeps them there: PostgreSQL refuses a new partition that would strand rows
 * of the default one. Correct either way; only pruning is lost for that month.
 */
export const partitionedUsageTables = ['usage_records', 'usage_benefits'] as const;

const monthStart = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
const nextMonth = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
const suffix = (d: Date) => `${d.getUTCFullYear()}_${String(d.getUTCMonth() + 1).padStart(2, '0')}`;

/** The months [from, to) touches, as their first instants. */
export function monthsOf(from: Date, to: Date): Date[] {
  const months: Date[] = [];
  for (let m = monthStart(from); m < to; m = nextMonth(m)) months.push(m);
  return months;
}

/** Makes sure every month of [from, to) has its partitions; returns how many tables it made. */
export async function ensureUsagePartitions(db: Db, from: Date, to: Date): Promise<number> {
  const wanted = monthsOf(from, to);
  if (!wanted.length) return 0;
  const existing = new Set(
    (
      await sql<{ name: string }>`
        select c.relname as name from pg_inherits i
        join pg_class c on c.oid = i.inhrelid
        join pg_class p on p.oid = i.inhparent
        where p.relname in ('usage_records', 'usage_benefits')
      `.execute(db)
    ).rows.map((r) => r.name),
  );
  const missing = wanted.filter((m) =>
    partitionedUsageTables.some((t) => !existing.has(`${t}_${suffix(m)}`)),
  );
  if (!missing.length) return 0;
  let made = 0;
  await db.transaction().execute(async (trx) => {
    // Two processes making the same month: the second waits, then finds it made.
    await sql`select pg_advisory_xact_lock(hashtext('mitra.usage_partitions'))`.execute(trx);
    for (const m of missing) {
      const end = nextMonth(m);
      const stranded = await sql<{ n: number }>`
        select count(*)::int as n from (select 1 from usage_records_default
          where hour >= ${m} and hour < ${end} limit 1) s
      `.execute(trx);
      if (stranded.rows[0].n > 0) continue;
      for (const table of partitionedUsageTables) {
        const name = `${table}_${suffix(m)}`;
        const found = await sql<{ r: string | null }>`select to_regclass(${name})::text as r`.execute(trx);
        if (found.rows[0].r) continue;
        await sql
          .raw(
            `create table ${name} partition of ${table} for values from ('${m.toISOString()}') to ('${end.toISOString()}')`,
          )
          .execute(trx);
        made += 1;
      }
    }
  });
  return made;
}

/** What an import or a demo load prepares: the past year, this month and the next. */
export function usagePartitionWindow(now: Date): { from: Date; to: Date } {
  const from = monthStart(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 12, 1)));
  const to = nextMonth(nextMonth(monthStart(now)));
  return { from, to };
}
