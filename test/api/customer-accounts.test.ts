import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoId } from '../../src/demo/load.ts';
import { demoWorld, type TestWorld, users } from '../support/app.ts';
import { databaseKinds } from '../support/db.ts';

/**
 * The partner's own jobs on a customer's account (R20): add a customer with its first user, add
 * further users, list them. Billing profile edits are in billing-profile.test.ts.
 */

const fabrikam = demoId('fabrikam');

const newCustomer = (name: string, domain: string, user = `admin@${domain}`) => ({
  companyName: name,
  domain,
  country: 'ID',
  currency: 'USD',
  culture: 'id-ID',
  language: 'id',
  email: `billing@${domain}`,
  firstName: 'Rina',
  lastName: 'Hartono',
  addressLine1: 'Jl. Jend. Sudirman Kav. 52-53',
  city: 'Jakarta Selatan',
  state: 'DKI Jakarta',
  postalCode: '12190',
  phone: '+62 21 555 0100',
  user: { email: user, displayName: 'Rina Hartono' },
});

describe.each(databaseKinds)("the partner's own jobs: customers and users on %s", (kind) => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await demoWorld(kind);
  });
  afterAll(() => world.close());

  const post = async (url: string, as: string, payload: unknown) =>
    world.app.inject({ method: 'POST', url, headers: await world.as(as), payload: payload as object });
  const count = async (table: 'customers' | 'customer_users' | 'audit_records') =>
    Number(
      (
        await world.handle.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const signIn = (email: string, password: string) =>
    world.app.inject({ method: 'POST', url: '/api/session', payload: { email, password } });
  const activity = async (customerId: string) =>
    (
      await world.app.inject({
        method: 'GET',
        url: `/api/activity?customerId=${customerId}`,
        headers: await world.as(users.admin),
      })
    ).json().items as { operationType: string; resourceType: string; newValue: string | null }[];

  it('an Admin agent adds a customer with its first user, who signs in with the password shown once', async () => {
    const res = await post('/api/customers', users.admin, newCustomer('Wingtip Toys', 'wingtip.example'));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const { customer, user } = res.json();
    expect(customer).toMatchObject({
      companyName: 'Wingtip Toys',
      domain: 'wingtip.example',
      country: 'ID',
      currency: 'USD',
      culture: 'id-ID',
      language: 'id',
      email: 'billing@wingtip.example',
      contact: { firstName: 'Rina', lastName: 'Hartono', phone: '+62 21 555 0100' },
      address: { line1: 'Jl. Jend. Sudirman Kav. 52-53', city: 'Jakarta Selatan', postalCode: '12190' },
    });
    expect(user).toMatchObject({ email: 'admin@wingtip.example', displayName: 'Rina Hartono' });
    expect(user.initialPassword).toMatch(/^\S{16}$/);
    for (const kind of [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/])
      expect(user.initialPassword).toMatch(kind);

    // Stored only as an argon2id hash; nowhere else, not in the activity log either.
    const row = await world.handle.db
      .selectFrom('customer_users')
      .selectAll()
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(row.password_hash).not.toContain(user.initialPassword);
    const records = await activity(customer.id);
    expect(records.map((r) => r.operationType).sort()).toEqual(['add_customer', 'create_customer_user']);
    expect(JSON.stringify(records)).not.toContain(user.initialPassword);
    expect(records.find((r) => r.resourceType === 'customer_user')?.newValue).toContain(
      'admin@wingtip.example',
    );

    const session = await signIn('Admin@Wingtip.example ', user.initialPassword);
    expect(session.statusCode, session.body).toBe(200);
    expect(session.json()).toMatchObject({
      kind: 'customer',
      tenant: { id: customer.id, name: 'Wingtip Toys' },
    });

    const list = await world.app.inject({
      method: 'GET',
      url: '/api/customers?search=Wingtip',
      headers: await world.as(users.admin),
    });
    expect(list.json().items.map((c: { id: string }) => c.id)).toEqual([customer.id]);
  });

  it('Sales agents add customers too (as partner center lets them); Helpdesk agents and customers may not', async () => {
    const sales = await post('/api/customers', users.sales, newCustomer('Coho Winery', 'coho.example'));
    expect(sales.statusCode, sales.body).toBe(201);
    const before = { customers: await count('customers'), users: await count('customer_users') };
    const helpdesk = await post('/api/customers', users.helpdesk, newCustomer('Refused', 'refused.example'));
    expect(helpdesk.statusCode).toBe(403);
    expect(helpdesk.json().error.code).toBe('role-not-allowed');
    const customer = await post(
      '/api/customers',
      users.fabrikamOwner,
      newCustomer('Refused', 'refused.example'),
    );
    expect(customer.statusCode).toBe(403);
    expect(customer.json().error.code).toBe('partner-user-required');
    expect({ customers: await count('customers'), users: await count('customer_users') }).toEqual(before);
  });

  it.each([
    ['a domain that is not one', 400, 'invalid-domain', { domain: 'not a domain' }],
    ['a billing e-mail that is not one', 400, 'invalid-email', { email: 'billing-at-nowhere' }],
    ['a culture that is not one', 400, 'invalid-culture', { culture: 'xx_YY!' }],
    ['a country that is not a code', 400, 'invalid-request', { country: 'Indonesia' }],
    ['an unknown field', 400, 'invalid-request', { vatNumber: '123' }],
    ['no first user', 400, 'invalid-request', { user: undefined }],
    ['a user e-mail that is not one', 400, 'invalid-email', { user: { email: 'x', displayName: 'X' } }],
    [
      'a blank display name',
      400,
      'invalid-display-name',
      { user: { email: 'a@b.example', displayName: '   ' } },
    ],
    ['a domain already in use', 409, 'domain-taken', { domain: 'fabrikam.example' }],
    [
      'a customer user’s e-mail',
      409,
      'user-email-taken',
      { user: { email: users.fabrikamOwner, displayName: 'X' } },
    ],
    ['a partner user’s e-mail', 409, 'user-email-taken', { user: { email: users.sales, displayName: 'X' } }],
  ])('%s: %i %s, and nothing is created', async (_name, status, code, change) => {
    const before = {
      customers: await count('customers'),
      users: await count('customer_users'),
      audit: await count('audit_records'),
    };
    const body: Record<string, unknown> = { ...newCustomer('Bad Input Ltd', 'bad-input.example'), ...change };
    const res = await post('/api/customers', users.admin, body);
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json().error.code).toBe(code);
    expect(res.json().error.message).toMatch(/\.$/);
    expect({
      customers: await count('customers'),
      users: await count('customer_users'),
      audit: await count('audit_records'),
    }).toEqual(before);
  });

  it("lists a customer's users with their roles on its subscriptions", async () => {
    const res = await world.app.inject({
      method: 'GET',
      url: `/api/customers/${fabrikam}/users`,
      headers: await world.as(users.sales),
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.canAdd).toBe(false);
    expect(body.items.map((u: { email: string }) => u.email)).toEqual([
      users.fabrikamOwner,
      users.fabrikamReader,
    ]);
    expect(body.items[0]).toMatchObject({ displayName: 'Dewi Kusuma' });
    expect(body.items[0].roles).toContainEqual(expect.objectContaining({ role: 'Owner' }));
    expect(body.items[1].roles.map((r: { role: string }) => r.role)).toEqual(['Reader']);
    const admin = await world.app.inject({
      method: 'GET',
      url: `/api/customers/${fabrikam}/users`,
      headers: await world.as(users.admin),
    });
    expect(admin.json().canAdd).toBe(true);
  });

  it('an Admin agent adds a user; it has no role yet and signs in with the password shown once', async () => {
    const res = await post(`/api/customers/${fabrikam}/users`, users.admin, {
      email: ' Siti.Rahma@Fabrikam.example ',
      displayName: 'Siti Rahma',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const user = res.json();
    expect(user).toMatchObject({ email: 'siti.rahma@fabrikam.example', displayName: 'Siti Rahma' });
    expect(user.initialPassword).toHaveLength(16);
    const list = await world.app.inject({
      method: 'GET',
      url: `/api/customers/${fabrikam}/users`,
      headers: await world.as(users.admin),
    });
    expect(list.json().items).toContainEqual(
      expect.objectContaining({ id: user.id, email: 'siti.rahma@fabrikam.example', roles: [] }),
    );
    expect(JSON.stringify(list.json())).not.toContain(user.initialPassword);
    const session = await signIn('siti.rahma@fabrikam.example', user.initialPassword);
    expect(session.json()).toMatchObject({ kind: 'customer', tenant: { id: fabrikam } });
    const records = await activity(fabrikam);
    expect(records[0]).toMatchObject({
      operationType: 'create_customer_user',
      resourceType: 'customer_user',
    });
    expect(records[0].newValue).toContain(user.id);
  });

  it('a duplicate e-mail is refused with user-email-taken, whatever its case', async () => {
    const before = await count('customer_users');
    for (const email of [users.fabrikamReader.toUpperCase(), users.adatumOwner, users.litwareAdmin]) {
      const res = await post(`/api/customers/${fabrikam}/users`, users.admin, { email, displayName: 'Dup' });
      expect(res.statusCode, res.body).toBe(409);
      // The refusal does not say whose address it is (which tenant, which kind of user).
      expect(res.json().error).toEqual({
        code: 'user-email-taken',
        message: `${email.toLowerCase()} is already someone's sign-in name in Mitra; choose another e-mail address for this user.`,
      });
    }
    expect(await count('customer_users')).toBe(before);
  });

  it('concurrent adds of one new e-mail make one user; the others are told it is taken', async () => {
    const headers = await world.as(users.admin);
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        world.app.inject({
          method: 'POST',
          url: `/api/customers/${fabrikam}/users`,
          headers,
          payload: { email: 'race@fabrikam.example', displayName: 'Race' },
        }),
      ),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409, 409, 409, 409]);
    for (const a of answers.filter((x) => x.statusCode === 409))
      expect(a.json().error.code).toBe('user-email-taken');
  });

  it('Sales and Helpdesk agents and customer users may not add users; nothing is created', async () => {
    const before = await count('customer_users');
    for (const [as, code] of [
      [users.sales, 'admin-agent-required'],
      [users.helpdesk, 'admin-agent-required'],
      [users.fabrikamOwner, 'partner-user-required'],
    ]) {
      const res = await post(`/api/customers/${fabrikam}/users`, as, {
        email: 'nobody@fabrikam.example',
        displayName: 'Nobody',
      });
      expect(res.statusCode, `${as} ${res.body}`).toBe(403);
      expect(res.json().error.code).toBe(code);
    }
    expect(await count('customer_users')).toBe(before);
  });

  it('bad user input answers 400 with a code; an unknown customer 404', async () => {
    for (const [payload, code] of [
      [{ email: 'not-an-address', displayName: 'X' }, 'invalid-email'],
      [{ email: 'x@fabrikam.example', displayName: ' ' }, 'invalid-display-name'],
      [{ email: 'x@fabrikam.example' }, 'invalid-request'],
      [{ email: 'x@fabrikam.example', displayName: 'X', role: 'Owner' }, 'invalid-request'],
    ] as const) {
      const res = await post(`/api/customers/${fabrikam}/users`, users.admin, payload);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.code).toBe(code);
    }
    const missing = await post('/api/customers/00000000-0000-4000-8000-000000000000/users', users.admin, {
      email: 'x@nowhere.example',
      displayName: 'X',
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('customer-not-found');
  });
});
