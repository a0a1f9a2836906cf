import Big from 'big.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoWorld, type TestWorld, users } from '../support/app.ts';
import { allow, buy, fabrikam, reservationBody } from '../support/commitments.ts';
import { databaseKinds } from '../support/db.ts';

/**
 * The money bugs a new partner found (issue 8), each replayed as it was reported: a refund
 * dialog promising money that never came, an exchange whose bills did not add up to its net, a
 * month picker listing the future first, and an exchanged reservation keeping the old size's name.
 */
describe.each(databaseKinds)('bills as a partner reads them, on %s', (kind) => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await demoWorld(kind);
    await allow(world, 'AzureReservedInstances');
  });
  afterAll(() => world.close());

  const admin = () => world.as(users.admin);
  const post = async (url: string, payload: unknown = {}) =>
    world.app.inject({ method: 'POST', url, headers: await admin(), payload: payload as object });
  const bill = async (month: string) =>
    (
      await world.app.inject({
        method: 'GET',
        url: `/api/customers/${fabrikam}/bills/${month}`,
        headers: await admin(),
      })
    ).json() as {
      total: string;
      lines: { type: string; amount: string; commitmentId: string; forecast: boolean }[];
    };
  const monthAfter = (n: number) => {
    const d = new Date();
    return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1)).toISOString().slice(0, 7);
  };

  it('refunding a 3-year monthly reservation after one instalment: money back only for what was paid, the rest cancelled', async () => {
    const r = (
      await buy(
        world,
        users.fabrikamOwner,
        'reservations',
        reservationBody({ sku: 'Standard_D2s_v3', quantity: 3, term: 'P3Y', billingPlan: 'Monthly' }),
      )
    ).json();
    const instalment = new Big(r.unitPrice).times(3).toFixed(2);
    const quote = (await post(`/api/customers/${fabrikam}/reservations/${r.id}/refund-quote`)).json();
    // Reported: "Amount back US$3,708.81", the cancelled future instalments shown as money back.
    expect(quote.paidSoFar).toBe(instalment);
    expect(new Big(quote.amount).lte(quote.paidSoFar)).toBe(true);
    expect(quote.cancelledInstalmentCount).toBe(35);
    expect(quote.cancelledInstalments).toBe(new Big(instalment).times(35).toFixed(2));
    const res = await post(`/api/customers/${fabrikam}/reservations/${r.id}/refund`);
    expect(res.statusCode, res.body).toBe(200);
    // Reported: no credit on the bill, December's instalment kept, a lone cancellation in January.
    const now = (await bill(monthAfter(0))).lines.filter((l) => l.commitmentId === r.id);
    expect(now.map((l) => [l.type, l.amount])).toEqual([
      ['instalment', instalment],
      ...(new Big(quote.amount).gt(0) ? [['refund', new Big(quote.amount).neg().toFixed(2)]] : []),
    ]);
    for (const m of [1, 2, 35]) {
      const later = (await bill(monthAfter(m))).lines.filter((l) => l.commitmentId === r.id);
      expect(later.map((l) => l.type).sort()).toEqual(['cancelled-instalment', 'instalment']);
      expect(later.reduce((s, l) => s.plus(l.amount), new Big(0)).eq(0)).toBe(true);
      expect(later.every((l) => l.forecast)).toBe(true);
    }
  });

  it("an exchange's credit and new purchase are lines on the bills that add up to the net the dialog showed", async () => {
    const old = (
      await buy(
        world,
        users.fabrikamOwner,
        'reservations',
        reservationBody({ sku: 'Standard_D2s_v3', quantity: 3, term: 'P3Y', billingPlan: 'Monthly' }),
      )
    ).json();
    const replacement = reservationBody({
      sku: 'Standard_D4s_v3',
      quantity: 3,
      term: 'P3Y',
      billingPlan: 'Upfront',
    });
    const quote = (
      await post(`/api/customers/${fabrikam}/reservations/${old.id}/exchange-quote`, replacement)
    ).json();
    expect(quote.valid).toBe(true);
    const done = await post(`/api/customers/${fabrikam}/reservations/${old.id}/exchange`, replacement);
    expect(done.statusCode, done.body).toBe(200);
    const created = done.json().created;
    let net = new Big(0);
    for (let m = 0; m <= 36; m++) {
      for (const l of (await bill(monthAfter(m))).lines) {
        if (l.commitmentId !== created.id && l.commitmentId !== old.id) continue;
        if (l.commitmentId === old.id && l.type === 'instalment') continue;
        net = net.plus(l.amount);
      }
    }
    expect(net.toFixed(2)).toBe(quote.netPayable);
    expect(done.json().netPayable).toBe(quote.netPayable);
    // Reported: the replacement became "bought by you" and kept the old size's name.
    expect(created.boughtBy).toBe('customer');
    expect(created.exchangedBy).toBe('partner');
    expect(created.displayName).toMatch(/^VM_RI_Standard_D4s_v3_/);
  });

  it('the month picker lists billed months newest first and the months ahead apart, as forecasts', async () => {
    const months = (
      await world.app.inject({
        method: 'GET',
        url: `/api/customers/${fabrikam}/bills`,
        headers: await admin(),
      })
    ).json();
    const current = monthAfter(0);
    expect(months.items.length).toBeGreaterThan(0);
    expect(months.items[0].month).toBe(current);
    expect(
      months.items.every((m: { month: string; forecast: boolean }) => m.month <= current && !m.forecast),
    ).toBe(true);
    expect(months.forecasts.length).toBeGreaterThan(0);
    expect(
      months.forecasts.every((m: { month: string; forecast: boolean }) => m.month > current && m.forecast),
    ).toBe(true);
    const order = months.forecasts.map((m: { month: string }) => m.month);
    expect(order).toEqual([...order].sort());
  });
});
