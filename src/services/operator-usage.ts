import { authorizeOperator, type OperatorCall, operatorDetails } from '../domain/operator.ts';
import { benefitRunKind } from '../jobs/benefit-jobs.ts';
import { enqueue } from '../jobs/queue.ts';
import type { Db } from '../store/db.ts';
import { writeAudit } from './audit-log.ts';
import type { Call } from './call.ts';
import { openUsageFile, type UsageFileInput, type UsageFormat } from './usage-file.ts';
import { type ImportedUsage, importUsageRows } from './usage-import.ts';
import { ledgerCurrencyOf } from './usage-pricing.ts';

const dayMs = 86_400_000;

/** The operator's change as one partner's activity log records it: done by the system. */
export const systemCallFor = (call: OperatorCall, partnerId: string): Call => ({
  actor: { kind: 'system', partnerId },
  correlationId: call.correlationId,
});

/**
 * Queues the benefit re-runs an import asks for, in its transaction: whole UTC days, since a run
 * replaces its days' results (and daily utilisation and rollups) exactly.
 */
export async function queueRerunsOf(trx: Db, imported: ImportedUsage): Promise<number> {
  const runs = imported.customers.map((c) => ({
    customerId: c.customerId,
    from: new Date(Math.floor(c.from.getTime() / dayMs) * dayMs).toISOString(),
    to: new Date(Math.ceil(c.to.getTime() / dayMs) * dayMs).toISOString(),
  }));
  return (await enqueue(trx, benefitRunKind, runs)).length;
}

/** What one partner's activity record of an import says: rows, customers and the hours covered. */
export function importSummaryOf(customers: ImportedUsage['customers']) {
  const from = new Date(Math.min(...customers.map((c) => c.from.getTime()))).toISOString();
  const to = new Date(Math.max(...customers.map((c) => c.to.getTime()))).toISOString();
  const rows = customers.reduce((n, c) => n + c.rows, 0);
  return { rows, customers: customers.length, from, to };
}

/**
 * `mitra usage import`, through the server or on the database: the rows, one activity record per
 * partner whose customers got usage, and the benefit re-runs of the affected days all commit
 * together or not at all. The file is Mitra's usage CSV or a FOCUS export (docs/usage-focus.md).
 */
export async function importUsage(
  db: Db,
  call: OperatorCall,
  input: UsageFileInput,
  options: { file?: string; format?: UsageFormat } = {},
): Promise<ImportedUsage & { benefitRunsQueued: number; format: UsageFormat }> {
  authorizeOperator(call);
  let queued = 0;
  const opened = await openUsageFile(input, {
    format: options.format,
    ledgerCurrency: await ledgerCurrencyOf(db),
  });
  try {
    const imported = await importUsageRows(db, opened.source, {
      beforeCommit: async (trx, result) => {
        queued = await queueRerunsOf(trx, result);
        for (const [partnerId, customers] of groupBy(result.customers, (c) => c.partnerId)) {
          const summary = importSummaryOf(customers);
          await writeAudit(trx, systemCallFor(call, partnerId), {
            partnerId,
            resourceType: 'usage',
            operationType: 'import_usage',
            newValue: summary,
            details: {
              ...operatorDetails(call.operator),
              ...(options.file ? { file: options.file } : {}),
              format: opened.format,
              rows: String(summary.rows),
              customers: String(summary.customers),
            },
          });
        }
      },
    });
    return { ...imported, benefitRunsQueued: queued, format: opened.format };
  } finally {
    await opened.close();
  }
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
