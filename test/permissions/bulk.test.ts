import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoId } from '../../src/demo/load.ts';
import { demoWorld, type TestWorld, users } from '../support/app.ts';
import { addManyCustomers } from '../support/many-customers.ts';

describe('bulk permissions for 5,000 customers', () => {
  let world: TestWorld;
  let customerIds: string[];
  beforeAll(async () => {
    world = await demoWorld('pglite');
    customerIds = await addManyCustomers(world.handle.db, demoId('contoso'), 5000);
  }, 300_000);
  afterAll(() => world.close());

  it('finishes in one streamed request with exactly one result per customer, and records exactly the changes', async () => {
    const items = customerIds.map((customerId) => ({
      customerId,
      resource: 'AzureReservedInstances',
      allowed: true,
    }));
    const res = await world.app.inject({
      method: 'POST',
      url: '/api/permissions/bulk',
      headers: { ...(await world.as(users.admin)), accept: 'application/x-ndjson' },
      payload: { items },
    });
    expect(res.statusCode).toBe(200);
    const lines = res.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const results = lines.filter((l) => l.type === 'result');
    expect(results).toHaveLength(5000);
    expect(new Set(results.map((r) => r.customerId))).toEqual(new Set(customerIds));
    const refused = results.filter((r) => r.status === 'refused');
    expect(refused).toHaveLength(500);
    expect(new Set(refused.map((r) => r.code))).toEqual(new Set(['azure-plan-required']));
    expect(lines.filter((l) => l.type === 'progress').length).toBeGreaterThanOrEqual(50);
    expect(lines.at(-1)).toEqual({ type: 'summary', total: 5000, done: 4500, refused: 500 });
    const policies = await world.handle.db
      .selectFrom('self_serve_policies')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(policies.n)).toBe(4500);
    const records = await world.handle.db
      .selectFrom('audit_records')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('operation_type', '=', 'create_self_serve_policy')
      .where('operation_status', '=', 'succeeded')
      .executeTakeFirstOrThrow();
    expect(Number(records.n)).toBe(4500);
  }, 600_000);
});
