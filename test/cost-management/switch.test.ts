import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoId } from '../../src/demo/load.ts';
import { demoWorld, type TestWorld, users } from '../support/app.ts';
import { databaseKinds } from '../support/db.ts';

const fabrikam = demoId('fabrikam');
const tailspin = demoId('tailspin');
const url = (id: string) => `/api/customers/${id}/cost-management`;

describe.each(databaseKinds)('customer cost management switch (R17) on %s', (kind) => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await demoWorld(kind);
  });
  afterAll(() => world.close());

  const get = async (id: string, email: string = users.admin) =>
    world.app.inject({ method: 'GET', url: url(id), headers: await world.as(email) });
  const put = async (id: string, payload: unknown, email: string = users.admin) =>
    world.app.inject({
      method: 'PUT',
      url: url(id),
      headers: await world.as(email),
      payload: payload as object,
    });
  const records = (customerId: string) =>
    world.handle.db
      .selectFrom('audit_records')
      .selectAll()
      .where('customer_id', '=', customerId)
      .where('resource_type', '=', 'cost_management')
      .orderBy('seq')
      .execute();

  it('is off by default, never changed, and every partner user reads it', async () => {
    for (const email of [users.admin, users.sales, users.helpdesk]) {
      const res = await get(tailspin, email);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ enabled: false, changedAt: null, changedBy: null });
    }
  });

  it('an Admin agent enables and disables it, one record each; the same value again writes nothing', async () => {
    const on = await put(fabrikam, { enabled: true });
    expect(on.statusCode, on.body).toBe(200);
    expect(on.json()).toMatchObject({ enabled: true, changedBy: users.admin });
    expect(Date.parse(on.json().changedAt)).not.toBeNaN();
    expect((await get(fabrikam, users.sales)).json()).toEqual(on.json());

    const again = await put(fabrikam, { enabled: true });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(on.json());
    expect((await records(fabrikam)).map((r) => r.operation_type)).toEqual([
      'enable_customer_cost_management',
    ]);

    const off = await put(fabrikam, { enabled: false });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json()).toMatchObject({ enabled: false, changedBy: users.admin });
    await put(fabrikam, { enabled: false });
    const all = await records(fabrikam);
    expect(all.map((r) => [r.operation_type, r.operation_status])).toEqual([
      ['enable_customer_cost_management', 'succeeded'],
      ['disable_customer_cost_management', 'succeeded'],
    ]);
    const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
    expect(parse(all[1].resource_old_value)).toMatchObject({ enabled: true });
    expect(parse(all[1].resource_new_value)).toMatchObject({ enabled: false });

    const activity = await world.app.inject({
      method: 'GET',
      url: `/api/activity?customerId=${fabrikam}&operationType=enable_customer_cost_management`,
      headers: await world.as(users.admin),
    });
    expect(activity.statusCode, activity.body).toBe(200);
    expect(activity.json().items).toHaveLength(1);
  });

  it('Sales and Helpdesk agents are refused with admin-agent-required, and each refusal is recorded', async () => {
    const before = (await records(tailspin)).length;
    for (const email of [users.sales, users.helpdesk]) {
      const res = await put(tailspin, { enabled: true }, email);
      expect(res.statusCode, res.body).toBe(403);
      expect(res.body).toContain('admin-agent-required');
    }
    const refused = (await records(tailspin)).slice(before);
    expect(refused.map((r) => [r.operation_type, r.operation_status, r.user_principal_name])).toEqual([
      ['enable_customer_cost_management', 'decline', users.sales],
      ['enable_customer_cost_management', 'decline', users.helpdesk],
    ]);
    expect((await get(tailspin)).json()).toEqual({ enabled: false, changedAt: null, changedBy: null });
  });

  it("customer users are refused (403): the switch is the partner's", async () => {
    expect((await get(fabrikam, users.fabrikamOwner)).statusCode).toBe(403);
    expect((await put(fabrikam, { enabled: true }, users.fabrikamOwner)).statusCode).toBe(403);
  });

  it('a bad body answers 400 and changes nothing', async () => {
    const before = (await records(tailspin)).length;
    for (const body of [{}, { enabled: 'maybe' }, { enabled: true, extra: 1 }]) {
      const res = await put(tailspin, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.body).toContain('invalid-request');
    }
    expect((await records(tailspin)).length).toBe(before);
    expect((await get(tailspin)).json().enabled).toBe(false);
  });

  it("another partner's customer answers 404, like a missing one, and nothing is recorded", async () => {
    const before = (await records(fabrikam)).length;
    for (const id of [fabrikam, randomUUID()]) {
      for (const res of [
        await get(id, users.litwareAdmin),
        await put(id, { enabled: true }, users.litwareAdmin),
      ]) {
        expect(res.statusCode, res.body).toBe(404);
        expect(res.body).toContain('customer-not-found');
      }
    }
    expect((await records(fabrikam)).length).toBe(before);
  });
});
