import Big from 'big.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoWorld, type TestWorld, users } from '../support/app.ts';
import { allow, fabrikam, reservationBody } from '../support/commitments.ts';

/**
 * Two purchases racing for the last of a monthly limit never both pass (B2): each purchase locks
 * the customer row before it sums the month, so the second sums after the first has committed.
 * Each round leaves room for exactly one purchase and sends two at once; which one starts first,
 * and by how much, varies by round (as in test/commitments/revoke-race.test.ts).
 */
describe.skipIf(!process.env.DATABASE_URL)(
  'two purchases race for the last of the allowance on postgres',
  () => {
    let world: TestWorld;
    beforeAll(async () => {
      world = await demoWorld('postgres');
    });
    afterAll(() => world.close());

    it('never both pass, over hundreds of rounds', { timeout: 120_000 }, async () => {
      await allow(world, 'AzureReservedInstances');
      const owner = await world.as(users.fabrikamOwner);
      const quote = await world.app.inject({
        method: 'POST',
        url: '/api/my/reservations/quote',
        headers: owner,
        payload: reservationBody(),
      });
      const price = quote.json().total as string;
      // Room for one purchase and a half: the second of two never fits.
      const limit = await world.app.inject({
        method: 'PUT',
        url: `/api/customers/${fabrikam}/guardrails`,
        headers: await world.as(users.admin),
        payload: {
          monthlyLimit: { amount: new Big(price).times('1.5').toFixed(2), currency: 'USD' },
          approvalThreshold: null,
        },
      });
      expect(limit.statusCode, limit.body).toBe(200);
      const rounds = 250;
      let firstWon = 0;
      let secondWon = 0;
      for (let round = 0; round < rounds; round++) {
        // The month starts empty each round: earlier rounds' purchases move to an old month.
        await world.handle.db
          .updateTable('commitments')
          .set({ purchased_at: new Date('2020-01-15T00:00:00Z') })
          .where('customer_id', '=', fabrikam)
          .execute();
        const head = round % 7;
        const delays = round % 2 === 0 ? [0, head] : [head, 0];
        const results = await Promise.all(
          delays.map((ms, i) =>
            later(ms, () =>
              world.app.inject({
                method: 'POST',
                url: '/api/my/reservations',
                headers: { ...owner, 'idempotency-key': `race-${round}-${i}` },
                payload: reservationBody({ displayName: `race-${round}-${i}` }),
              }),
            ),
          ),
        );
        const passed = results.filter((r) => r.statusCode === 201);
        const refused = results.filter((r) => r.statusCode === 409);
        expect(passed, `round ${round}: ${results.map((r) => r.body).join(' | ')}`).toHaveLength(1);
        expect(refused).toHaveLength(1);
        expect(refused[0].json().error.code).toBe('monthly-limit-exceeded');
        if (results[0].statusCode === 201) firstWon++;
        else secondWon++;
        const inMonth = await world.handle.db
          .selectFrom('commitments')
          .select('id')
          .where('customer_id', '=', fabrikam)
          .where('purchased_at', '>', new Date('2021-01-01'))
          .execute();
        expect(inMonth).toHaveLength(1);
      }
      // Either side won some rounds: the race went both ways.
      expect(firstWon + secondWon).toBe(rounds);
      expect(firstWon).toBeGreaterThan(0);
      expect(secondWon).toBeGreaterThan(0);
    });
  },
);

function later<T>(ms: number, start: () => Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => setTimeout(() => start().then(resolve, reject), ms));
}
