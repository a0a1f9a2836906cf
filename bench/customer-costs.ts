import { sql } from 'kysely';
import { demoId, loadDemoData } from '../src/demo/load.ts';
import { addDays, dayOf, presetRange } from '../src/domain/customer-costs.ts';
import { customerCosts } from '../src/services/customer-costs.ts';
import { freshDatabase } from '../test/support/db.ts';

/**
 * A customer's 90-day cost view over the daily rollups (R17): `rows` synthetic rollup rows a day
 * (what ~10M usage rows over 90 days roll up to: ~4,600 resource × meter × region lines a day),
 * then `GET /api/my/costs`' service for each grouping, `runs` times each. Prints p50 and p95 in ms.
 * Usage: npx tsx bench/customer-costs.ts [rowsPerDay=4600] [runs=30] (DATABASE_URL → PostgreSQL).
 */
const rowsPerDay = Number(process.argv[2] ?? 4600);
const runs = Number(process.argv[3] ?? 30);
const kind = process.env.DATABASE_URL ? 'postgres' : 'pglite';
const handle = await freshDatabase(kind);
const db = handle.db;
await loadDemoData(db, { password: 'x', usageDays: 0 });
const fabrikam = demoId('fabrikam');
const subscription = demoId('fabrikam-subscription');
await db
  .insertInto('cost_management_settings')
  .values({
    customer_id: fabrikam,
    partner_id: demoId('contoso'),
    enabled: true,
    changed_at: new Date(),
    changed_by: 'bench',
  })
  .execute();
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
console.log(`${kind}: ${90 * rowsPerDay} rollup rows written in ${Date.now() - t0} ms`);
const actor = {
  kind: 'customer_user' as const,
  userId: demoId('owner@fabrikam.example'),
  customerId: fabrikam,
  partnerId: demoId('contoso'),
  email: 'owner@fabrikam.example',
};
const call = { actor, correlationId: 'bench' };
const range = presetRange('last90Days', new Date());
const views = {
  day: { groupBy: [], daily: true },
  meter: { groupBy: ['meterCategory', 'meter'], daily: false },
  resourceGroup: { groupBy: ['subscription', 'resourceGroup'], daily: false },
  resource: { groupBy: ['subscription', 'resourceGroup', 'resource'], daily: false },
} as const;
console.log('| view (90 days) | lines | p50 ms | p95 ms |\n|---|---:|---:|---:|');
for (const [name, v] of Object.entries(views)) {
  const times: number[] = [];
  let lines = 0;
  for (let i = 0; i < runs + 3; i++) {
    const start = performance.now();
    const view = await customerCosts(db, call, {
      range,
      subscription: { id: subscription },
      groupBy: [...v.groupBy],
      daily: v.daily,
    });
    if (i >= 3) times.push(performance.now() - start);
    lines = view.lines.length;
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(1);
  console.log(`| ${name} | ${lines} | ${at(0.5)} | ${at(0.95)} |`);
}
await handle.close();
