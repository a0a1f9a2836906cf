import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoWorld, type TestWorld, users } from '../support/app.ts';
import { databaseKinds } from '../support/db.ts';
import { expectMitraError, expectPartnerCenterError, walkPartnerCenter } from './fixtures.ts';

/** `GET/POST /v1/customers` and `GET /v1/customers/{id}` (reference §2 Customers, §5 collections). */

interface PcCustomer {
  id: string;
  companyProfile: { tenantId: string; domain: string; companyName: string };
  billingProfile: {
    email: string;
    culture: string;
    language: string;
    companyName: string;
    defaultAddress: Record<string, string>;
  };
  attributes: { objectType: string };
}

const filterParam = (filter: unknown) =>
  encodeURIComponent(typeof filter === 'string' ? filter : JSON.stringify(filter));

/** The minimal body of the "create a customer" docs: companyProfile.domain plus a billing profile. */
function newCustomer(companyName: string, domain: string, overrides: Record<string, unknown> = {}) {
  return {
    companyProfile: { domain },
    billingProfile: {
      culture: 'en-US',
      email: `it@${domain.trim().toLowerCase()}`,
      language: 'en',
      companyName,
      defaultAddress: {
        firstName: 'Rina',
        lastName: 'Hartono',
        addressLine1: '1 Jalan Sudirman',
        city: 'Jakarta',
        state: 'DKI',
        postalCode: '10220',
        country: 'ID',
        phoneNumber: '+62 21 555 0100',
      },
    },
    ...overrides,
  };
}

const customerRecord = (r: { operationType: string; resourceNewValue: string | null }, id: string) =>
  r.operationType === 'add_customer' &&
  r.resourceNewValue !== null &&
  JSON.parse(r.resourceNewValue).id === id;

describe.each(databaseKinds)('customers API on %s', (kind) => {
  let world: TestWorld;
  let admin: Record<string, string>;
  beforeAll(async () => {
    world = await demoWorld(kind);
    admin = await world.as(users.admin);
  });
  afterAll(() => world.close());

  const list = async (query = '', headers = admin) => {
    const res = await world.app.inject({ method: 'GET', url: `/v1/customers${query}`, headers });
    return res;
  };

  it('lists the partner’s customers as a partner-center collection, ordered by company name', async () => {
    const res = await list();
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      totalCount: 3,
      attributes: { objectType: 'Collection' },
      links: { self: { method: 'GET', headers: [] } },
    });
    expect(body.links.next).toBeUndefined();
    expect(body.items.map((c: PcCustomer) => c.companyProfile.companyName)).toEqual([
      'Fabrikam',
      'Northwind Traders',
      'Tailspin Toys',
    ]);
    const fabrikam = body.items[0] as PcCustomer;
    expect(fabrikam).toMatchObject({
      companyProfile: { tenantId: fabrikam.id, domain: 'fabrikam.example', companyName: 'Fabrikam' },
      billingProfile: { companyName: 'Fabrikam', defaultAddress: { country: 'ID', city: 'Jakarta' } },
      relationshipToPartner: 'reseller',
      attributes: { objectType: 'Customer' },
    });
    expect(fabrikam.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('pages with size=1 through MS-ContinuationToken until links.next is gone: every customer once, in order', async () => {
    // Two more customers, so the walk crosses more than the demo's three.
    for (const [name, domain] of [
      ['Alpine Ski House', 'alpineskihouse.example'],
      ['Wide World Importers', 'wideworldimporters.example'],
    ]) {
      const res = await world.app.inject({
        method: 'POST',
        url: '/v1/customers',
        headers: admin,
        payload: newCustomer(name, domain),
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const all = (await list('?size=500')).json();
    expect(all.totalCount).toBe(5);
    const expected = all.items.map((c: PcCustomer) => c.id);

    const pages = await walkPartnerCenter<PcCustomer>(world, admin, '/v1/customers?size=1');
    expect(pages.length).toBe(5);
    for (const [n, page] of pages.entries()) {
      expect(page.items.length, `page ${n}`).toBe(1);
      expect(page.totalCount, `page ${n}`).toBe(5);
      if (n < pages.length - 1) expect(page.continuationToken, `page ${n}`).toEqual(expect.any(String));
      else expect(page.continuationToken).toBeUndefined();
    }
    const walked = pages.flatMap((p) => p.items.map((c) => c.id));
    expect(walked).toEqual(expected);
    expect(new Set(walked).size).toBe(5);
    const names = pages.flatMap((p) => p.items.map((c) => c.companyProfile.companyName));
    expect(names).toEqual([
      'Alpine Ski House',
      'Fabrikam',
      'Northwind Traders',
      'Tailspin Toys',
      'Wide World Importers',
    ]);

    // The same walk through Mitra's API, passing continuationToken back in the query.
    const mitra: string[] = [];
    let token: string | null = null;
    do {
      const q: string = token ? `&continuationToken=${encodeURIComponent(token)}` : '';
      const res = await world.app.inject({ method: 'GET', url: `/api/customers?size=2${q}`, headers: admin });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.totalCount).toBe(5);
      mitra.push(...body.items.map((c: { id: string }) => c.id));
      token = body.continuationToken;
    } while (token);
    expect(mitra).toEqual(expected);
  });

  it('filters by company name and by domain with the documented starts_with filter', async () => {
    const byName = await list(
      `?size=0&filter=${filterParam({ Field: 'CompanyName', Value: 'fab', Operator: 'starts_with' })}`,
    );
    expect(byName.statusCode).toBe(200);
    expect(byName.json().totalCount).toBe(1);
    expect(byName.json().items.map((c: PcCustomer) => c.companyProfile.companyName)).toEqual(['Fabrikam']);

    const byDomain = await list(
      `?filter=${filterParam({ Field: 'Domain', Value: 'northwind', Operator: 'starts_with' })}`,
    );
    expect(byDomain.statusCode).toBe(200);
    expect(byDomain.json().items.map((c: PcCustomer) => c.companyProfile.domain)).toEqual([
      'northwind.example',
    ]);

    // starts_with means a prefix, not a substring, and LIKE wildcards are plain characters.
    const middle = await list(
      `?filter=${filterParam({ Field: 'CompanyName', Value: 'rikam', Operator: 'starts_with' })}`,
    );
    expect(middle.json()).toMatchObject({ totalCount: 0, items: [] });
    const wildcard = await list(
      `?filter=${filterParam({ Field: 'CompanyName', Value: '%', Operator: 'starts_with' })}`,
    );
    expect(wildcard.json()).toMatchObject({ totalCount: 0, items: [] });
    const underscore = await list(
      `?filter=${filterParam({ Field: 'Domain', Value: '_abrikam', Operator: 'starts_with' })}`,
    );
    expect(underscore.json()).toMatchObject({ totalCount: 0, items: [] });

    // Filters and paging together: the walk keeps the filter.
    const pages = await walkPartnerCenter<PcCustomer>(
      world,
      admin,
      `/v1/customers?size=1&filter=${filterParam({ Field: 'CompanyName', Value: 't', Operator: 'starts_with' })}`,
    );
    expect(pages.flatMap((p) => p.items.map((c) => c.companyProfile.companyName))).toEqual(['Tailspin Toys']);
  });

  it.each([
    ['not JSON', 'fab'],
    ['an unknown field', { Field: 'Country', Value: 'ID', Operator: 'starts_with' }],
    ['an unknown operator', { Field: 'CompanyName', Value: 'fab', Operator: 'contains' }],
    ['a value that is not a string', { Field: 'CompanyName', Value: 3, Operator: 'starts_with' }],
    ['a missing value', { Field: 'CompanyName', Operator: 'starts_with' }],
    ['a JSON array', [1, 2]],
    ['JSON null', 'null'],
  ])('refuses a filter with %s: 400 invalid-filter', async (_what, filter) => {
    const res = await list(`?filter=${filterParam(filter)}`);
    const body = expectPartnerCenterError(res, 400, 'invalid-filter');
    expect(body.description).toMatch(/CompanyName/);
  });

  it.each([
    ['garbage', 'not-a-token'],
    ['base64 of something else', Buffer.from('hello').toString('base64url')],
    ['JSON without the position', Buffer.from(JSON.stringify({ x: 1 })).toString('base64url')],
    // Decodes to the right keys, but not to a position this server issued.
    [
      'a forged position',
      Buffer.from(JSON.stringify({ n: 'Fabrikam', i: 'not-a-uuid' })).toString('base64url'),
    ],
    [
      'a forged position of the wrong types',
      Buffer.from(JSON.stringify({ n: { a: 1 }, i: [1] })).toString('base64url'),
    ],
  ])('refuses a continuation token that is %s: 400', async (_what, token) => {
    const viaHeader = await list('?size=1', { ...admin, 'MS-ContinuationToken': token });
    expectPartnerCenterError(viaHeader, 400, 'invalid-continuation-token');
    const viaMitra = await world.app.inject({
      method: 'GET',
      url: `/api/customers?size=1&continuationToken=${encodeURIComponent(token)}`,
      headers: admin,
    });
    expectMitraError(viaMitra, 400, 'invalid-continuation-token');
  });

  it('creates a customer: 201, readable, listed, and recorded as add_customer with the actor', async () => {
    const res = await world.app.inject({
      method: 'POST',
      url: '/v1/customers',
      headers: admin,
      payload: newCustomer('Coho Winery', 'CohoWinery.example'),
    });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json() as PcCustomer;
    expect(created).toMatchObject({
      companyProfile: { tenantId: created.id, domain: 'cohowinery.example', companyName: 'Coho Winery' },
      billingProfile: {
        email: 'it@cohowinery.example',
        culture: 'en-US',
        language: 'en',
        defaultAddress: { country: 'ID', city: 'Jakarta', postalCode: '10220' },
      },
      attributes: { objectType: 'Customer' },
    });

    const got = await world.app.inject({ method: 'GET', url: `/v1/customers/${created.id}`, headers: admin });
    expect(got.statusCode).toBe(200);
    expect(got.json()).toEqual(created);
    const detail = await world.app.inject({
      method: 'GET',
      url: `/api/customers/${created.id}`,
      headers: admin,
    });
    expect(detail.json()).toMatchObject({
      id: created.id,
      companyName: 'Coho Winery',
      domain: 'cohowinery.example',
      country: 'ID',
    });

    const listed = await list(
      `?filter=${filterParam({ Field: 'CompanyName', Value: 'Coho', Operator: 'starts_with' })}`,
    );
    expect(listed.json().items.map((c: PcCustomer) => c.id)).toEqual([created.id]);
    const summary = (
      await world.app.inject({ method: 'GET', url: '/api/customers?search=coho', headers: admin })
    ).json().items;
    expect(summary).toEqual([
      expect.objectContaining({ id: created.id, subscriptionCount: 0, hasAzurePlan: false }),
    ]);
    // A new customer has no subscriptions and no orders yet.
    expect(
      (
        await world.app.inject({
          method: 'GET',
          url: `/v1/customers/${created.id}/subscriptions`,
          headers: admin,
        })
      ).json().items,
    ).toEqual([]);

    const audit = await world.app.inject({ method: 'GET', url: '/v1/auditrecords', headers: admin });
    const records = audit
      .json()
      .items.filter((r: { operationType: string; resourceNewValue: string | null }) =>
        customerRecord(r, created.id),
      );
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      customerId: created.id,
      customerName: 'Coho Winery',
      resourceType: 'customer',
      operationType: 'add_customer',
      operationStatus: 'succeeded',
      userPrincipalName: users.admin,
    });
  });

  it('refuses a domain already in use with 409 domain-taken, whatever its case, and creates nothing', async () => {
    const before = (await list('?size=500')).json().totalCount;
    for (const domain of ['fabrikam.example', 'FABRIKAM.example', ' fabrikam.example ']) {
      const res = await world.app.inject({
        method: 'POST',
        url: '/v1/customers',
        headers: admin,
        payload: newCustomer('Fabrikam Again', domain),
      });
      expectPartnerCenterError(res, 409, 'domain-taken');
    }
    expect((await list('?size=500')).json().totalCount).toBe(before);
  });

  it.each([
    ['an empty body', {}],
    ['no companyProfile', { billingProfile: newCustomer('X', 'x.example').billingProfile }],
    [
      'no billingProfile.defaultAddress',
      newCustomer('X', 'x-two.example', {
        billingProfile: { culture: 'en-US', email: 'a@b.example', language: 'en', companyName: 'X' },
      }),
    ],
    [
      'an e-mail that is not one',
      newCustomer('X', 'x-three.example', {
        billingProfile: { ...newCustomer('X', 'x.example').billingProfile, email: 'not an e-mail' },
      }),
    ],
    [
      'a three-letter country',
      newCustomer('X', 'x-four.example', {
        billingProfile: {
          ...newCustomer('X', 'x.example').billingProfile,
          defaultAddress: { ...newCustomer('X', 'x.example').billingProfile.defaultAddress, country: 'IDN' },
        },
      }),
    ],
    [
      'a company name that is an object',
      newCustomer('X', 'x-five.example', {
        billingProfile: { ...newCustomer('X', 'x.example').billingProfile, companyName: { name: 'X' } },
      }),
    ],
    ['a domain that is not a domain', newCustomer('X', 'not a domain')],
    ['an array', [newCustomer('X', 'x-six.example')]],
  ])('refuses %s with 400 in the partner-center error shape', async (_what, payload) => {
    const before = (await list('?size=500')).json().totalCount;
    const res = await world.app.inject({
      method: 'POST',
      url: '/v1/customers',
      headers: admin,
      payload: payload as object,
    });
    const body = expectPartnerCenterError(res, 400);
    expect(body.code).toBe(800002);
    expect(['invalid-request', 'invalid-domain']).toContain(body.errorName);
    expect((await list('?size=500')).json().totalCount).toBe(before);
  });

  it('a Helpdesk agent may read customers but not create one: 403 role-not-allowed', async () => {
    const helpdesk = await world.as(users.helpdesk);
    expect((await list('', helpdesk)).statusCode).toBe(200);
    const res = await world.app.inject({
      method: 'POST',
      url: '/v1/customers',
      headers: helpdesk,
      payload: newCustomer('Helpdesk Co', 'helpdeskco.example'),
    });
    const body = expectPartnerCenterError(res, 403, 'role-not-allowed');
    expect(body.code).toBe(2032);
    expect(body.description).toMatch(/Admin agent/);
    expect(
      (
        await list(
          `?filter=${filterParam({ Field: 'Domain', Value: 'helpdeskco', Operator: 'starts_with' })}`,
        )
      ).json().totalCount,
    ).toBe(0);
  });

  it('a Sales agent creates a customer: 201, recorded with the Sales agent as actor', async () => {
    const res = await world.app.inject({
      method: 'POST',
      url: '/v1/customers',
      headers: await world.as(users.sales),
      payload: newCustomer('Relecloud', 'relecloud.example'),
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id;
    const activity = await world.app.inject({
      method: 'GET',
      url: `/api/activity?customerId=${id}`,
      headers: admin,
    });
    expect(activity.json().items).toEqual([
      expect.objectContaining({
        customerId: id,
        customerName: 'Relecloud',
        operationType: 'add_customer',
        userPrincipalName: users.sales,
      }),
    ]);
  });

  it('an unknown or malformed customer id is 404 customer-not-found in both dialects', async () => {
    for (const id of ['00000000-0000-0000-0000-000000000000', 'not-a-uuid', 'eaf5027b']) {
      expectPartnerCenterError(
        await world.app.inject({ method: 'GET', url: `/v1/customers/${id}`, headers: admin }),
        404,
        'customer-not-found',
      );
      expectMitraError(
        await world.app.inject({ method: 'GET', url: `/api/customers/${id}`, headers: admin }),
        404,
        'customer-not-found',
      );
    }
  });
});
