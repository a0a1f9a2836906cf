import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Big from 'big.js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoId } from '../../src/demo/load.ts';
import { exportColumns } from '../../src/domain/focus-columns.ts';
import { users } from '../support/app.ts';
import { databaseKinds } from '../support/db.ts';
import { parseCsv, readFocusParquet, validateFocus } from '../support/focus-validator.ts';
import { focusWorld } from './world.ts';

const fabrikam = demoId('fabrikam');
const sum = (rows: Record<string, string | null>[], column: string) =>
  rows.reduce((s, r) => s.plus(r[column] ?? '0'), new Big(0));

describe.each(databaseKinds)('FOCUS export for a partner (%s)', (kind) => {
  let w: Awaited<ReturnType<typeof focusWorld>>;
  let dir: string;
  beforeAll(async () => {
    w = await focusWorld(kind);
    dir = mkdtempSync(join(tmpdir(), 'mitra-focus-test-'));
  }, 240_000);
  afterAll(async () => {
    await w?.world.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = async (query: string, email: string = users.admin) =>
    w.world.app.inject({
      method: 'GET',
      url: `/api/exports/focus?${query}`,
      headers: await w.world.as(email),
    });

  it('writes a CSV that validates column by column, with every row kind', async () => {
    const res = await get(`customerId=${fabrikam}&from=${w.from}&to=${w.to}&format=csv`);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="focus-partner-.*\.csv"/);
    const file = parseCsv(res.body);
    expect(file.columns).toEqual(exportColumns.map((c) => c.name));
    const result = validateFocus(file, { require: ['@commitment'] });
    expect(result.errors).toEqual([]);
    const kinds = new Set(
      file.rows.map(
        (r) =>
          `${r.ChargeCategory}/${r.ChargeFrequency}/${r.CommitmentDiscountStatus ?? '-'}/${r.PricingCategory}`,
      ),
    );
    expect(kinds).toContain('Usage/Usage-Based/-/Standard');
    expect(kinds).toContain('Usage/Usage-Based/Used/Committed');
    expect(kinds).toContain('Usage/Usage-Based/Unused/Committed');
    expect(kinds).toContain('Purchase/One-Time/-/Standard');
    expect(kinds).toContain('Purchase/Recurring/-/Standard');
    const types = new Set(file.rows.map((r) => r.CommitmentDiscountType).filter(Boolean));
    expect(types).toEqual(new Set(['Reservation', 'Savings Plan']));
    expect(new Set(file.rows.map((r) => r.BillingCurrency))).toEqual(new Set(['USD']));
  });

  it("totals: Σ EffectiveCost is the engine's amortized total, Σ BilledCost its actual total plus purchases", async () => {
    const res = await get(`customerId=${fabrikam}&from=${w.from}&to=${w.to}`);
    const rows = parseCsv(res.body).rows;
    const db = w.world.handle.db;
    const usage = await sql<{ actual: string; amortized: string }>`
      select coalesce(sum(coalesce(b.actual_cost, u.quantity * u.payg_unit_price)), 0)::text as actual,
             coalesce(sum(coalesce(b.amortized_cost, u.quantity * u.payg_unit_price)), 0)::text as amortized
      from usage_records u left join usage_benefits b on b.usage_id = u.id
      where u.customer_id = ${fabrikam} and u.hour >= ${new Date(`${w.from}T00:00:00Z`)} and u.hour < ${new Date(`${w.to}T00:00:00Z`)}
    `.execute(db);
    const unused = await sql<{ total: string }>`
      select coalesce(sum(unused_cost), 0)::text as total from commitment_utilization
      where customer_id = ${fabrikam} and day >= ${w.from} and day < ${w.to}
    `.execute(db);
    const purchases = await sql<{ total: string; n: number }>`
      select coalesce(sum(amount), 0)::text as total, count(*)::int as n from ledger_entries
      where customer_id = ${fabrikam} and entry_type in ('purchase', 'instalment')
        and entry_date >= ${w.from} and entry_date < ${w.to}
    `.execute(db);
    expect(purchases.rows[0].n).toBeGreaterThanOrEqual(2);
    const amortized = new Big(usage.rows[0].amortized).plus(unused.rows[0].total);
    const actual = new Big(usage.rows[0].actual).plus(purchases.rows[0].total);
    expect(sum(rows, 'EffectiveCost').toFixed(9)).toBe(amortized.toFixed(9));
    expect(sum(rows, 'BilledCost').toFixed(9)).toBe(actual.toFixed(9));
    expect(
      sum(
        rows.filter((r) => r.ChargeCategory === 'Purchase'),
        'BilledCost',
      ).toFixed(6),
    ).toBe(new Big(purchases.rows[0].total).toFixed(6));
  });

  it('writes the same rows as Parquet, typed (TIMESTAMPTZ, DECIMAL(38,10)), read back with DuckDB', async () => {
    const csv = parseCsv((await get(`customerId=${fabrikam}&from=${w.from}&to=${w.to}&format=csv`)).body);
    const res = await get(`customerId=${fabrikam}&from=${w.from}&to=${w.to}&format=parquet`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.apache.parquet');
    expect(res.rawPayload.subarray(0, 4).toString()).toBe('PAR1');
    const path = join(dir, 'partner.parquet');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path, res.rawPayload);
    const file = await readFocusParquet(path);
    expect(file.physicalTypes?.BilledCost).toBe('DECIMAL(38,10)');
    expect(file.physicalTypes?.ChargePeriodStart).toBe('TIMESTAMP WITH TIME ZONE');
    expect(file.physicalTypes?.ChargeCategory).toBe('VARCHAR');
    expect(validateFocus(file, { require: ['@commitment'] }).errors).toEqual([]);
    expect(file.rows.length).toBe(csv.rows.length);
    expect(sum(file.rows, 'EffectiveCost').toFixed(9)).toBe(sum(csv.rows, 'EffectiveCost').toFixed(9));
    expect(file.rows[0]).toEqual(csv.rows[0]);
  });

  it('exports every customer of the partner when no customer is named, and one subscription when asked', async () => {
    const all = parseCsv((await get(`from=${w.from}&to=${w.to}`)).body).rows;
    expect(new Set(all.map((r) => r.x_CustomerId)).size).toBeGreaterThan(1);
    expect(validateFocus({ columns: exportColumns.map((c) => c.name), rows: all }).errors).toEqual([]);
    const sub = demoId('fabrikam-azure-subscription');
    const one = parseCsv(
      (await get(`customerId=${fabrikam}&subscriptionId=${sub}&from=${w.from}&to=${w.to}`)).body,
    ).rows;
    expect(one.length).toBeGreaterThan(0);
    expect(
      new Set(
        one
          .filter((r) => r.ChargeCategory === 'Usage' && !r.CommitmentDiscountStatus?.startsWith('Un'))
          .map((r) => r.SubAccountId),
      ),
    ).toEqual(new Set([`/subscriptions/${sub}`]));
  });

  it("answers another partner's customer like a missing one, and refuses bad periods", async () => {
    const other = await get(`customerId=${fabrikam}&from=${w.from}&to=${w.to}`, users.litwareAdmin);
    expect(other.statusCode).toBe(404);
    expect(other.json().error.code).toBe('customer-not-found');
    const backwards = await get(`customerId=${fabrikam}&from=${w.to}&to=${w.from}`);
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().error.code).toBe('export-period-invalid');
  });
});
