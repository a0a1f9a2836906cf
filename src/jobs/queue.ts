import { hostname } from 'node:os';
import { sql } from 'kysely';
import type { Db } from '../store/db.ts';

/**
 * A durable job queue in PostgreSQL. Any number of worker processes claim jobs with
 * `FOR UPDATE SKIP LOCKED`, so each job runs once; a job whose worker died is claimed again once
 * its lock is older than `staleAfterMs`.
 */
export const workerName = `${hostname()}:${process.pid}`;

export async function enqueue(db: Db, kind: string, payloads: Record<string, unknown>[]): Promise<number[]> {
  if (payloads.length === 0) return [];
  const rows = await db
    .insertInto('jobs')
    .values(payloads.map((p) => ({ kind, payload: JSON.stringify(p) })))
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

export interface ClaimedJob {
  id: number;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
}

export async function claim(
  db: Db,
  kinds: string[],
  worker = workerName,
  staleAfterMs = 10 * 60_000,
): Promise<ClaimedJob | null> {
  const stale = new Date(Date.now() - staleAfterMs);
  const result = await sql<ClaimedJob>`
    update jobs set status = 'running', locked_by = ${worker}, locked_at = now(), attempts = attempts + 1
    where id = (
      select id from jobs
      where kind in (${sql.join(kinds)})
        and ((status = 'queued' and run_after <= now()) or (status = 'running' and locked_at < ${stale}))
      order by id
      for update skip locked
      limit 1
    )
    returning id, kind, payload, attempts`.execute(db);
  return result.rows[0] ?? null;
}

export async function complete(db: Db, id: number): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ status: 'done', finished_at: new Date(), error: null })
    .where('id', '=', id)
    .execute();
}

/** A failed job is retried later, up to `maxAttempts`, then left failed with its error. */
export async function fail(db: Db, job: ClaimedJob, error: unknown, maxAttempts = 3): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  const retry = job.attempts < maxAttempts;
  await db
    .updateTable('jobs')
    .set({
      status: retry ? 'queued' : 'failed',
      error: message.slice(0, 2000),
      run_after: new Date(Date.now() + 2 ** job.attempts * 1000),
      finished_at: retry ? null : new Date(),
    })
    .where('id', '=', job.id)
    .execute();
}

export async function queueCounts(db: Db, kind: string) {
  const rows = await db
    .selectFrom('jobs')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('kind', '=', kind)
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])) as Partial<
    Record<'queued' | 'running' | 'done' | 'failed', number>
  >;
}
