import Big from 'big.js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoId } from '../../src/demo/load.ts';
import { lastDayOf } from '../../src/domain/invoices.ts';
import { users } from '../support/app.ts';
import { databaseKinds } from '../support/db.ts';
import { parseCsv, validateFocus } from '../support/focus-validator.ts';
import { focusWorld } from './world.ts';

const fabrikam = demoId('fabrikam');
const disabledSentence = 'Your provider has not enabled cost management for your organisation.';

describe.each(databaseKinds)('FOCUS export for a customer, R17–R18 (%s)', (kind) => {
  let w: Awaited<ReturnType<typeof focusWorld>>;
  beforeAll(async () => {
    w = await focusWorld(kind);
  }, 240_000);
  afterAll(async () => w?.world.close());

  const mine = async (email: string, query = '') =>
    w.world.app.inject({
      method: 'GET',
      url: `/api/my/exports/focus?from=${w.from}&to=${w.to}${query}`,
      headers: await w.world.as(email),
    });
  const setSwitch = async (enabled: boolean) => {
    const res = await w.world.app.inject({
      method: 'PUT',
      url: `/api/customers/${fabrikam}/cost-management`,
      headers: await w.world.as(users.admin),
      payload: { enabled },
    });
    expect(res.statusCode).toBe(200);
  };

  it('refuses customer users while cost management is off, with the shared sentence', async () => {
    const res = await mine(users.fabrikamOwner);
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toEqual({ code: 'cost-management-disabled', message: disabledSentence });
  });

  it('exports usage only, at pay-as-you-go retail in the billing currency, covered usage at 0', async () => {
    await setSwitch(true);
    const res = await mine(users.fabrikamOwner);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/filename="focus-customer-/);
    const file = parseCsv(res.body);
    expect(validateFocus(file, { require: ['@commitment'] }).errors).toEqual([]);
    const rows = file.rows;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.ChargeCategory !== 'Usage')).toEqual([]);
    expect(rows.filter((r) => r.CommitmentDiscountStatus === 'Unused')).toEqual([]);
    expect(new Set(rows.map((r) => r.x_CustomerId))).toEqual(new Set([fabrikam]));
    expect(new Set(rows.map((r) => r.BillingCurrency))).toEqual(new Set(['IDR']));
    expect(new Set(rows.map((r) => r.PricingCurrency))).toEqual(new Set(['USD']));

    const covered = rows.filter((r) => r.CommitmentDiscountStatus === 'Used');
    expect(covered.length).toBeGreaterThan(0);
    for (const r of covered) {
      expect(r.BilledCost).toBe('0');
      expect(r.EffectiveCost).toBe('0');
    }

    // The rate is the one invoices use: the latest on or before the month's last day.
    const db = w.world.handle.db;
    for (const r of rows.slice(0, 50)) {
      const month = r.ChargePeriodStart!.slice(0, 7);
      const rate = await db
        .selectFrom('exchange_rates')
        .select(['rate', sql<string>`rate_date::text`.as('day')])
        .where('base_currency', '=', 'USD')
        .where('quote_currency', '=', 'IDR')
        .where('rate_date', '<=', lastDayOf(month))
        .orderBy('rate_date', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow();
      expect(new Big(r.x_BillingExchangeRate!).eq(rate.rate)).toBe(true);
      expect(r.x_BillingExchangeRateDate).toBe(`${rate.day}T00:00:00Z`);
    }
    // Amounts are retail × quantity × rate, rounded to the file's ten places; the pay-as-you-go
    // part's quantity is what the engine left uncovered.
    const payg = rows.filter((r) => r.CommitmentDiscountId === null);
    for (const r of payg) {
      const expected = new Big(r.PricingCurrencyListUnitPrice!)
        .times(r.PricingQuantity!)
        .times(r.x_BillingExchangeRate!)
        .round(10);
      expect(
        new Big(r.BilledCost!).eq(expected),
        `${r.x_UsageRecordId}: ${r.BilledCost} vs ${expected}`,
      ).toBe(true);
      expect(r.EffectiveCost).toBe(r.BilledCost);
    }
    const uncovered = await sql<{ usd: string }>`
      select coalesce(sum(coalesce(b.payg_quantity, u.quantity) * u.payg_unit_price), 0)::text as usd
      from usage_records u left join usage_benefits b on b.usage_id = u.id
      where u.customer_id = ${fabrikam} and u.hour >= ${new Date(`${w.from}T00:00:00Z`)} and u.hour < ${new Date(`${w.to}T00:00:00Z`)}
    `.execute(db);
    const inUsd = payg.reduce((s, r) => s.plus(r.PricingCurrencyEffectiveCost!), new Big(0));
    expect(inUsd.toFixed(6)).toBe(new Big(uncovered.rows[0].usd).toFixed(6));
  });

  it('shows a customer user only the subscriptions they hold a role on', async () => {
    const db = w.world.handle.db;
    const readable = await db
      .selectFrom('role_assignments as r')
      .innerJoin('subscriptions as s', 's.id', 'r.subscription_id')
      .innerJoin('customer_users as cu', 'cu.id', 'r.customer_user_id')
      .select('s.entitlement_id')
      .where('cu.email', '=', users.fabrikamReader)
      .execute();
    const res = await mine(users.fabrikamReader);
    expect(res.statusCode).toBe(200);
    const seen = new Set(parseCsv(res.body).rows.map((r) => r.SubAccountId));
    const allowed = new Set(readable.map((r) => `/subscriptions/${r.entitlement_id}`));
    for (const s of seen) expect(allowed.has(s!)).toBe(true);
    const notTheirs = await db
      .selectFrom('subscriptions')
      .select('entitlement_id')
      .where('customer_id', '=', fabrikam)
      .where('entitlement_id', 'is not', null)
      .execute();
    const other = notTheirs.find((s) => !allowed.has(`/subscriptions/${s.entitlement_id}`));
    if (other) {
      const refused = await mine(users.fabrikamReader, `&subscriptionId=${other.entitlement_id}`);
      expect(refused.statusCode).toBe(404);
    }
    // Another customer's user never sees Fabrikam's rows (Tailspin's switch is off: refused).
    const tailspin = await mine(
      users.tailspinOwner,
      `&subscriptionId=${demoId('fabrikam-azure-subscription')}`,
    );
    expect([403, 404]).toContain(tailspin.statusCode);
  });

  it('is part of the customer portal only, and refused again once the partner disables it', async () => {
    const partner = await mine(users.admin);
    expect(partner.statusCode).toBe(403);
    expect(partner.json().error.code).toBe('customer-user-required');
    await setSwitch(false);
    const res = await mine(users.fabrikamOwner, '&format=parquet');
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('cost-management-disabled');
  });
});
