import Big from 'big.js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoId } from '../../src/demo/load.ts';
import { usageChargesOf } from '../../src/services/usage-charges.ts';
import { demoWorld, type TestWorld } from '../support/app.ts';
import { databaseKinds } from '../support/db.ts';

/** Usage is billed at the usage markup of the price list in effect in each hour (B9, R14). */
describe.each(databaseKinds)('usage at the customer price on %s', (kind) => {
  let world: TestWorld;
  const tailspin = demoId('tailspin');
  const now = new Date();
  const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
  const midMonth = new Date(`${month}-15T00:00:00Z`);
  beforeAll(async () => {
    world = await demoWorld(kind, { usageDays: 40 });
  });
  afterAll(() => world.close());

  const costBetween = async (from: Date, to: Date) => {
    const row = await world.handle.db
      .selectFrom('usage_records')
      .select(sql<string>`coalesce(sum(quantity * payg_unit_price), 0)::text`.as('cost'))
      .where('customer_id', '=', tailspin)
      .where('hour', '>=', from)
      .where('hour', '<', to)
      .executeTakeFirstOrThrow();
    return new Big(row.cost);
  };

  it('a markup from the middle of the month prices the hours after it only', async () => {
    const start = new Date(`${month}-01T00:00:00Z`);
    const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
    const customer = await world.handle.db
      .selectFrom('customers')
      .selectAll()
      .where('id', '=', tailspin)
      .executeTakeFirstOrThrow();
    const before = await usageChargesOf(world.handle.db, customer, month);
    const total = (xs: { amount: string }[]) => xs.reduce((s, c) => s.plus(c.amount), new Big(0));
    // The demo's default list charges usage at retail.
    expect(total(before).toFixed(6)).toBe((await costBetween(start, end)).toFixed(6));
    // A customer list with 10 % on usage from the 15th (written as the API would have, then).
    await world.handle.db
      .insertInto('price_list_versions')
      .values({
        id: crypto.randomUUID(),
        partner_id: customer.partner_id,
        customer_id: customer.id,
        effective_from: midMonth,
        markup_usage: '10',
        markup_reservations: '5',
        markup_savings_plans: '3',
        markup_licences: '10',
        created_by: 'test',
      })
      .execute();
    const after = await usageChargesOf(world.handle.db, customer, month);
    const expected = (await costBetween(start, midMonth)).plus(
      (await costBetween(midMonth, end)).times('1.1'),
    );
    expect(total(after).toFixed(4)).toBe(expected.toFixed(4));
    expect(total(after).gt(total(before))).toBe(true);
  });
});
