import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { demoId, loadDemoData } from '../src/demo/load.ts';
import { generateHourlyUsage } from '../src/demo/usage.ts';
import { usageCsvLine } from '../src/demo/usage-csv.ts';
import { drainBenefitRuns, enqueueBenefitRuns } from '../src/jobs/benefit-jobs.ts';
import { enginePool } from '../src/jobs/engine-pool.ts';
import { importUsageCsv, usageCsvColumns } from '../src/services/usage-import.ts';
import type { Db } from '../src/store/db.ts';
import { freshDatabase } from '../test/support/db.ts';
import { addManyCustomers } from '../test/support/many-customers.ts';
import { percentile, printTimings, timeCostRequests } from './cost-requests.ts';

/**
 * The product's usage path on PostgreSQL (`DATABASE_URL=… npm run bench -- usage-path`): a
 * generated month of hourly usage (`BENCH_USAGE_ROWS`, default 1M; docs/performance.md reports
 * 10M) for as many customers as it takes, imported from CSV as `mitra usage import` does (checked,
 * one transaction, COPY), then benefit runs for every customer (engine on two worker threads,
 * results and daily rollups written with COPY), then a customer's cost query over 90 days read
 * from the rollups and as its Owner asks for it over HTTP. Baselines in the same run: PostgreSQL's own COPY of the same file into an
 * unchecked staging table (the floor for loading), the engine's share of the run time, and the
 * same cost figures computed from the raw usage rows.
 */
const MB = 1024 * 1024;
const peakRss = () => (process.resourceUsage().maxRSS * 1024) / MB;

export async function usagePath() {
  if (!process.env.DATABASE_URL) {
    console.log('usage-path: set DATABASE_URL to a PostgreSQL server; skipped.');
    return;
  }
  const target = Number(process.env.BENCH_USAGE_ROWS ?? 1e6);
  const days = 30;
  const handle = await freshDatabase('postgres');
  const db = handle.db;
  const dir = mkdtempSync(join(tmpdir(), 'mitra-usage-path-'));
  const file = join(dir, 'usage.csv');
  try {
    await loadDemoData(db, { password: 'demo-password', usageDays: 0 });
    const now = new Date();
    const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
    // One demo subscription makes ≈ 480 rows a day; a few spare customers cover the spread.
    const customers = Math.ceil(target / (days * 480)) + 5;
    await addManyCustomers(db, demoId('contoso'), customers, Number.MAX_SAFE_INTEGER);
    const subs = await db
      .selectFrom('subscriptions')
      .innerJoin('customers', 'customers.id', 'subscriptions.customer_id')
      .select(['subscriptions.id', 'subscriptions.customer_id', 'subscriptions.entitlement_id'])
      .where('customers.company_name', 'like', 'Bulk Customer %')
      .orderBy('customers.company_name')
      .execute();

    let t = performance.now();
    const out = createWriteStream(file);
    const write = (s: string) =>
      out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r()));
    await write(`${usageCsvColumns.join(',')}\n`);
    let rows = 0;
    const used = new Set<string>();
    for (const s of subs) {
      if (rows >= target) break;
      used.add(s.customer_id);
      let chunk = '';
      for (const r of generateHourlyUsage({
        customerId: s.customer_id,
        subscriptions: [{ id: s.id, seed: s.id }],
        from: monthStart,
        hours: days * 24,
        seed: 7,
      })) {
        chunk += `${usageCsvLine(r, s.entitlement_id!)}\n`;
        rows += 1;
        if (chunk.length > 1 << 20) {
          await write(chunk);
          chunk = '';
        }
      }
      await write(chunk);
    }
    await new Promise<void>((r) => out.end(() => r()));
    const generateSeconds = (performance.now() - t) / 1000;

    // Baseline: PostgreSQL's own COPY of the file into an unchecked table of text columns.
    await sql
      .raw(`create unlogged table usage_staging (${usageCsvColumns.map((c) => `"${c}" text`).join(', ')})`)
      .execute(db);
    const url = await currentUrl(db);
    const raw = new pg.Client({ connectionString: url });
    await raw.connect();
    t = performance.now();
    await pipeline(
      createReadStream(file),
      raw.query(copyFrom('copy usage_staging from stdin with (format csv, header true)')),
    );
    const copySeconds = (performance.now() - t) / 1000;
    await raw.end();
    await sql`drop table usage_staging`.execute(db);

    t = performance.now();
    const imported = await importUsageCsv(db, createReadStream(file));
    const importSeconds = (performance.now() - t) / 1000;
    const importRss = peakRss();

    const period = { from: monthStart, to: new Date(monthStart.getTime() + days * 86_400_000) };
    await enqueueBenefitRuns(db, period, { customerIds: [...used] });
    const pool = enginePool(2);
    let engineSeconds = 0;
    const apply: typeof pool.apply = async (input) => {
      const s = performance.now();
      const o = await pool.apply(input);
      engineSeconds += (performance.now() - s) / 1000;
      return o;
    };
    t = performance.now();
    await drainBenefitRuns(db, apply, { concurrency: 2 });
    const runSeconds = (performance.now() - t) / 1000;
    await pool.close();
    const runRss = peakRss();
    const rollups = await sql<{ n: number }>`select count(*)::int as n from usage_daily_costs`.execute(db);
    const sizes = await sql<{ t: string; bytes: string }>`
      select t, sum(pg_total_relation_size(c.oid))::text as bytes
      from (values ('usage_records'), ('usage_benefits'), ('usage_daily_costs')) v(t)
      join pg_class c on c.relname = v.t or c.relname like v.t || '\_2%'
      group by t order by t`.execute(db);

    const queries = await costQueries(db, [...used], period);
    // The same customers' Owners asking over HTTP: 20 customers spread over the partner.
    const sample = [...used].filter((_, i) => i % Math.max(1, Math.floor(used.size / 20)) === 0).slice(0, 20);
    const requests = await timeCostRequests(
      db,
      sample.map((customerId) => ({ customerId, partnerId: demoId('contoso') })),
      { rounds: 5 },
    );

    const rate = (n: number, s: number) => `${Math.round(n / s).toLocaleString('en-US')}`;
    console.log(
      `\nUsage path on PostgreSQL: ${imported.rows.toLocaleString('en-US')} usage rows, ${used.size} customers, ${days} days\n`,
    );
    console.log('| step | seconds | rows/s | peak RSS of the process |');
    console.log('|---|---:|---:|---:|');
    console.log(
      `| generate the CSV (demo generator, not the product path) | ${generateSeconds.toFixed(1)} | ${rate(rows, generateSeconds)} | |`,
    );
    console.log(
      `| baseline: PostgreSQL COPY of the file into an unchecked text table | ${copySeconds.toFixed(1)} | ${rate(rows, copySeconds)} | |`,
    );
    console.log(
      `| usage import (checked, one transaction, COPY) | ${importSeconds.toFixed(1)} | ${rate(imported.rows, importSeconds)} | ${importRss.toFixed(0)} MiB |`,
    );
    console.log(
      `| benefit runs + daily rollups, ${used.size} customers | ${runSeconds.toFixed(1)} | ${rate(imported.rows, runSeconds)} | ${runRss.toFixed(0)} MiB |`,
    );
    console.log(
      `| … of which the engine (2 threads, summed per customer) | ${engineSeconds.toFixed(1)} | | |`,
    );
    console.log(
      `\nDaily rollup rows: ${rollups.rows[0].n.toLocaleString('en-US')} (${(imported.rows / rollups.rows[0].n).toFixed(0)} usage rows each)\n`,
    );
    console.log('| table (all partitions, with indexes) | MiB | bytes per usage row |');
    console.log('|---|---:|---:|');
    for (const z of sizes.rows)
      console.log(
        `| ${z.t} | ${(Number(z.bytes) / MB).toFixed(0)} | ${(Number(z.bytes) / imported.rows).toFixed(0)} |`,
      );
    console.log('');
    console.log('| cost query, one customer, 90 days | requests | p50 ms | p95 ms |');
    console.log('|---|---:|---:|---:|');
    for (const q of queries)
      console.log(`| ${q.name} | ${q.n} | ${q.p50.toFixed(1)} | ${q.p95.toFixed(1)} |`);
    console.log('');
    printTimings(`a customer's Owner over HTTP, ${sample.length} customers, last 90 days`, requests);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await handle.close();
  }
}

async function currentUrl(db: Db) {
  const name = (await sql<{ d: string }>`select current_database() as d`.execute(db)).rows[0].d;
  const u = new URL(process.env.DATABASE_URL!);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * A customer's daily cost and its by-resource-group split over 90 days, as the cost views ask
 * for them: from the rollups, and (baseline) from the raw rows.
 */
async function costQueries(db: Db, customers: string[], period: { to: Date }) {
  const to = period.to;
  const from = new Date(to.getTime() - 90 * 86_400_000);
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const pick = (i: number) => customers[(i * 7919) % customers.length];
  const time = async (n: number, f: (c: string) => Promise<unknown>) => {
    const ms: number[] = [];
    for (let i = 0; i < n; i++) {
      const s = performance.now();
      await f(pick(i));
      ms.push(performance.now() - s);
    }
    return { n, p50: percentile(ms, 50), p95: percentile(ms, 95) };
  };
  const rollup = await time(200, async (c) => {
    await sql`select day, sum(actual_cost) from usage_daily_costs
      where customer_id = ${c} and day >= ${day(from)} and day < ${day(to)} group by day order by day`.execute(
      db,
    );
    await sql`select resource_group, sum(actual_cost) from usage_daily_costs
      where customer_id = ${c} and day >= ${day(from)} and day < ${day(to)} group by resource_group`.execute(
      db,
    );
  });
  const rawRows = await time(20, async (c) => {
    await sql`select (u.hour at time zone 'UTC')::date, sum(coalesce(b.actual_cost, u.quantity * u.payg_unit_price))
      from usage_records u left join usage_benefits b on b.usage_id = u.id and b.hour = u.hour
      where u.customer_id = ${c} and u.hour >= ${from} and u.hour < ${to} group by 1 order by 1`.execute(db);
    await sql`select u.resource_group, sum(coalesce(b.actual_cost, u.quantity * u.payg_unit_price))
      from usage_records u left join usage_benefits b on b.usage_id = u.id and b.hour = u.hour
      where u.customer_id = ${c} and u.hour >= ${from} and u.hour < ${to} group by 1`.execute(db);
  });
  return [
    { name: 'baseline: the same figures from the raw usage rows', ...rawRows },
    { name: 'from the daily rollups', ...rollup },
  ];
}
