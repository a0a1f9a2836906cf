import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoId } from '../../src/demo/load.ts';
import type { OperatorCall } from '../../src/domain/operator.ts';
import { inlineApply } from '../../src/jobs/engine-pool.ts';
import { runBenefits } from '../../src/services/benefit-runs.ts';
import { importUsage } from '../../src/services/operator-usage.ts';
import type { UsageFormat } from '../../src/services/usage-file.ts';
import { demoWorld, type TestWorld, users } from '../support/app.ts';
import { fabrikam, fabrikamAzure } from '../support/commitments.ts';
import { databaseKinds } from '../support/db.ts';
import {
  demoUsageRows,
  type FocusCostOptions,
  focusCostCsv,
  type MitraUsageRow,
  mitraCsv,
  shuffledCsv,
} from '../support/focus-cost.ts';

const dayMs = 86_400_000;
const today = new Date(Math.floor(Date.now() / dayMs) * dayMs);
const period = { from: new Date(today.getTime() - 2 * dayMs), to: today };
const tailspin = demoId('tailspin');
const adatum = demoId('adatum');
const contosoCustomers = [fabrikam, tailspin];

const operator = (): OperatorCall => ({
  operator: { kind: 'operator', command: 'usage import', osUser: null, via: 'database' },
  correlationId: randomUUID(),
});

/** A FocusCost CSV turned into Parquet by DuckDB, typed as Azure types it: timestamps in UTC, decimals. */
async function parquetOf(csvPath: string, out: string) {
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  try {
    await c.run("SET TimeZone = 'UTC'");
    const at = (col: string) => `CAST(${col} AS TIMESTAMPTZ) AS ${col}`;
    const dec = (col: string) => `CAST(${col} AS DECIMAL(38, 10)) AS ${col}`;
    await c.run(
      `COPY (SELECT * REPLACE (${at('ChargePeriodStart')}, ${at('ChargePeriodEnd')}, ${at('BillingPeriodStart')}, ${at('BillingPeriodEnd')}, ${dec('ConsumedQuantity')}, ${dec('ListUnitPrice')}, ${dec('PricingQuantity')}, ${dec('BilledCost')})
        FROM read_csv('${csvPath}', all_varchar = true, header = true)) TO '${out}' (FORMAT parquet)`,
    );
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

describe.each(databaseKinds)('usage from the FOCUS cost export on %s', (kind) => {
  let world: TestWorld;
  let dir: string;
  let rows: MitraUsageRow[];
  const apply = inlineApply();
  const db = () => world.handle.db;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mitra-focus-'));
    world = await demoWorld(kind, { usageDays: 0 });
    rows = await demoUsageRows(db(), contosoCustomers, period.from, 48);
    // A reservation of Fabrikam's busiest VM size, smaller than its fleet of that size, so rows
    // compete for it (the engine's tie-breaks must not depend on the order rows arrived in), and
    // a savings plan that needs the savings plan rates.
    const hours = new Map<string, number>();
    for (const r of rows)
      if (r.customerId === fabrikam && r.reservedResourceType)
        hours.set(`${r.sku}|${r.region}`, (hours.get(`${r.sku}|${r.region}`) ?? 0) + Number(r.quantity));
    const [sku, region] = [...hours].sort((a, b) => b[1] - a[1])[0][0].split('|');
    for (const [path, payload] of [
      [
        'reservations',
        {
          billingSubscriptionId: fabrikamAzure,
          sku,
          region,
          term: 'P1Y',
          billingPlan: 'Upfront',
          quantity: 1,
        },
      ],
      [
        'savings-plans',
        {
          billingSubscriptionId: fabrikamAzure,
          hourlyCommitment: '0.05',
          term: 'P1Y',
          billingPlan: 'Monthly',
        },
      ],
    ] as const) {
      const res = await world.app.inject({
        method: 'POST',
        url: `/api/customers/${fabrikam}/${path}`,
        headers: { ...(await world.as(users.admin)), 'idempotency-key': `focus-${path}` },
        payload: { ...payload, appliedScopeType: 'Shared' },
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    await db()
      .updateTable('commitments')
      .set({ purchased_at: new Date(period.from.getTime() - dayMs) })
      .where('customer_id', '=', fabrikam)
      .execute();
    // A demo world, two days of usage and two purchases: slow on a shared machine, never timed.
  }, 300_000);
  afterAll(async () => {
    await world?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const write = (name: string, content: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  /** Usage and everything derived from it gone: the world as before any import. */
  async function reset() {
    for (const table of [
      'usage_benefits',
      'usage_daily_costs',
      'commitment_utilization',
      'usage_records',
      'jobs',
      'benefit_runs',
    ] as const)
      await db().deleteFrom(table).execute();
  }

  /** What an import leaves, keyed by each row's content (row ids follow the file's order). */
  async function stored() {
    const usage = await sql<Record<string, unknown>>`
      select customer_id, subscription_id, hour, resource_group, region, meter_category,
        reserved_resource_type, sku, quantity::text, payg_unit_price::text, sp_unit_price_p1y::text,
        sp_unit_price_p3y::text, benefit_eligible, resource_id
      from usage_records order by 1, 2, 3, 4, 5, 6, 7, 8, 14, 9`.execute(db());
    const benefits = await sql<Record<string, unknown>>`
      select u.customer_id, u.hour, u.resource_group, u.meter_category, u.sku, u.resource_id, u.quantity::text,
        b.coverage::text, b.payg_quantity::text, b.actual_cost::text, b.amortized_cost::text
      from usage_benefits b join usage_records u on u.id = b.usage_id order by 1, 2, 3, 4, 5, 6, 7`.execute(
      db(),
    );
    const utilization = await sql<Record<string, unknown>>`
      select commitment_id, day, capacity::text, consumed::text, unused_cost::text
      from commitment_utilization order by 1, 2`.execute(db());
    return { usage: usage.rows, benefits: benefits.rows, utilization: utilization.rows };
  }

  async function importAndRun(path: string, format?: UsageFormat) {
    await reset();
    const imported = await importUsage(db(), operator(), { path }, { format, file: 'usage' });
    for (const c of contosoCustomers) await runBenefits(db(), apply, c, period, 'test');
    return { imported, ...(await stored()) };
  }

  let baseline: Awaited<ReturnType<typeof stored>>;

  it('Mitra CSV: a shuffled file stores the same rows and gives the same benefit results as the sorted one', async () => {
    const sorted = await importAndRun(write('usage.csv', mitraCsv(rows)));
    expect(sorted.imported).toMatchObject({ rows: rows.length, format: 'csv' });
    expect(sorted.usage).toHaveLength(rows.length);
    // The reservation is used, and rows compete for it: the comparison below is not vacuous.
    expect(sorted.benefits.some((b) => String(b.coverage).includes('"by"'))).toBe(true);
    baseline = { usage: sorted.usage, benefits: sorted.benefits, utilization: sorted.utilization };
    const shuffled = await importAndRun(write('shuffled.csv', shuffledCsv(mitraCsv(rows))));
    expect({ usage: shuffled.usage, benefits: shuffled.benefits, utilization: shuffled.utilization }).toEqual(
      baseline,
    );
  });

  const variants: [string, FocusCostOptions, (csv: string) => Promise<string>][] = [
    [
      'FocusCost 1.0r2 CSV',
      { version: '1.0r2', coveredSku: undefined },
      async (csv) => write('focus-10r2.csv', csv),
    ],
    [
      'FocusCost 1.0 CSV (minutes-only dates, no x_CustomerId), shuffled',
      { version: '1.0', withoutCustomerId: true },
      async (csv) => write('focus-10.csv', shuffledCsv(csv, 7)),
    ],
    [
      'FocusCost 1.2-preview CSV, gzip, billed in IDR, with usage the cloud already covered',
      { version: '1.2-preview', billing: { currency: 'IDR', rate: '16250' }, coveredSku: 'Standard_D2s_v3' },
      async (csv) => write('focus-12.csv.gz', gzipSync(csv)),
    ],
    [
      'FocusCost 1.0r2 Parquet, shuffled',
      { version: '1.0r2' },
      async (csv) => {
        const out = join(dir, 'focus.parquet');
        await parquetOf(write('for-parquet.csv', shuffledCsv(csv, 3)), out);
        return out;
      },
    ],
  ];

  for (const [name, options, file] of variants) {
    it(`${name}: the same stored rows and benefit results as the Mitra CSV`, async () => {
      const csv = focusCostCsv(rows, options);
      const run = await importAndRun(await file(csv));
      expect(run.imported).toMatchObject({
        rows: rows.length,
        format: 'focus',
        skipped: { purchases: 1, unused: 2, other: 0 },
      });
      expect({ usage: run.usage, benefits: run.benefits, utilization: run.utilization }).toEqual(baseline);
    });
  }

  it('a daily FocusCost row becomes 24 hourly rows of a 24th of it, adding up to the day exactly', async () => {
    const run = await importAndRun(
      write('daily.csv', focusCostCsv(rows, { version: '1.0r2', daily: true })),
      'focus',
    );
    const vm = rows.find((r) => r.reservedResourceType)!;
    const day = new Date(Math.floor(vm.hour.getTime() / dayMs) * dayMs);
    const same = (r: { resource_id?: unknown; sku?: unknown; hour?: unknown }) =>
      r.resource_id === vm.resourceId &&
      r.sku === vm.sku &&
      new Date(r.hour as Date).getTime() >= day.getTime() &&
      new Date(r.hour as Date).getTime() < day.getTime() + dayMs;
    const stored = run.usage.filter(same);
    expect(stored).toHaveLength(24);
    const total = rows
      .filter(
        (r) =>
          r.resourceId === vm.resourceId &&
          r.sku === vm.sku &&
          r.hour >= day &&
          r.hour.getTime() < day.getTime() + dayMs,
      )
      .reduce((n, r) => n + Math.round(Number(r.quantity) * 1e6), 0);
    const hourly = stored.map((r) => Math.round(Number(r.quantity) * 1e6));
    expect(hourly.reduce((a, b) => a + b, 0)).toBe(total);
    expect(Math.max(...hourly) - Math.min(...hourly)).toBeLessThanOrEqual(1);
    expect(new Set(stored.map((r) => new Date(r.hour as Date).getUTCHours())).size).toBe(24);
  });

  const badFiles: [string, (csv: string) => string, RegExp][] = [
    [
      'a missing column',
      (csv) => csv.replace('ConsumedQuantity,', 'Consumed,'),
      /^Line 1, column ConsumedQuantity: the header lacks ConsumedQuantity/,
    ],
    [
      'a bad date',
      // ChargeFrequency, ChargePeriodEnd and ChargePeriodStart are neighbours in the header.
      (csv) => {
        const lines = csv.split('\n');
        lines[5] = lines[5].replace(
          /Usage-Based,([^,]+),(\d{4}-\d{2}-\d{2})T(\d{2}):00:00Z/,
          'Usage-Based,$1,$2 $3:00',
        );
        return lines.join('\n');
      },
      /^Line 6, column ChargePeriodStart: ".*" is not a UTC date and time/,
    ],
    [
      'an unknown subscription',
      (csv) => {
        const lines = csv.split('\n');
        lines[9] = lines[9].replace(
          /,\/subscriptions\/[0-9a-f-]+,/,
          ',/subscriptions/00000000-0000-4000-8000-00000000dead,',
        );
        return lines.join('\n');
      },
      /^Line 10, column SubAccountId: not an Azure subscription of that customer/,
    ],
    [
      'a 1.0-preview export',
      (csv) => csv.replace('ConsumedQuantity,', 'UsageQuantity,'),
      /^Line 1, column ConsumedQuantity: this is a FocusCost 1.0-preview export/,
    ],
  ];

  for (const [name, breakIt, message] of badFiles) {
    it(`a file with ${name} is refused with its line, and nothing is written`, async () => {
      await reset();
      const path = write('bad.csv', breakIt(focusCostCsv(rows, { version: '1.0r2' })));
      const error = await importUsage(db(), operator(), { path }).catch((e) => e);
      expect(error.code).toBe('invalid-usage-row');
      expect(error.message).toMatch(message);
      const { n } = await db()
        .selectFrom('usage_records')
        .select(sql<number>`count(*)::int`.as('n'))
        .executeTakeFirstOrThrow();
      expect(n).toBe(0);
      const { jobs } = await db()
        .selectFrom('jobs')
        .select(sql<number>`count(*)::int`.as('jobs'))
        .executeTakeFirstOrThrow();
      expect(jobs).toBe(0);
    });
  }

  describe('POST /api/usage/imports', () => {
    const post = async (body: string | Buffer, contentType: string, as: string = users.admin, query = '') =>
      world.app.inject({
        method: 'POST',
        url: `/api/usage/imports${query}`,
        headers: { ...(await world.as(as)), 'content-type': contentType },
        payload: body,
      });

    it('imports a FOCUS CSV of the Admin agent’s customers: 201 with rows, skipped rows, customers and queued runs, and one record', async () => {
      await reset();
      const before = await db()
        .selectFrom('audit_records')
        .select(sql<number>`count(*)::int`.as('n'))
        .executeTakeFirstOrThrow();
      const res = await post(focusCostCsv(rows, { version: '1.2-preview' }), 'text/csv');
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json();
      expect(body).toMatchObject({
        format: 'focus',
        rows: rows.length,
        skipped: { purchases: 1, unused: 2, other: 0 },
        runsQueued: 2,
      });
      expect(body.customers.map((c: { customerId: string }) => c.customerId).sort()).toEqual(
        [...contosoCustomers].sort(),
      );
      expect(body.customers.find((c: { customerId: string }) => c.customerId === fabrikam)).toMatchObject({
        from: period.from.toISOString(),
        to: period.to.toISOString(),
      });
      expect((await stored()).usage).toEqual(baseline.usage);
      const records = await db()
        .selectFrom('audit_records')
        .selectAll()
        .where('operation_type', '=', 'import_usage')
        .orderBy('seq', 'desc')
        .execute();
      const after = await db()
        .selectFrom('audit_records')
        .select(sql<number>`count(*)::int`.as('n'))
        .executeTakeFirstOrThrow();
      expect(after.n - before.n).toBe(1);
      expect(records[0]).toMatchObject({ partner_id: demoId('contoso'), actor_kind: 'partner_user' });
    });

    it('takes a Parquet upload and a Mitra CSV alike', async () => {
      await reset();
      const out = join(dir, 'api.parquet');
      await parquetOf(write('api-parquet.csv', focusCostCsv(rows, { version: '1.0r2' })), out);
      const res = await post(readFileSync(out), 'application/vnd.apache.parquet');
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ format: 'focus', rows: rows.length });
      expect((await stored()).usage).toEqual(baseline.usage);
      await reset();
      const csv = await post(mitraCsv(rows), 'text/csv', users.admin, '?format=csv');
      expect(csv.statusCode, csv.body).toBe(201);
      expect(csv.json()).toMatchObject({
        format: 'csv',
        rows: rows.length,
        skipped: { purchases: 0, unused: 0, other: 0 },
      });
      expect((await stored()).usage).toEqual(baseline.usage);
    });

    it("refuses a row of another partner's customer as not a customer of yours, and imports nothing", async () => {
      await reset();
      const litware = await demoUsageRows(db(), [adatum], period.from, 2);
      const mixed = [...rows.slice(0, 50), ...litware.slice(0, 1), ...rows.slice(50, 60)];
      const res = await post(focusCostCsv(mixed, { version: '1.0r2' }), 'text/csv');
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'invalid-usage-row' });
      expect(res.json().error.message).toMatch(/^Line 52, column x_CustomerId: not a customer of yours\./);
      // Without x_CustomerId the subscription alone names the customer: just as unknown.
      const bare = await post(focusCostCsv(mixed, { version: '1.0r2', withoutCustomerId: true }), 'text/csv');
      expect(bare.json().error.message).toMatch(
        /^Line 52, column SubAccountId: not an Azure subscription of a customer of yours\./,
      );
      const { n } = await db()
        .selectFrom('usage_records')
        .select(sql<number>`count(*)::int`.as('n'))
        .executeTakeFirstOrThrow();
      expect(n).toBe(0);
    });

    it('is for Admin agents: a Sales agent and a customer user are refused, and nothing is written', async () => {
      await reset();
      const sales = await post(mitraCsv(rows.slice(0, 5)), 'text/csv', users.sales);
      expect(sales.statusCode).toBe(403);
      expect(sales.json().error.code).toBe('admin-agent-required');
      const customer = await post(mitraCsv(rows.slice(0, 5)), 'text/csv', users.fabrikamOwner);
      expect(customer.statusCode).toBe(403);
      const json = await post(JSON.stringify({ rows: [] }), 'application/json');
      expect(json.statusCode).toBe(400);
      expect(json.json().error.code).toBe('unsupported-media-type');
      const { n } = await db()
        .selectFrom('usage_records')
        .select(sql<number>`count(*)::int`.as('n'))
        .executeTakeFirstOrThrow();
      expect(n).toBe(0);
    });
  });
});
