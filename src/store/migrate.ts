import { type Migration, type MigrationProvider, Migrator } from 'kysely';
import type { Db } from './db.ts';
import * as foundation from './migrations/0001_foundation.ts';
import * as selfServePolicies from './migrations/0002_self_serve_policies.ts';
import * as commitments from './migrations/0003_commitments.ts';
import * as benefitRuns from './migrations/0004_benefit_runs.ts';
import * as ledgerPeriods from './migrations/0005_ledger_periods.ts';
import * as customerPriceLists from './migrations/0006_customer_price_lists.ts';
import * as invoices from './migrations/0008_invoices.ts';
import * as costManagement from './migrations/0009_cost_management.ts';
import * as costRollups from './migrations/0010_cost_rollups.ts';
import * as usagePartitions from './migrations/0011_usage_partitions.ts';
import * as costRollupStatistics from './migrations/0012_cost_rollup_statistics.ts';
import * as partnerEvents from './migrations/0013_partner_events.ts';
import * as guardrails from './migrations/0015_guardrails.ts';
import * as alerts from './migrations/0016_alerts.ts';

/**
 * Checked-in migrations, in order. Names sort lexically; never rename or edit a landed one. The
 * next one is 0012 (0007 was never used): a name sorting before an applied one is refused.
 */
const migrations: Record<string, Migration> = {
  '0001_foundation': foundation,
  '0002_self_serve_policies': selfServePolicies,
  '0003_commitments': commitments,
  '0004_benefit_runs': benefitRuns,
  '0005_ledger_periods': ledgerPeriods,
  '0006_customer_price_lists': customerPriceLists,
  '0008_invoices': invoices,
  '0009_cost_management': costManagement,
  '0010_cost_rollups': costRollups,
  '0011_usage_partitions': usagePartitions,
  '0012_cost_rollup_statistics': costRollupStatistics,
  '0013_partner_events': partnerEvents,
  '0015_guardrails': guardrails,
  '0016_alerts': alerts,
};

/** What this code's database looks like: every name here is applied by `migrateToLatest`. */
export const migrationNames = () => Object.keys(migrations);

class CheckedInMigrations implements MigrationProvider {
  async getMigrations() {
    return migrations;
  }
}

export async function migrateToLatest(db: Db): Promise<void> {
  const migrator = new Migrator({ db, provider: new CheckedInMigrations() });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const name = failed ? ` (${failed.migrationName})` : '';
    throw new Error(
      `database migration failed${name}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
