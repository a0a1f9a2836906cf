import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoId } from '../../src/demo/load.ts';
import { hashPassword } from '../../src/services/passwords.ts';
import { demoWorld, type TestWorld, users } from '../support/app.ts';

const fabrikam = demoId('fabrikam');
const secondAdmin = 'admin2@contoso-partner.example';

// Real concurrency needs a server with many connections; PGlite serialises everything anyway.
describe.skipIf(!process.env.DATABASE_URL)('concurrent permission changes on postgres', () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await demoWorld('postgres');
    await world.handle.db
      .insertInto('partner_users')
      .values({
        id: demoId(secondAdmin),
        partner_id: demoId('contoso'),
        email: secondAdmin,
        display_name: 'Second Admin',
        role: 'admin_agent',
        password_hash: await hashPassword('demo-password'),
      })
      .execute();
  });
  afterAll(() => world.close());

  const records = () =>
    world.handle.db
      .selectFrom('audit_records')
      .selectAll()
      .where('resource_type', '=', 'self_serve_policy')
      .where('customer_id', '=', fabrikam)
      .where('operation_status', '=', 'succeeded')
      .orderBy('seq')
      .execute();

  it('two Admin agents turning on different permissions at once: both land, two records, every round', async () => {
    const [a, b] = [await world.as(users.admin), await world.as(secondAdmin)];
    for (let round = 0; round < 25; round++) {
      await world.handle.db.deleteFrom('self_serve_policies').execute();
      await world.handle.db.deleteFrom('audit_records').where('customer_id', '=', fabrikam).execute();
      const [ra, rb] = await Promise.all([
        world.app.inject({
          method: 'PUT',
          url: `/api/customers/${fabrikam}/permissions/AzureReservedInstances`,
          headers: a,
          payload: { allowed: true },
        }),
        world.app.inject({
          method: 'PUT',
          url: `/api/customers/${fabrikam}/permissions/AzureSavingsPlan`,
          headers: b,
          payload: { allowed: true },
        }),
      ]);
      expect([ra.statusCode, rb.statusCode], ra.body + rb.body).toEqual([200, 200]);
      const policy = await world.handle.db
        .selectFrom('self_serve_policies')
        .selectAll()
        .where('customer_id', '=', fabrikam)
        .executeTakeFirstOrThrow();
      // Either serial order gives both permissions; a lost update would leave one.
      expect(policy.permissions.map((p) => p.resource).sort()).toEqual([
        'AzureReservedInstances',
        'AzureSavingsPlan',
      ]);
      const written = await records();
      expect(written).toHaveLength(2);
      expect(new Set(written.map((r) => r.user_principal_name))).toEqual(new Set([users.admin, secondAdmin]));
    }
  });

  it('two Admin agents toggling the same permission in opposite directions end in one serial order with its records', async () => {
    const [a, b] = [await world.as(users.admin), await world.as(secondAdmin)];
    for (let round = 0; round < 25; round++) {
      await world.handle.db.deleteFrom('self_serve_policies').execute();
      await world.handle.db.deleteFrom('audit_records').where('customer_id', '=', fabrikam).execute();
      await Promise.all([
        world.app.inject({
          method: 'PUT',
          url: `/api/customers/${fabrikam}/permissions/AzureReservedInstances`,
          headers: a,
          payload: { allowed: true },
        }),
        world.app.inject({
          method: 'PUT',
          url: `/api/customers/${fabrikam}/permissions/AzureReservedInstances`,
          headers: b,
          payload: { allowed: false },
        }),
      ]);
      const policy = await world.handle.db
        .selectFrom('self_serve_policies')
        .selectAll()
        .where('customer_id', '=', fabrikam)
        .executeTakeFirst();
      const written = (await records()).map((r) => r.operation_type);
      if (policy) {
        // "off" ran first (no change, no record), then "on".
        expect(written).toEqual(['create_self_serve_policy']);
      } else {
        // "on" then "off": two records in that order.
        expect(written).toEqual(['create_self_serve_policy', 'delete_self_serve_policy']);
      }
    }
  });
});
