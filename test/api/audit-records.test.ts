import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationTypes, resourceTypes } from '../../src/domain/audit.ts';
import { demoWorld, type TestWorld, users } from '../support/app.ts';
import { databaseKinds } from '../support/db.ts';
import {
  type CustomerIds,
  createCart,
  customerIds,
  expectMitraError,
  expectPartnerCenterError,
  walkPartnerCenter,
} from './fixtures.ts';

/** `GET /v1/auditrecords` (reference §3) and Mitra's `GET /api/activity` over the same log. */

interface AuditRecord {
  id: string;
  partnerId: string;
  customerId: string | null;
  customerName: string | null;
  userPrincipalName: string | null;
  applicationId: string | null;
  resourceType: string;
  resourceOldValue: string | null;
  resourceNewValue: string | null;
  operationType: string;
  originalCorrelationId: string;
  operationDate: string;
  operationStatus: string;
  customizedData: { key: string; value: string }[];
  attributes: { objectType: string };
}

const dayMs = 24 * 3600 * 1000;
/** yyyy-mm-dd of the UTC day `days` before today. */
const daysAgo = (days: number) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - days * dayMs)
    .toISOString()
    .slice(0, 10);
};
const filterParam = (filter: unknown) => encodeURIComponent(JSON.stringify(filter));

describe.each(databaseKinds)('audit records on %s', (kind) => {
  let world: TestWorld;
  let admin: Record<string, string>;
  let fabrikam: CustomerIds;
  let contosoId: string;
  /** Records written back in time, straight into the table: the API never back-dates. */
  const backdated = { fortyDays: randomUUID(), hundredDays: randomUUID() };

  beforeAll(async () => {
    world = await demoWorld(kind);
    admin = await world.as(users.admin);
    fabrikam = await customerIds(world, users.admin, 'Fabrikam');
    contosoId = (await world.app.inject({ method: 'GET', url: '/api/me', headers: admin })).json().tenant.id;
    // Some activity by people, on top of the demo loader's: a customer and an order.
    const created = await world.app.inject({
      method: 'POST',
      url: '/v1/customers',
      headers: await world.as(users.sales),
      payload: {
        companyProfile: { domain: 'fourthcoffee.example' },
        billingProfile: {
          culture: 'en-US',
          email: 'it@fourthcoffee.example',
          language: 'en',
          companyName: 'Fourth Coffee',
          defaultAddress: {
            firstName: 'A',
            lastName: 'B',
            addressLine1: '1 Main St',
            city: 'Seattle',
            postalCode: '98101',
            country: 'US',
          },
        },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const cartId = await createCart(world, users.admin, fabrikam.id);
    const checkout = await world.app.inject({
      method: 'POST',
      url: `/v1/customers/${fabrikam.id}/carts/${cartId}/checkout`,
      headers: admin,
    });
    expect(checkout.statusCode, checkout.body).toBe(201);
  });
  afterAll(() => world.close());

  const get = (url: string, headers = admin) => world.app.inject({ method: 'GET', url, headers });
  const records = async (query = '') => {
    const res = await get(`/v1/auditrecords${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as AuditRecord[];
  };

  it('answers the last 30 days by default, newest first, as AuditRecord resources', async () => {
    const res = await get('/v1/auditrecords');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.attributes).toEqual({ objectType: 'Collection' });
    expect(body.links.self.uri).toMatch(/^\/auditrecords\?size=500/);
    const items = body.items as AuditRecord[];
    // The demo's two records per Contoso customer, the new customer and the new order.
    expect(items.length).toBe(3 * 2 + 2);
    const dates = items.map((r) => Date.parse(r.operationDate));
    for (let i = 1; i < dates.length; i++)
      expect(dates[i], `record ${i} is newer than record ${i - 1}`).toBeLessThanOrEqual(dates[i - 1]);
    expect(items[0]).toMatchObject({
      operationType: 'create_order',
      customerId: fabrikam.id,
      userPrincipalName: users.admin,
    });
    expect(items[1]).toMatchObject({
      operationType: 'add_customer',
      customerName: 'Fourth Coffee',
      userPrincipalName: users.sales,
    });
  });

  it('every record has the reference shape: snake_case enums, JSON-in-string values, ISO dates', async () => {
    for (const r of await records()) {
      expect(r).toMatchObject({
        partnerId: contosoId,
        operationStatus: expect.stringMatching(/^(succeeded|failed|progress|decline)$/),
        attributes: { objectType: 'AuditRecord' },
      });
      expect(r.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.operationType).toMatch(/^[a-z]+(_[a-z]+)*$/);
      expect(operationTypes).toContain(r.operationType);
      expect(r.resourceType).toMatch(/^[a-z]+(_[a-z]+)*$/);
      expect(resourceTypes).toContain(r.resourceType);
      expect(new Date(r.operationDate).toISOString()).toBe(r.operationDate);
      expect(typeof r.originalCorrelationId).toBe('string');
      expect(Array.isArray(r.customizedData)).toBe(true);
      // Values travel as JSON inside a string (null where there is none, e.g. a refused attempt).
      if (r.resourceOldValue !== null) expect(typeof JSON.parse(r.resourceOldValue)).toBe('object');
      if (['add_customer', 'create_order'].includes(r.operationType)) {
        expect(typeof r.resourceNewValue).toBe('string');
        const value = JSON.parse(r.resourceNewValue!);
        expect(typeof value).toBe('object');
        if (r.operationType === 'add_customer') expect(value.id).toBe(r.customerId);
      } else if (r.resourceNewValue !== null) expect(typeof JSON.parse(r.resourceNewValue)).toBe('object');
    }
  });

  it('keeps the retention window: startDate up to 90 days back is fine, older is 400 start-date-too-old', async () => {
    expect((await get(`/v1/auditrecords?startDate=${daysAgo(90)}`)).statusCode).toBe(200);
    const body = expectPartnerCenterError(
      await get(`/v1/auditrecords?startDate=${daysAgo(91)}`),
      400,
      'start-date-too-old',
    );
    expect(body.description).toContain(daysAgo(90));
    expectPartnerCenterError(await get('/v1/auditrecords?startDate=2001-01-01'), 400, 'start-date-too-old');
    expectMitraError(await get(`/api/activity?startDate=${daysAgo(120)}`), 400, 'start-date-too-old');
  });

  it.each([
    ['endDate before startDate', `startDate=${daysAgo(3)}&endDate=${daysAgo(5)}`, 'invalid-date-range'],
    ['a startDate that is not a date', 'startDate=yesterday', 'invalid-date'],
    ['an endDate that is not a date', 'endDate=31-12-2026', 'invalid-date'],
  ])('%s: 400 %s', async (_what, query, errorName) => {
    expectPartnerCenterError(await get(`/v1/auditrecords?${query}`), 400, errorName);
    expectMitraError(await get(`/api/activity?${query}`), 400, errorName);
  });

  it('a window of a single day (startDate = endDate) is allowed', async () => {
    const today = daysAgo(0);
    expect((await records(`?startDate=${today}&endDate=${today}`)).length).toBe(8);
    expect(await records(`?startDate=${daysAgo(2)}&endDate=${daysAgo(1)}`)).toEqual([]);
  });

  it('honours startDate and endDate against records of earlier days', async () => {
    const insert = (id: string, days: number) =>
      world.handle.db
        .insertInto('audit_records')
        .values({
          id,
          partner_id: contosoId,
          customer_id: fabrikam.id,
          customer_name: 'Fabrikam',
          actor_kind: 'system',
          actor_id: null,
          user_principal_name: null,
          application_id: null,
          resource_type: 'subscription',
          operation_type: 'update_subscription',
          operation_status: 'succeeded',
          resource_old_value: null,
          resource_new_value: JSON.stringify({ id: fabrikam.subscriptionId }),
          correlation_id: randomUUID(),
          customized_data: '[]',
          operation_date: new Date(Date.now() - days * dayMs),
        })
        .execute();
    await insert(backdated.fortyDays, 40);
    await insert(backdated.hundredDays, 100);
    const ids = (items: AuditRecord[]) => items.map((r) => r.id);

    expect(ids(await records())).not.toContain(backdated.fortyDays);
    const wide = await records(`?startDate=${daysAgo(45)}`);
    expect(ids(wide)).toContain(backdated.fortyDays);
    expect(ids(wide)).not.toContain(backdated.hundredDays);
    const only = await records(`?startDate=${daysAgo(45)}&endDate=${daysAgo(35)}`);
    expect(ids(only)).toEqual([backdated.fortyDays]);
    const activity = await get(`/api/activity?startDate=${daysAgo(45)}&endDate=${daysAgo(35)}`);
    expect(activity.json().items.map((r: { id: string }) => r.id)).toEqual([backdated.fortyDays]);
  });

  it('filters by CustomerId (equals)', async () => {
    const items = await records(
      `?filter=${filterParam({ Field: 'CustomerId', Value: fabrikam.id, Operator: 'equals' })}`,
    );
    expect(items.length).toBe(3); // demo add_customer + create_order, and the new order
    for (const r of items) expect(r.customerId).toBe(fabrikam.id);
    // Upper-case GUIDs name the same customer.
    const upper = await records(
      `?filter=${filterParam({ Field: 'CustomerId', Value: fabrikam.id.toUpperCase(), Operator: 'equals' })}`,
    );
    expect(upper.map((r) => r.id)).toEqual(items.map((r) => r.id));
    const unknown = await records(
      `?filter=${filterParam({ Field: 'CustomerId', Value: randomUUID(), Operator: 'equals' })}`,
    );
    expect(unknown).toEqual([]);
    expectPartnerCenterError(
      await get(
        `/v1/auditrecords?filter=${filterParam({ Field: 'CustomerId', Value: 'Fabrikam', Operator: 'equals' })}`,
      ),
      400,
      'invalid-filter',
    );
  });

  it('filters by CompanyName (substring, any case)', async () => {
    const items = await records(
      `?filter=${filterParam({ Field: 'CompanyName', Value: 'RIKA', Operator: 'substring' })}`,
    );
    expect(items.length).toBe(3);
    for (const r of items) expect(r.customerName).toBe('Fabrikam');
    const toys = await records(
      `?filter=${filterParam({ Field: 'CompanyName', Value: 'toys', Operator: 'substring' })}`,
    );
    expect(toys.map((r) => r.customerName)).toEqual(['Tailspin Toys', 'Tailspin Toys']);
    // LIKE wildcards in the value are plain characters.
    expect(
      await records(`?filter=${filterParam({ Field: 'CompanyName', Value: '%', Operator: 'substring' })}`),
    ).toEqual([]);
  });

  it('filters by ResourceType, given as the SDK sends it (PascalCase) or snake_case', async () => {
    const orders = await records(
      `?filter=${filterParam({ Field: 'ResourceType', Value: 'Order', Operator: 'equals' })}`,
    );
    expect(orders.length).toBe(4);
    for (const r of orders) expect(r).toMatchObject({ resourceType: 'order', operationType: 'create_order' });
    const customers = await records(
      `?filter=${filterParam({ Field: 'ResourceType', Value: 'customer', Operator: 'equals' })}`,
    );
    expect(customers.length).toBe(4);
    for (const r of customers) expect(r.resourceType).toBe('customer');
    const policies = await records(
      `?filter=${filterParam({ Field: 'ResourceType', Value: 'SelfServePolicy', Operator: 'equals' })}`,
    );
    expect(policies).toEqual([]);
  });

  it.each([
    ['an unknown field', { Field: 'OperationType', Value: 'create_order', Operator: 'equals' }],
    ['an unknown operator', { Field: 'CompanyName', Value: 'fab', Operator: 'starts_with' }],
    ['no value', { Field: 'CompanyName', Operator: 'substring' }],
  ])('refuses a filter with %s: 400 invalid-filter', async (_what, filter) => {
    expectPartnerCenterError(
      await get(`/v1/auditrecords?filter=${filterParam(filter)}`),
      400,
      'invalid-filter',
    );
  });

  it('pages with size=2 through every record: each once, newest first', async () => {
    const window = `startDate=${daysAgo(0)}`;
    const all = await records(`?${window}`);
    expect(all.length).toBe(8);
    const pages = await walkPartnerCenter<AuditRecord>(world, admin, `/v1/auditrecords?size=2&${window}`);
    expect(pages.length).toBe(4);
    for (const [n, page] of pages.entries()) {
      expect(page.items.length, `page ${n}`).toBe(2);
      if (n < pages.length - 1) expect(page.continuationToken).toEqual(expect.any(String));
    }
    const walked = pages.flatMap((p) => p.items);
    expect(walked.map((r) => r.id)).toEqual(all.map((r) => r.id));
    expect(new Set(walked.map((r) => r.id)).size).toBe(8);
    const dates = walked.map((r) => Date.parse(r.operationDate));
    for (let i = 1; i < dates.length; i++) expect(dates[i]).toBeLessThanOrEqual(dates[i - 1]);

    // The filter holds across pages.
    const filtered = await walkPartnerCenter<AuditRecord>(
      world,
      admin,
      `/v1/auditrecords?size=2&${window}&filter=${filterParam({ Field: 'ResourceType', Value: 'Order', Operator: 'equals' })}`,
    );
    const orderIds = filtered.flatMap((p) => p.items.map((r) => r.id));
    expect(orderIds).toEqual(all.filter((r) => r.resourceType === 'order').map((r) => r.id));

    // A record written while paging does not shift the pages already served.
    const first = await get(`/v1/auditrecords?size=2&${window}`);
    const token = first.json().continuationToken;
    const cartId = await createCart(world, users.admin, fabrikam.id);
    expect(
      (
        await world.app.inject({
          method: 'POST',
          url: `/v1/customers/${fabrikam.id}/carts/${cartId}/checkout`,
          headers: admin,
        })
      ).statusCode,
    ).toBe(201);
    const second = await get(`/v1/auditrecords?size=2&${window}`, {
      ...admin,
      'MS-ContinuationToken': token,
    });
    expect(second.json().items.map((r: AuditRecord) => r.id)).toEqual(all.slice(2, 4).map((r) => r.id));
  });

  it.each([
    ['size=0', 400],
    ['size=501', 400],
    ['size=two', 400],
  ])('refuses %s', async (query, status) => {
    expectPartnerCenterError(await get(`/v1/auditrecords?${query}`), status, 'invalid-request');
  });

  describe('/api/activity', () => {
    it('is the same log in Mitra’s shape', async () => {
      const pc = await records();
      const res = await get('/api/activity');
      expect(res.statusCode).toBe(200);
      const items = res.json().items as {
        id: string;
        operationType: string;
        oldValue: string | null;
        newValue: string | null;
      }[];
      expect(items.map((r) => r.id)).toEqual(pc.map((r) => r.id));
      expect(res.json().continuationToken).toBeNull();
      expect(items[0]).toMatchObject({
        id: pc[0].id,
        operationDate: pc[0].operationDate,
        customerId: pc[0].customerId,
        customerName: pc[0].customerName,
        operationType: pc[0].operationType,
        resourceType: pc[0].resourceType,
        userPrincipalName: pc[0].userPrincipalName,
        applicationId: pc[0].applicationId,
        operationStatus: pc[0].operationStatus,
        oldValue: pc[0].resourceOldValue,
        newValue: pc[0].resourceNewValue,
      });
    });

    it('filters by customerId and by operationType, alone and together', async () => {
      const byCustomer = (await get(`/api/activity?customerId=${fabrikam.id}`)).json().items as {
        customerId: string;
        operationType: string;
      }[];
      expect(byCustomer.length).toBeGreaterThanOrEqual(3);
      for (const r of byCustomer) expect(r.customerId).toBe(fabrikam.id);

      const adds = (await get('/api/activity?operationType=add_customer')).json().items as {
        operationType: string;
        customerName: string;
      }[];
      expect(adds.map((r) => r.customerName).sort()).toEqual([
        'Fabrikam',
        'Fourth Coffee',
        'Northwind Traders',
        'Tailspin Toys',
      ]);
      for (const r of adds) expect(r.operationType).toBe('add_customer');

      const both = (await get(`/api/activity?customerId=${fabrikam.id}&operationType=create_order`)).json()
        .items as { customerId: string; operationType: string }[];
      expect(both.length).toBe(byCustomer.filter((r) => r.operationType === 'create_order').length);
      for (const r of both)
        expect(r).toMatchObject({ customerId: fabrikam.id, operationType: 'create_order' });

      expect((await get('/api/activity?operationType=create_self_serve_policy')).json().items).toEqual([]);
    });

    it('pages with continuationToken', async () => {
      const all = (await get('/api/activity')).json().items.map((r: { id: string }) => r.id);
      const walked: string[] = [];
      let token: string | null = null;
      do {
        const q: string = token ? `&continuationToken=${encodeURIComponent(token)}` : '';
        const body = (await get(`/api/activity?size=3${q}`)).json();
        walked.push(...body.items.map((r: { id: string }) => r.id));
        token = body.continuationToken;
      } while (token);
      expect(walked).toEqual(all);
    });

    it.each([
      ['an operation type it does not know', 'operationType=delete_everything'],
      ['a customerId that is not a GUID', 'customerId=Fabrikam'],
      ['a size of 0', 'size=0'],
    ])('refuses %s: 400 invalid-request', async (_what, query) => {
      expectMitraError(await get(`/api/activity?${query}`), 400, 'invalid-request');
    });

    it('is open to every partner role and closed to customer users', async () => {
      for (const email of [users.sales, users.helpdesk])
        expect((await get('/api/activity', await world.as(email))).statusCode).toBe(200);
      expectMitraError(
        await get('/api/activity', await world.as(users.fabrikamOwner)),
        403,
        'partner-user-required',
      );
      expectPartnerCenterError(
        await get('/v1/auditrecords', await world.as(users.fabrikamOwner)),
        403,
        'partner-user-required',
      );
    });
  });
});
