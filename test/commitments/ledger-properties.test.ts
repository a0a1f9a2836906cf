import Big from 'big.js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roundToMinor } from '../../src/domain/money.ts';
import { demoWorld, type TestWorld, users } from '../support/app.ts';
import { allow, fabrikam, reservationBody, savingsPlanBody } from '../support/commitments.ts';

/** Random sequences of purchases (by customer and partner) and refunds, then the ledger's invariants. */
describe('ledger properties', () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await demoWorld('pglite');
    await allow(world, 'AzureReservedInstances');
    await allow(world, 'AzureSavingsPlan');
  });
  afterAll(() => world.close());

  const action = fc.oneof(
    fc.record({
      type: fc.constant('reservation' as const),
      byPartner: fc.boolean(),
      sku: fc.constantFrom('Standard_D2s_v3', 'Standard_D4s_v3', 'Standard_E8s_v3', 'Standard_B2ms'),
      quantity: fc.integer({ min: 1, max: 5 }),
      term: fc.constantFrom('P1Y', 'P3Y'),
      billingPlan: fc.constantFrom('Upfront', 'Monthly'),
    }),
    fc.record({
      type: fc.constant('savings_plan' as const),
      amount: fc.integer({ min: 1, max: 500 }).map((c) => (c / 100).toFixed(2)),
      term: fc.constantFrom('P1Y', 'P3Y'),
      billingPlan: fc.constantFrom('Upfront', 'Monthly'),
    }),
    fc.record({ type: fc.constant('refund' as const), pick: fc.nat() }),
  );

  it('charges equal purchases at the partner price; refunds never exceed what was paid', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 6 }), async (actions) => {
        for (const a of actions) {
          if (a.type === 'reservation') {
            const h = await world.as(a.byPartner ? users.admin : users.fabrikamOwner);
            const url = a.byPartner ? `/api/customers/${fabrikam}/reservations` : '/api/my/reservations';
            const res = await world.app.inject({
              method: 'POST',
              url,
              headers: { ...h, 'idempotency-key': crypto.randomUUID() },
              payload: reservationBody({
                sku: a.sku,
                quantity: a.quantity,
                term: a.term,
                billingPlan: a.billingPlan,
              }),
            });
            expect(res.statusCode, res.body).toBe(201);
          } else if (a.type === 'savings_plan') {
            const res = await world.app.inject({
              method: 'POST',
              url: '/api/my/savings-plans',
              headers: { ...(await world.as(users.fabrikamOwner)), 'idempotency-key': crypto.randomUUID() },
              payload: savingsPlanBody({
                hourlyCommitment: a.amount,
                term: a.term,
                billingPlan: a.billingPlan,
              }),
            });
            expect(res.statusCode, res.body).toBe(201);
          } else {
            const active = await world.handle.db
              .selectFrom('commitments')
              .select('id')
              .where('kind', '=', 'reservation')
              .where('status', '=', 'Succeeded')
              .orderBy('id')
              .execute();
            if (active.length) {
              const target = active[a.pick % active.length];
              const res = await world.app.inject({
                method: 'POST',
                url: `/api/customers/${fabrikam}/reservations/${target.id}/refund`,
                headers: await world.as(users.admin),
                payload: {},
              });
              if (res.statusCode !== 200) expect(res.json().error.code).toBe('refund-limit-exceeded');
            }
          }
        }
        const commitments = await world.handle.db.selectFrom('commitments').selectAll().execute();
        const ledger = await world.handle.db.selectFrom('ledger_entries').selectAll().execute();
        const charges = ledger.filter((l) => l.entry_type === 'purchase' || l.entry_type === 'instalment');
        // 1. Σ charges = Σ purchases at the partner price (unit price × units × periods).
        expect(charges.reduce((s, l) => s.plus(l.amount), new Big(0)).toFixed(6)).toBe(
          commitments.reduce((s, c) => s.plus(c.total_price), new Big(0)).toFixed(6),
        );
        for (const c of commitments) {
          const mine = ledger.filter((l) => l.commitment_id === c.id);
          const sum = (xs: typeof mine) => xs.reduce((s, l) => s.plus(l.amount), new Big(0));
          // As the bills show them: each entry rounded once to the currency's minor unit.
          const billed = (xs: typeof mine) =>
            xs.reduce((s, l) => s.plus(roundToMinor(l.amount, l.currency)), new Big(0));
          const charged = mine.filter((l) => l.amount[0] !== '-');
          const credits = mine.filter((l) => l.amount[0] === '-');
          const back = sum(credits).neg();
          // 2. refunds never exceed what was billed, per commitment.
          expect(billed(credits).neg().lte(billed(charged))).toBe(true);
          expect(sum(charged).toFixed(6)).toBe(c.total_price);
          // 3. every entry is in the commitment's currency, and only cancelled ones have refunds.
          expect(new Set(mine.map((l) => l.currency))).toEqual(new Set([c.currency]));
          if (back.gt(0)) expect(c.status).toBe('Cancelled');
        }
      }),
      { numRuns: 15 },
    );
  });
});
