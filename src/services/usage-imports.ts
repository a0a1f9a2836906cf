import { authorize } from '../domain/policies.ts';
import type { Db } from '../store/db.ts';
import { writeAudit } from './audit-log.ts';
import type { Call } from './call.ts';
import { importSummaryOf, queueRerunsOf } from './operator-usage.ts';
import { openUsageFile, type UsageFileInput, type UsageFormat } from './usage-file.ts';
import { type ImportedUsage, importUsageRows } from './usage-import.ts';
import { ledgerCurrencyOf } from './usage-pricing.ts';

/**
 * A partner's Admin agent imports usage of its own customers through the API (`POST
 * /api/usage/imports`), in Mitra's CSV or the cloud's FOCUS export, so a server on the embedded
 * database never has to stop for it. Only the partner's customers are read: a row of another
 * partner's customer is "not a customer of yours", like one that does not exist, and nothing is
 * imported. The rows, the queued benefit re-runs and one activity record commit together.
 */
export async function importPartnerUsage(
  db: Db,
  call: Call,
  input: UsageFileInput,
  options: { format?: UsageFormat; file?: string } = {},
): Promise<ImportedUsage & { runsQueued: number; format: UsageFormat }> {
  authorize(call.actor, 'usageImport');
  const partnerId = call.actor.partnerId;
  let runsQueued = 0;
  const opened = await openUsageFile(input, {
    format: options.format,
    ledgerCurrency: await ledgerCurrencyOf(db),
  });
  try {
    const imported = await importUsageRows(db, opened.source, {
      partnerId,
      beforeCommit: async (trx, result) => {
        runsQueued = await queueRerunsOf(trx, result);
        if (!result.customers.length) return;
        const summary = importSummaryOf(result.customers);
        await writeAudit(trx, call, {
          partnerId,
          resourceType: 'usage',
          operationType: 'import_usage',
          newValue: { ...summary, skipped: result.skipped },
          details: {
            format: opened.format,
            ...(opened.version ? { version: opened.version } : {}),
            ...(options.file ? { file: options.file } : {}),
            rows: String(summary.rows),
            customers: String(summary.customers),
          },
        });
      },
    });
    return { ...imported, runsQueued, format: opened.format };
  } finally {
    await opened.close();
  }
}
