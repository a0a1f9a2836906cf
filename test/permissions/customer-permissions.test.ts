import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { demoId } from '../../src/demo/load.ts';
import { demoWorld, type TestWorld, users } from '../support/app.ts';
import { databaseKinds } from '../support/db.ts';

const contoso = demoId('contoso');
const fabrikam = demoId('fabrikam');
const tailspin = demoId('tailspin');
const northwind = demoId('northwind');
const adatum = demoId('adatum');
const policyIdOf = (customerId: string) => `${contoso}_${customerId}`;
const policyBody = (customerId: string, resources: string[], etag?: string) => ({
  selfServeEntity: { selfServeEntityType: 'customer', tenantID: customerId },
  grantor: { grantorType: 'billToPartner', tenantID: contoso },
  permissions: resources.map((resource) => ({ resource, action: 'Purchase' })),
  ...(etag ? { attributes: { etag } } : {}),
});

describe.each(databaseKinds)('customer permissions on %s', (kind) => {
  let world: TestWorld;
  let appToken: string;
  beforeAll(async () => {
    world = await demoWorld(kind);
    const reg = await world.app.inject({
      method: 'POST',
      url: '/api/applications',
      headers: await world.as(users.admin),
      payload: { displayName: 'Automation' },
    });
    const { clientId, clientSecret } = reg.json();
    const tok = await world.app.inject({
      method: 'POST',
      url: '/oauth2/token',
      payload: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: clientSecret,
      }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    appToken = tok.json().access_token;
  });
  afterAll(() => world.close());
  beforeEach(async () => {
    await world.handle.db.deleteFrom('self_serve_policies').execute();
  });

  const audits = async (customerId: string) =>
    world.handle.db
      .selectFrom('audit_records')
      .selectAll()
      .where('resource_type', '=', 'self_serve_policy')
      .where('customer_id', '=', customerId)
      .orderBy('seq')
      .execute();
  const headersOf = async (who: string) =>
    who === 'app' ? { authorization: `Bearer ${appToken}` } : world.as(who);

  it('is off by default for every customer and resource (R1), in both dialects', async () => {
    for (const customerId of [fabrikam, tailspin, northwind]) {
      const view = await world.app.inject({
        method: 'GET',
        url: `/api/customers/${customerId}/permissions`,
        headers: await world.as(users.helpdesk),
      });
      expect(view.json().permissions).toEqual({ AzureReservedInstances: false, AzureSavingsPlan: false });
      const list = await world.app.inject({
        method: 'GET',
        url: `/v1/SelfServePolicy?entity_id=${customerId}`,
        headers: await world.as(users.sales),
      });
      expect(list.json()).toMatchObject({ totalCount: 0, items: [] });
    }
  });

  // Each role × each operation: who may change permissions (R2), through each route.
  const changers = [
    { who: users.admin, allowed: true },
    { who: users.sales, allowed: false, code: 'admin-agent-required' },
    { who: users.helpdesk, allowed: false, code: 'admin-agent-required' },
    { who: 'app', allowed: false, code: 'app-user-required' },
  ];
  const operations = [
    {
      name: 'Mitra PUT permission',
      run: (h: Record<string, string>) =>
        world.app.inject({
          method: 'PUT',
          url: `/api/customers/${fabrikam}/permissions/AzureReservedInstances`,
          headers: h,
          payload: { allowed: true },
        }),
      okStatus: 200,
      errorCode: (b: any) => b.error?.code,
    },
    {
      name: 'partner-center POST',
      run: (h: Record<string, string>) =>
        world.app.inject({
          method: 'POST',
          url: '/v1/SelfServePolicy',
          headers: h,
          payload: policyBody(fabrikam, ['AzureReservedInstances']),
        }),
      okStatus: 201,
      errorCode: (b: any) => b.errorName,
    },
    {
      name: 'bulk',
      run: (h: Record<string, string>) =>
        world.app.inject({
          method: 'POST',
          url: '/api/permissions/bulk',
          headers: h,
          payload: { items: [{ customerId: fabrikam, resource: 'AzureReservedInstances', allowed: true }] },
        }),
      okStatus: 200,
      errorCode: (b: any) => b.error?.code,
    },
  ];
  for (const op of operations) {
    for (const c of changers) {
      it(`${op.name} by ${c.who}: ${c.allowed ? 'changes it, one record' : `refused with ${c.code}, nothing changes, one refusal recorded`}`, async () => {
        const before = (await audits(fabrikam)).length;
        const beforeAll_ = await world.handle.db
          .selectFrom('audit_records')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        const res = await op.run(await headersOf(c.who));
        const policy = await world.handle.db
          .selectFrom('self_serve_policies')
          .selectAll()
          .where('customer_id', '=', fabrikam)
          .executeTakeFirst();
        const afterAll_ = await world.handle.db
          .selectFrom('audit_records')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        if (c.allowed) {
          expect(res.statusCode, res.body).toBe(op.okStatus);
          expect(policy?.permissions).toEqual([{ resource: 'AzureReservedInstances', action: 'Purchase' }]);
          const records = (await audits(fabrikam)).slice(before);
          expect(records).toHaveLength(1);
          expect(records[0]).toMatchObject({
            operation_type: 'create_self_serve_policy',
            operation_status: 'succeeded',
            user_principal_name: users.admin,
            customer_name: 'Fabrikam',
          });
          expect(JSON.parse(records[0].resource_new_value!)).toMatchObject({
            permissions: [{ resource: 'AzureReservedInstances', action: 'Purchase' }],
          });
        } else {
          expect(res.statusCode, res.body).toBe(403);
          expect(op.errorCode(res.json())).toBe(c.code);
          expect(policy).toBeUndefined();
          // exactly one refusal record, nothing else
          expect(Number(afterAll_.n) - Number(beforeAll_.n)).toBe(1);
          const refusal = await world.handle.db
            .selectFrom('audit_records')
            .selectAll()
            .orderBy('seq', 'desc')
            .limit(1)
            .executeTakeFirstOrThrow();
          expect(refusal.operation_status).toBe('decline');
          expect(refusal.customized_data).toEqual(
            expect.arrayContaining([{ key: 'refusedWith', value: c.code }]),
          );
        }
      });
    }
  }

  it('reads: every partner role sees permissions; application-only tokens are refused on the App+User-only partner-center routes', async () => {
    for (const who of [users.admin, users.sales, users.helpdesk]) {
      const view = await world.app.inject({
        method: 'GET',
        url: `/api/customers/${fabrikam}/permissions`,
        headers: await world.as(who),
      });
      expect(view.statusCode).toBe(200);
      expect(view.json().canEdit).toBe(who === users.admin);
      const pc = await world.app.inject({
        method: 'GET',
        url: `/v1/SelfServePolicy?entity_id=${fabrikam}`,
        headers: await world.as(who),
      });
      expect(pc.statusCode).toBe(200);
    }
    const app = await world.app.inject({
      method: 'GET',
      url: `/v1/SelfServePolicy?entity_id=${fabrikam}`,
      headers: { authorization: `Bearer ${appToken}` },
    });
    expect(app.statusCode).toBe(403);
    expect(app.json()).toMatchObject({ errorName: 'app-user-required' });
    expect(app.json().description).toMatch(/App\+User/);
  });

  it('setting a permission is idempotent: the same state twice writes one record', async () => {
    const h = await world.as(users.admin);
    for (let i = 0; i < 3; i++) {
      const res = await world.app.inject({
        method: 'PUT',
        url: `/api/customers/${tailspin}/permissions/AzureSavingsPlan`,
        headers: h,
        payload: { allowed: true },
      });
      expect(res.statusCode).toBe(200);
    }
    expect((await audits(tailspin)).filter((r) => r.operation_status === 'succeeded')).toHaveLength(1);
    await world.app.inject({
      method: 'PUT',
      url: `/api/customers/${tailspin}/permissions/AzureSavingsPlan`,
      headers: h,
      payload: { allowed: false },
    });
    const records = (await audits(tailspin)).filter((r) => r.operation_status === 'succeeded');
    expect(records.map((r) => r.operation_type)).toEqual([
      'create_self_serve_policy',
      'delete_self_serve_policy',
    ]);
    expect(records[1].customized_data).toEqual([{ key: 'resource', value: 'AzureSavingsPlan' }]);
  });

  it('enabling needs an active Azure plan or Azure Global subscription (R4); disabling always works', async () => {
    const h = await world.as(users.admin);
    for (const resource of ['AzureReservedInstances', 'AzureSavingsPlan']) {
      const res = await world.app.inject({
        method: 'PUT',
        url: `/api/customers/${northwind}/permissions/${resource}`,
        headers: h,
        payload: { allowed: true },
      });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('azure-plan-required');
      expect(res.json().error.message).toMatch(/Buy an Azure plan/);
      const off = await world.app.inject({
        method: 'PUT',
        url: `/api/customers/${northwind}/permissions/${resource}`,
        headers: h,
        payload: { allowed: false },
      });
      expect(off.statusCode).toBe(200);
    }
    const pc = await world.app.inject({
      method: 'POST',
      url: '/v1/SelfServePolicy',
      headers: h,
      payload: policyBody(northwind, ['AzureSavingsPlan']),
    });
    expect(pc.statusCode).toBe(409);
    expect(pc.json()).toMatchObject({ errorName: 'azure-plan-required' });
    const view = await world.app.inject({
      method: 'GET',
      url: `/api/customers/${northwind}/permissions`,
      headers: h,
    });
    expect(view.json().enableBlockedBy.AzureReservedInstances.code).toBe('azure-plan-required');
    // Tailspin's Azure Global (MS-AZR-0145P) qualifies as well.
    const tail = await world.app.inject({
      method: 'PUT',
      url: `/api/customers/${tailspin}/permissions/AzureReservedInstances`,
      headers: h,
      payload: { allowed: true },
    });
    expect(tail.statusCode).toBe(200);
    // A suspended Azure plan does not qualify.
    await world.handle.db
      .updateTable('subscriptions')
      .set({ status: 'suspended' })
      .where('customer_id', '=', tailspin)
      .execute();
    const suspended = await world.app.inject({
      method: 'PUT',
      url: `/api/customers/${tailspin}/permissions/AzureSavingsPlan`,
      headers: h,
      payload: { allowed: true },
    });
    expect(suspended.json().error.code).toBe('azure-plan-required');
    await world.handle.db
      .updateTable('subscriptions')
      .set({ status: 'active' })
      .where('customer_id', '=', tailspin)
      .execute();
  });

  it('refuses reservations for customers in markets where they are not sold (R19)', async () => {
    const h = await world.as(users.admin);
    await world.handle.db
      .updateTable('customers')
      .set({ country: 'BR' })
      .where('id', '=', fabrikam)
      .execute();
    try {
      const ri = await world.app.inject({
        method: 'PUT',
        url: `/api/customers/${fabrikam}/permissions/AzureReservedInstances`,
        headers: h,
        payload: { allowed: true },
      });
      expect(ri.statusCode).toBe(409);
      expect(ri.json().error.code).toBe('market-not-supported');
      const sp = await world.app.inject({
        method: 'PUT',
        url: `/api/customers/${fabrikam}/permissions/AzureSavingsPlan`,
        headers: h,
        payload: { allowed: true },
      });
      expect(sp.statusCode).toBe(200);
    } finally {
      await world.handle.db
        .updateTable('customers')
        .set({ country: 'ID' })
        .where('id', '=', fabrikam)
        .execute();
    }
  });

  it('partner-center lifecycle: create, get, conflict, update with etag (stale refused with 412, nothing changes), delete', async () => {
    const h = await world.as(users.admin);
    const earlier = (await audits(fabrikam)).length;
    const created = await world.app.inject({
      method: 'POST',
      url: '/v1/SelfServePolicy',
      headers: h,
      payload: policyBody(fabrikam, ['AzureReservedInstances']),
    });
    expect(created.statusCode).toBe(201);
    const policy = created.json();
    expect(policy).toMatchObject({
      id: policyIdOf(fabrikam),
      selfServeEntity: { selfServeEntityType: 'customer', tenantID: fabrikam },
      grantor: { grantorType: 'billToPartner', tenantID: contoso },
      permissions: [{ resource: 'AzureReservedInstances', action: 'Purchase' }],
      attributes: { objectType: 'SelfServePolicy' },
    });
    const again = await world.app.inject({
      method: 'POST',
      url: '/v1/SelfServePolicy',
      headers: h,
      payload: policyBody(fabrikam, ['AzureSavingsPlan']),
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe(600041);
    const got = await world.app.inject({
      method: 'GET',
      url: `/v1/selfservepolicy/${policy.id}`,
      headers: h,
    });
    expect(got.json().attributes.etag).toBe(policy.attributes.etag);

    const updated = await world.app.inject({
      method: 'PUT',
      url: `/v1/SelfServePolicy/${policy.id}`,
      headers: h,
      payload: policyBody(fabrikam, ['AzureReservedInstances', 'AzureSavingsPlan'], policy.attributes.etag),
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.json().attributes.etag).not.toBe(policy.attributes.etag);
    const stale = await world.app.inject({
      method: 'PUT',
      url: '/v1/SelfServePolicy',
      headers: h,
      payload: { id: policy.id, ...policyBody(fabrikam, [], policy.attributes.etag) },
    });
    expect(stale.statusCode).toBe(412);
    expect(stale.json()).toMatchObject({ errorName: 'etag-mismatch' });
    const still = await world.app.inject({
      method: 'GET',
      url: `/v1/SelfServePolicy/${policy.id}`,
      headers: h,
    });
    expect(still.json().permissions).toHaveLength(2);

    const records = (await audits(fabrikam)).slice(earlier);
    expect(records.map((r) => r.operation_type)).toEqual([
      'create_self_serve_policy',
      'create_self_serve_policy',
    ]);
    const deleted = await world.app.inject({
      method: 'DELETE',
      url: `/v1/SelfServePolicy/${policy.id}`,
      headers: h,
    });
    expect(deleted.statusCode).toBe(204);
    const after = (await audits(fabrikam)).slice(earlier + 2);
    expect(after.map((r) => [r.operation_type, r.customized_data[0].value])).toEqual([
      ['delete_self_serve_policy', 'AzureReservedInstances'],
      ['delete_self_serve_policy', 'AzureSavingsPlan'],
    ]);
    const gone = await world.app.inject({
      method: 'GET',
      url: `/v1/SelfServePolicy/${policy.id}`,
      headers: h,
    });
    expect(gone.statusCode).toBe(404);
    expect(gone.json().code).toBe(600039);
    const badId = await world.app.inject({
      method: 'PUT',
      url: '/v1/SelfServePolicy/not-an-id',
      headers: h,
      payload: policyBody(fabrikam, []),
    });
    expect(badId.statusCode).toBe(404);
    expect(badId.json().code).toBe(600040);
  });

  it("one partner can never read or change another partner's customer's policy: 404, not 403", async () => {
    const litware = await world.as(users.litwareAdmin);
    const contosoAdmin = await world.as(users.admin);
    await world.app.inject({
      method: 'PUT',
      url: `/api/customers/${fabrikam}/permissions/AzureReservedInstances`,
      headers: contosoAdmin,
      payload: { allowed: true },
    });
    const attempts = [
      world.app.inject({ method: 'GET', url: `/api/customers/${fabrikam}/permissions`, headers: litware }),
      world.app.inject({
        method: 'PUT',
        url: `/api/customers/${fabrikam}/permissions/AzureSavingsPlan`,
        headers: litware,
        payload: { allowed: true },
      }),
      world.app.inject({ method: 'GET', url: `/v1/SelfServePolicy?entity_id=${fabrikam}`, headers: litware }),
      world.app.inject({
        method: 'GET',
        url: `/v1/SelfServePolicy/${policyIdOf(fabrikam)}`,
        headers: litware,
      }),
      world.app.inject({
        method: 'PUT',
        url: `/v1/SelfServePolicy/${policyIdOf(fabrikam)}`,
        headers: litware,
        payload: policyBody(fabrikam, []),
      }),
      world.app.inject({
        method: 'DELETE',
        url: `/v1/SelfServePolicy/${policyIdOf(fabrikam)}`,
        headers: litware,
      }),
      world.app.inject({
        method: 'POST',
        url: '/v1/SelfServePolicy',
        headers: litware,
        payload: {
          ...policyBody(fabrikam, ['AzureSavingsPlan']),
          grantor: { grantorType: 'billToPartner', tenantID: demoId('litware') },
        },
      }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.statusCode, res.body).toBe(404);
      expect(res.body).not.toMatch(/Fabrikam/);
    }
    // Contoso cannot reach Litware's Adatum either; nothing was recorded against Litware's customers.
    const reverse = await world.app.inject({
      method: 'PUT',
      url: `/api/customers/${adatum}/permissions/AzureSavingsPlan`,
      headers: contosoAdmin,
      payload: { allowed: true },
    });
    expect(reverse.statusCode).toBe(404);
    expect(await audits(adatum)).toHaveLength(0);
    const policy = await world.handle.db
      .selectFrom('self_serve_policies')
      .selectAll()
      .where('customer_id', '=', fabrikam)
      .executeTakeFirstOrThrow();
    expect(policy.permissions).toEqual([{ resource: 'AzureReservedInstances', action: 'Purchase' }]);
  });

  it('bulk: a per-customer result, refusals do not undo the others, and streaming reports progress', async () => {
    const h = await world.as(users.admin);
    const items = [
      { customerId: fabrikam, resource: 'AzureReservedInstances', allowed: true },
      { customerId: northwind, resource: 'AzureReservedInstances', allowed: true },
      { customerId: adatum, resource: 'AzureReservedInstances', allowed: true },
      { customerId: tailspin, resource: 'AzureSavingsPlan', allowed: true },
    ];
    const res = await world.app.inject({
      method: 'POST',
      url: '/api/permissions/bulk',
      headers: { ...h, accept: 'application/x-ndjson' },
      payload: { items },
    });
    expect(res.headers['content-type']).toMatch(/application\/x-ndjson/);
    const lines = res.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const results = lines.filter((l) => l.type === 'result').sort((x, y) => x.index - y.index);
    expect(results.map((r) => [r.customerId, r.status, r.code])).toEqual([
      [fabrikam, 'done', undefined],
      [northwind, 'refused', 'azure-plan-required'],
      [adatum, 'refused', 'customer-not-found'],
      [tailspin, 'done', undefined],
    ]);
    expect(lines.some((l) => l.type === 'progress')).toBe(true);
    expect(lines.at(-1)).toEqual({ type: 'summary', total: 4, done: 2, refused: 2 });
  });
});
