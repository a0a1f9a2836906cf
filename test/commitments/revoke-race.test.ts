import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoWorld, type TestWorld, users } from '../support/app.ts';
import { allow, buy, fabrikam, reservationBody } from '../support/commitments.ts';

/**
 * A permission revoked while a purchase is in flight wins: no purchase may commit after the revoke
 * has committed. Audit sequence numbers are taken inside each transaction, after its locks, so a
 * purchase that committed before the revoke carries a smaller number than the revoke's record.
 */
describe.skipIf(!process.env.DATABASE_URL)('revoke races purchase on postgres', () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await demoWorld('postgres');
  });
  afterAll(() => world.close());

  it('no purchase commits after the revoke commits, over many rounds', async () => {
    const owner = await world.as(users.fabrikamOwner);
    const admin = await world.as(users.admin);
    let bought = 0;
    let refused = 0;
    for (let round = 0; round < 40; round++) {
      await allow(world, 'AzureReservedInstances');
      // Which side starts first, and by how much, varies by round: with both started at once the
      // revoke (which does less before its lock) can win every round on a loaded machine, and a
      // race that only ever goes one way proves nothing.
      const head = round % 10;
      const purchaseDelay = round % 2 === 0 ? 0 : head;
      const revokeDelay = round % 2 === 0 ? head * 2 : 0;
      const purchases = Array.from({ length: 3 }, (_, i) =>
        later(purchaseDelay, () =>
          world.app.inject({
            method: 'POST',
            url: '/api/my/reservations',
            headers: { ...owner, 'idempotency-key': `${round}-${i}` },
            payload: reservationBody({ displayName: `race-${round}-${i}` }),
          }),
        ),
      );
      const revoke = later(revokeDelay, () =>
        world.app.inject({
          method: 'PUT',
          url: `/api/customers/${fabrikam}/permissions/AzureReservedInstances`,
          headers: admin,
          payload: { allowed: false },
        }),
      );
      const [revoked, ...results] = await Promise.all([revoke, ...purchases]);
      expect(revoked.statusCode).toBe(200);
      const revokeRecord = await world.handle.db
        .selectFrom('audit_records')
        .select('seq')
        .where('operation_type', '=', 'delete_self_serve_policy')
        .where('customer_id', '=', fabrikam)
        .orderBy('seq', 'desc')
        .executeTakeFirstOrThrow();
      for (const res of results) {
        if (res.statusCode === 201) {
          bought += 1;
          const record = await world.handle.db
            .selectFrom('audit_records')
            .select('seq')
            .where('operation_type', '=', 'create_order')
            .where('resource_new_value', 'like', `%${res.json().id}%`)
            .executeTakeFirstOrThrow();
          expect(record.seq).toBeLessThan(revokeRecord.seq);
        } else {
          refused += 1;
          expect(res.json().error.code).toBe('permission-not-enabled');
        }
      }
      // After the revoke, nothing more can be bought.
      const late = await buy(world, users.fabrikamOwner, 'reservations', reservationBody());
      expect(late.json().error.code).toBe('permission-not-enabled');
    }
    // Both outcomes happened, so the race was real.
    expect(bought + refused).toBe(120);
    expect(bought).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });
});

function later<T>(ms: number, start: () => Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => setTimeout(() => start().then(resolve, reject), ms));
}
