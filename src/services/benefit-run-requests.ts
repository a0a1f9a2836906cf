import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { invalid, notFound } from '../domain/errors.ts';
import { isUuid } from '../domain/ids.ts';
import { authorizeOperator, type OperatorCall, operatorDetails } from '../domain/operator.ts';
import { benefitRunKind } from '../jobs/benefit-jobs.ts';
import { enqueue } from '../jobs/queue.ts';
import type { Db } from '../store/db.ts';
import { writeAudit } from './audit-log.ts';
import { customersWithUsage, type Period } from './benefit-runs.ts';
import { inTransaction } from './call.ts';
import { groupBy, systemCallFor } from './operator-usage.ts';

/** One `mitra benefits run`: its jobs carry the batch id and sit in [firstJob, lastJob]. */
export interface BenefitRunBatch {
  batch: string;
  firstJob: number;
  lastJob: number;
  customers: number;
}

/**
 * Queues one benefit run per customer for the period (every customer with Azure usage unless
 * named), with one activity record per partner, in one transaction. Whoever drains the queue
 * (the embedded server, `mitra worker`, the command itself) applies them.
 */
export async function requestBenefitRuns(
  db: Db,
  call: OperatorCall,
  period: Period,
  customerIds?: string[],
): Promise<BenefitRunBatch> {
  authorizeOperator(call);
  if (Number.isNaN(period.from.getTime()) || Number.isNaN(period.to.getTime()) || period.to <= period.from)
    throw invalid(
      'invalid-period',
      'The period needs a start before its end, such as 2026-11-01 to 2026-12-01.',
    );
  const malformed = customerIds?.find((id) => !isUuid(id));
  if (malformed) throw invalid('invalid-customer-id', `${malformed} is not a customer tenant id (a GUID).`);
  const ids = [...new Set(customerIds?.map((id) => id.toLowerCase()) ?? (await customersWithUsage(db)))];
  const customers = ids.length
    ? await db.selectFrom('customers').select(['id', 'partner_id']).where('id', 'in', ids).execute()
    : [];
  const known = new Set(customers.map((c) => c.id));
  const unknown = ids.find((id) => !known.has(id));
  if (unknown)
    throw notFound(
      'customer-not-found',
      `No customer with id ${unknown} exists; check the id with GET /v1/customers.`,
      60003,
    );
  const batch = randomUUID();
  const from = period.from.toISOString();
  const to = period.to.toISOString();
  return inTransaction(db, async (trx) => {
    const jobs = await enqueue(
      trx,
      benefitRunKind,
      ids.map((customerId) => ({ customerId, from, to, batch })),
    );
    for (const [partnerId, mine] of groupBy(customers, (c) => c.partner_id)) {
      await writeAudit(trx, systemCallFor(call, partnerId), {
        partnerId,
        resourceType: 'usage',
        operationType: 'apply_benefits',
        newValue: { from, to, customers: mine.length },
        details: { ...operatorDetails(call.operator), from, to, customers: String(mine.length) },
      });
    }
    return {
      batch,
      firstJob: jobs.length ? Math.min(...jobs) : 0,
      lastJob: jobs.length ? Math.max(...jobs) : 0,
      customers: ids.length,
    };
  });
}

export interface BenefitRunProgress {
  total: number;
  queued: number;
  running: number;
  done: number;
  failed: number;
  /** The first few failures' messages. */
  errors: string[];
  /** Usage rows the runs covered, once none is left to run. */
  usageRows: number | null;
}

/** Where a batch stands: read from the job table, whichever process drains it. */
export async function benefitRunProgress(
  db: Db,
  call: OperatorCall,
  batch: Omit<BenefitRunBatch, 'customers'>,
): Promise<BenefitRunProgress> {
  authorizeOperator(call);
  // The id range uses the primary key; the batch id keeps out jobs queued by anyone else meanwhile.
  const jobs = () =>
    db
      .selectFrom('jobs')
      .where('kind', '=', benefitRunKind)
      .where('id', '>=', batch.firstJob)
      .where('id', '<=', batch.lastJob)
      .where(sql<string>`payload->>'batch'`, '=', batch.batch);
  const counts = await jobs()
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  const n = (status: string) => Number(counts.find((c) => c.status === status)?.n ?? 0);
  const progress: BenefitRunProgress = {
    total: counts.reduce((sum, c) => sum + Number(c.n), 0),
    queued: n('queued'),
    running: n('running'),
    done: n('done'),
    failed: n('failed'),
    errors: [],
    usageRows: null,
  };
  if (progress.total === 0)
    throw notFound('benefit-runs-not-found', `No benefit runs of batch ${batch.batch} exist on this server.`);
  if (progress.failed)
    progress.errors = (
      await jobs().select('error').where('status', '=', 'failed').orderBy('id').limit(3).execute()
    ).map((j) => j.error ?? 'failed');
  if (progress.queued + progress.running === 0) {
    const row = await sql<{ n: number }>`
      select count(*)::int as n from usage_records u
      join jobs j on u.customer_id = (j.payload->>'customerId')::uuid
      where j.kind = ${benefitRunKind} and j.id between ${batch.firstJob} and ${batch.lastJob}
        and j.payload->>'batch' = ${batch.batch}
        and u.hour >= (j.payload->>'from')::timestamptz and u.hour < (j.payload->>'to')::timestamptz`.execute(
      db,
    );
    progress.usageRows = Number(row.rows[0]?.n ?? 0);
  }
  return progress;
}
