import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoId } from '../../src/demo/load.ts';
import { demoWorld, type TestWorld, users } from '../support/app.ts';
import { databaseKinds } from '../support/db.ts';

/** `GET/PATCH /api/customers/{id}/billing-profile` (R20, partner center's billing profile update). */

const tailspin = demoId('tailspin');
const url = `/api/customers/${tailspin}/billing-profile`;

describe.each(databaseKinds)('billing profile on %s', (kind) => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await demoWorld(kind);
  });
  afterAll(() => world.close());

  const read = async (as: string = users.admin) =>
    world.app.inject({ method: 'GET', url, headers: await world.as(as) });
  const patch = async (payload: unknown, as: string = users.admin, ifMatch?: string) =>
    world.app.inject({
      method: 'PATCH',
      url,
      headers: { ...(await world.as(as)), ...(ifMatch ? { 'if-match': ifMatch } : {}) },
      payload: payload as object,
    });
  const records = async () =>
    world.handle.db
      .selectFrom('audit_records')
      .selectAll()
      .where('customer_id', '=', tailspin)
      .where('operation_type', '=', 'update_customer_billing_profile')
      .orderBy('seq', 'desc')
      .execute();
  const row = () =>
    world.handle.db.selectFrom('customers').selectAll().where('id', '=', tailspin).executeTakeFirstOrThrow();

  it('reads the profile with its etag (also as the ETag header) and who may edit it', async () => {
    const res = await read();
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      customerId: tailspin,
      companyName: 'Tailspin Toys',
      country: 'US',
      canEdit: true,
    });
    expect(res.headers.etag).toBe(body.etag);
    expect((await read(users.helpdesk)).json().canEdit).toBe(true);
    expect((await read(users.sales)).json().canEdit).toBe(false);
  });

  it('an Admin agent changes fields with If-Match; one record keeps exactly the old and new values', async () => {
    const before = (await read()).json();
    const res = await patch(
      { phone: ' +1 206 555 0199 ', city: 'Redmond', email: 'Billing@Tailspin.example', culture: 'en-gb' },
      users.admin,
      before.etag,
    );
    expect(res.statusCode, res.body).toBe(200);
    const after = res.json();
    expect(after).toMatchObject({
      phone: '+1 206 555 0199',
      city: 'Redmond',
      email: 'billing@tailspin.example',
      culture: 'en-GB',
      companyName: 'Tailspin Toys',
    });
    expect(after.etag).not.toBe(before.etag);
    expect(res.headers.etag).toBe(after.etag);
    const detail = await world.app.inject({
      method: 'GET',
      url: `/api/customers/${tailspin}`,
      headers: await world.as(users.sales),
    });
    expect(detail.json()).toMatchObject({ email: 'billing@tailspin.example', address: { city: 'Redmond' } });
    const [record] = await records();
    expect(record).toMatchObject({
      resource_type: 'customer',
      operation_status: 'succeeded',
      user_principal_name: users.admin,
      customer_name: 'Tailspin Toys',
    });
    expect(JSON.parse(record.resource_new_value!)).toEqual({
      email: 'billing@tailspin.example',
      city: 'Redmond',
      phone: '+1 206 555 0199',
      culture: 'en-GB',
    });
    expect(Object.keys(JSON.parse(record.resource_old_value!)).sort()).toEqual([
      'city',
      'culture',
      'email',
      'phone',
    ]);
  });

  it('a stale If-Match answers 412 and changes nothing', async () => {
    const stale = (await read()).json().etag;
    expect((await patch({ state: 'WA' }, users.helpdesk)).statusCode).toBe(200);
    const before = await row();
    const n = (await records()).length;
    const res = await patch({ companyName: 'Overwritten' }, users.admin, stale);
    expect(res.statusCode, res.body).toBe(412);
    expect(res.json().error.code).toBe('billing-profile-changed');
    expect(await row()).toEqual(before);
    expect((await records()).length).toBe(n);
  });

  it('a Helpdesk agent may edit (partner center: "edit customer details")', async () => {
    const res = await patch({ companyName: 'Tailspin Toys Inc.' }, users.helpdesk);
    expect(res.statusCode, res.body).toBe(200);
    expect((await records())[0]).toMatchObject({
      user_principal_name: users.helpdesk,
      customer_name: 'Tailspin Toys Inc.',
    });
    // The new name is the customer's name everywhere.
    const list = await world.app.inject({
      method: 'GET',
      url: '/api/customers?search=Tailspin',
      headers: await world.as(users.admin),
    });
    expect(list.json().items[0].companyName).toBe('Tailspin Toys Inc.');
  });

  it('a Sales agent is refused, nothing changes, and the refused attempt is recorded', async () => {
    const before = await row();
    const res = await patch({ phone: '+1 000', companyName: 'Sales was here' }, users.sales);
    expect(res.statusCode, res.body).toBe(403);
    expect(res.json().error).toMatchObject({ code: 'role-not-allowed' });
    expect(res.json().error.message).toMatch(/Admin agent, Helpdesk agent/);
    expect(await row()).toEqual(before);
    const [record] = await records();
    expect(record).toMatchObject({
      operation_status: 'decline',
      user_principal_name: users.sales,
      resource_new_value: null,
    });
    expect(record.customized_data).toEqual(
      expect.arrayContaining([
        { key: 'refusedWith', value: 'role-not-allowed' },
        { key: 'fields', value: 'phone, companyName' },
      ]),
    );
  });

  it('a customer user is refused at the gate and leaves no record', async () => {
    const n = (await records()).length;
    const res = await patch({ phone: '1' }, users.tailspinOwner);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('partner-user-required');
    expect((await records()).length).toBe(n);
  });

  it('sending what is already there answers 200 and is not an activity', async () => {
    const current = (await read()).json();
    const n = (await records()).length;
    const res = await patch({ city: current.city, phone: current.phone }, users.admin, current.etag);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().etag).toBe(current.etag);
    expect((await records()).length).toBe(n);
  });

  it.each([
    ['the country', 400, 'billing-market-fixed', { country: 'ID' }],
    ['the currency', 400, 'billing-market-fixed', { currency: 'IDR' }],
    ['nothing', 400, 'nothing-to-change', {}],
    ['an empty required field', 400, 'billing-field-required', { city: '  ' }],
    ['an e-mail that is not one', 400, 'invalid-email', { email: 'nope' }],
    ['a culture that is not one', 400, 'invalid-culture', { culture: 'en_US' }],
    ['a language that is not one', 400, 'invalid-language', { language: 'english' }],
    ['an unknown field', 400, 'invalid-request', { domain: 'x.example' }],
    ['a field that is too long', 400, 'invalid-request', { city: 'x'.repeat(101) }],
  ] as const)('changing %s answers %i %s and changes nothing', async (_what, status, code, payload) => {
    const before = await row();
    const res = await patch(payload);
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json().error.code).toBe(code);
    expect(await row()).toEqual(before);
  });

  it("another partner's customer, or none, is not found", async () => {
    const other = await world.app.inject({
      method: 'PATCH',
      url,
      headers: await world.as(users.litwareAdmin),
      payload: { phone: '1' },
    });
    const ghost = await world.app.inject({
      method: 'PATCH',
      url: '/api/customers/00000000-0000-4000-8000-000000000000/billing-profile',
      headers: await world.as(users.litwareAdmin),
      payload: { phone: '1' },
    });
    expect([other.statusCode, other.json().error.code]).toEqual([404, 'customer-not-found']);
    expect([ghost.statusCode, ghost.json().error.code]).toEqual([404, 'customer-not-found']);
  });
});
