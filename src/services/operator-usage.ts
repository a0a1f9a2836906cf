import { authorizeOperator, type OperatorCall, operatorDetails } from '../domain/operator.ts';
import { benefitRunKind } from '../jobs/benefit-jobs.ts';
import { enqueue } from '../jobs/queue.ts';
import type { Db } from '../store/db.ts';
import { writeAudit } from './audit-log.ts';
import type { Call } from './call.ts';
import { type ImportedUsage, importUsageCsv } from './usage-import.ts';

const dayMs = 86_400_000;

/** The operator's change as one partner's activity log records it: done by the system. */
export const systemCallFor = (call: OperatorCall, partnerId: string): Call => ({
  actor: { kind: 'system', partnerId },
  correlationId: call.correlationId,
});

/**
 * `mitra usage import`, through the server or on the database: the rows, one activity record per
 * partner whose customers got usage, and the benefit re-runs of the affected days all commit
 * together or not at all.
 */
export async function importUsage(
  db: Db,
  call: OperatorCall,
  source: AsyncIterable<string | Buffer> | string,
  file?: string,
): Promise<ImportedUsage & { benefitRunsQueued: number }> {
  authorizeOperator(call);
  let queued = 0;
  const imported = await importUsageCsv(db, source, {
    beforeCommit: async (trx, result) => {
      // Whole UTC days: a run replaces its days' results (and daily utilisation) exactly.
      const runs = result.customers.map((c) => ({
        customerId: c.customerId,
        from: new Date(Math.floor(c.from.getTime() / dayMs) * dayMs).toISOString(),
        to: new Date(Math.ceil(c.to.getTime() / dayMs) * dayMs).toISOString(),
      }));
      queued = (await enqueue(trx, benefitRunKind, runs)).length;
      for (const [partnerId, customers] of groupBy(result.customers, (c) => c.partnerId)) {
        const from = new Date(Math.min(...customers.map((c) => c.from.getTime()))).toISOString();
        const to = new Date(Math.max(...customers.map((c) => c.to.getTime()))).toISOString();
        const rows = customers.reduce((n, c) => n + c.rows, 0);
        await writeAudit(trx, systemCallFor(call, partnerId), {
          partnerId,
          resourceType: 'usage',
          operationType: 'import_usage',
          newValue: { rows, customers: customers.length, from, to },
          details: {
            ...operatorDetails(call.operator),
            ...(file ? { file } : {}),
            rows: String(rows),
            customers: String(customers.length),
          },
        });
      }
    },
  });
  return { ...imported, benefitRunsQueued: queued };
}

/** The Azure subscriptions usage can be generated for (`mitra usage generate`). */
export async function usageSubscriptions(db: Db, call: OperatorCall) {
  authorizeOperator(call);
  const rows = await db
    .selectFrom('subscriptions')
    .select(['id', 'customer_id', 'entitlement_id'])
    .where('product_type', 'in', ['azure_plan', 'azure_global'])
    .where('status', '=', 'active')
    .orderBy('customer_id')
    .execute();
  return rows.map((s) => ({ id: s.id, customerId: s.customer_id, entitlementId: s.entitlement_id }));
}

export function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
