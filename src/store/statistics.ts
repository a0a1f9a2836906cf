import { sql } from 'kysely';
import type { Db } from './db.ts';

/**
 * Refreshes the planner's statistics of the usage tables after a batch of benefit runs or an
 * import. Without them the planner takes freshly written rollups for a handful of rows and sorts
 * 90,000 of them on disk where a hash of 60 groups would do (a 90-day cost view: 95 ms instead of
 * 20). PostgreSQL's autovacuum gets there within a minute, but never analyzes a partitioned
 * parent, and the embedded PGlite has no autovacuum at all. ANALYZE samples a fixed number of
 * rows, so it costs the same on a month of rows as on a day's; it runs outside the writers'
 * transactions and does not block them.
 */
export async function refreshUsageStatistics(db: Db): Promise<void> {
  await sql`analyze usage_records, usage_benefits, usage_daily_costs`.execute(db);
}
