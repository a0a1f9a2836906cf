import { sql } from 'kysely';
import { demoId, loadDemoData } from '../src/demo/load.ts';
import { addDays, dayOf } from '../src/domain/customer-costs.ts';
import { refreshUsageStatistics } from '../src/store/statistics.ts';
import { freshDatabase } from '../test/support/db.ts';
import { printTimings, timeCostRequests } from './cost-requests.ts';

/**
 * One very large customer's 90-day cost views over the daily rollups (R17): `rows` synthetic
 * rollup lines a day for one subscription. 4,600 a day is what a customer with 10M usage rows in
 * 90 days rolls up to (4,600 resources running every hour, one meter each). Then its Owner's
 * `GET /api/my/costs` over HTTP for each grouping, request to response (bench/cost-requests.ts).
 * Usage: npx tsx bench/customer-costs.ts [rowsPerDay=4600] [rounds=20] (DATABASE_URL → PostgreSQL).
 */
const rowsPerDay = Number(process.argv[2] ?? 4600);
const rounds = Number(process.argv[3] ?? 20);
const kind = process.env.DATABASE_URL ? 'postgres' : 'pglite';
const handle = await freshDatabase(kind);
const db = handle.db;
await loadDemoData(db, { password: 'x', usageDays: 0 });
const fabrikam = demoId('fabrikam');
const subscription = demoId('fabrikam-subscription');
const today = dayOf(new Date());
const t0 = Date.now();
for (let d = 0; d < 90; d++) {
  await sql`
    insert into usage_daily_costs (customer_id, day, subscription_id, resource_group, resource_id, meter_category,
      sku, region, usage_rows, quantity, covered_quantity, retail_cost, actual_cost, amortized_cost)
    select ${fabrikam}, ${addDays(today, -d)}::date, ${subscription}, 'rg-' || (i % 40),
      '/subscriptions/x/resourceGroups/rg-' || (i % 40) || '/providers/Microsoft.Compute/virtualMachines/vm-' || i,
      case when i % 3 = 0 then 'Storage' else 'Virtual Machines' end, 'sku-' || (i % 60), 'eastus',
      24, 24, 12, 24 * 0.1234567, 12 * 0.1234567, 24 * 0.1234567
    from generate_series(1, ${rowsPerDay}) i`.execute(db);
}
// What a drained batch of benefit runs does after writing its rollups (src/jobs/benefit-jobs.ts).
await refreshUsageStatistics(db);
console.log(
  `${kind}: ${(90 * rowsPerDay).toLocaleString('en-US')} rollup rows written in ${Date.now() - t0} ms`,
);
const timings = await timeCostRequests(db, [{ customerId: fabrikam, partnerId: demoId('contoso') }], {
  rounds,
});
printTimings(`${kind}, one customer, ${rowsPerDay} lines a day, last 90 days`, timings);
await handle.close();
