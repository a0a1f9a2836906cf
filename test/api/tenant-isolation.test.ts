import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoutePolicy } from '../../src/api/auth-plugin.ts';
import { policies } from '../../src/domain/policies.ts';
import { demoWorld, type TestWorld, users } from '../support/app.ts';
import { databaseKinds } from '../support/db.ts';
import {
  type CustomerIds,
  createCart,
  customerIds,
  expectDialectError,
  licenceLine,
  reservation,
} from './fixtures.ts';

/**
 * "Nothing of one partner is ever visible to another partner; nothing of one customer is ever visible
 * to another customer" (product.md). Walks every registered route rather than a hand-written list,
 * so a route added later is either covered here or makes this suite fail.
 */

type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A customer and everything needed to address its resources, plus the partner user who owns it. */
interface Target extends CustomerIds {
  owner: string;
  /** Words that must never appear in an answer to somebody else. */
  secrets: string[];
}

/** Catalog parameters: the catalog is shared by every partner, so these are not tenant data. */
const catalogParams = new Set(['productId', 'skuId', 'availabilityId']);
/** Parameters naming a customer or something a customer owns; a route with one is customer-scoped. */
const customerParams = new Set(['customerId', 'id', 'subscriptionId', 'orderId', 'cartId']);

/** Bodies for the routes that take one; a customer-scoped write route missing here fails the suite. */
const bodies: Record<string, (t: Target) => unknown> = {
  'POST /v1/customers/:customerId/carts': () => ({ lineItems: [licenceLine(1)] }),
  'PUT /v1/customers/:customerId/carts/:cartId': () => ({ lineItems: [licenceLine(7)] }),
  'POST /v1/customers/:customerId/carts/:cartId/checkout': () => undefined,
};

/**
 * Routes without path parameters, each with the reason it cannot leak another tenant's customer data.
 * A new parameterless route fails the suite until somebody decides which it is.
 */
const parameterless: Record<string, string> = {
  'POST /api/session': 'signs in; answers the caller only',
  'DELETE /api/session': "signs out the caller's own session",
  'GET /api/me': 'the caller only',
  'HEAD /api/me': 'the caller only',
  'GET /api/customers': 'list: checked below',
  'HEAD /api/customers': 'list: checked below',
  'GET /api/activity': 'list: checked below',
  'HEAD /api/activity': 'list: checked below',
  'GET /api/prices': "the caller's own price list",
  'HEAD /api/prices': "the caller's own price list",
  'POST /api/applications': "registers an application in the caller's own partner",
  'GET /api/my/subscriptions': 'customer portal list: checked below',
  'HEAD /api/my/subscriptions': 'customer portal list: checked below',
  'GET /v1/customers': 'list: checked below',
  'HEAD /v1/customers': 'list: checked below',
  'POST /v1/customers': "creates a customer of the caller's own partner",
  'GET /v1/products': 'shared catalog',
  'HEAD /v1/products': 'shared catalog',
  'GET /v1/auditrecords': 'list: checked below',
  'HEAD /v1/auditrecords': 'list: checked below',
};

const apiRoute = (r: RoutePolicy) => r.url.startsWith('/v1/') || r.url.startsWith('/api/');
const paramsOf = (url: string) => [...url.matchAll(/:(\w+)/g)].map((m) => m[1]);
const key = (r: RoutePolicy) => `${r.method} ${r.url}`;

/** Fills a route's parameters with the target's real ids; throws on a parameter it does not know. */
async function fill(
  world: TestWorld,
  route: RoutePolicy,
  t: Target,
  strict = true,
): Promise<{ url: string; payload: unknown }> {
  let cartId: string | undefined;
  const values: Record<string, () => Promise<string> | string> = {
    customerId: () => t.id,
    id: () => t.id,
    subscriptionId: () => t.subscriptionId,
    orderId: () => t.orderId,
    // A fresh cart per request: checkout consumes one.
    cartId: async () => {
      cartId ??= await createCart(world, t.owner, t.id);
      return cartId;
    },
    productId: () => reservation.productId,
    skuId: () => reservation.skuId,
    availabilityId: () => reservation.id,
  };
  let url = route.url;
  for (const param of paramsOf(route.url)) {
    const value = values[param];
    if (!value)
      throw new Error(
        `${key(route)}: the isolation suite does not know how to fill :${param}; teach it (fill() in tenant-isolation.test.ts)`,
      );
    url = url.replace(`:${param}`, await value());
  }
  if (url.includes('/products')) url += '?country=US';
  let payload: unknown;
  if (!['GET', 'HEAD'].includes(route.method)) {
    const body = bodies[key(route)];
    if (!body && strict)
      throw new Error(
        `${key(route)}: the isolation suite has no request body for this route; add one to \`bodies\``,
      );
    // Refused callers are stopped before the body is read, so any object will do for them.
    payload = body ? body(t) : {};
  }
  return { url, payload };
}

/** Row counts and the latest change of everything a request could write. */
async function fingerprint(world: TestWorld) {
  const { rows } = await sql<Record<string, string>>`
    select (select count(*) from carts)::text as carts,
           (select coalesce(max(updated_at)::text, '') from carts) as carts_changed,
           (select string_agg(id::text || status || line_items::text, ',' order by id) from carts) as cart_contents,
           (select count(*) from orders)::text as orders,
           (select count(*) from subscriptions)::text as subscriptions,
           (select count(*) from audit_records)::text as audit,
           (select count(*) from customers)::text as customers`.execute(world.handle.db);
  return rows[0];
}

function expectNoLeak(res: LightMyRequestResponse, t: Target, context: string) {
  for (const secret of t.secrets)
    expect(res.body.toLowerCase(), `${context}: answer mentions ${secret}`).not.toContain(
      secret.toLowerCase(),
    );
}

describe.each(databaseKinds)('tenant isolation on %s', (kind) => {
  let world: TestWorld;
  let fabrikam: Target;
  let adatum: Target;
  let contosoCustomers: string[];
  let contosoApp: Record<string, string>;
  let litwareApp: Record<string, string>;
  let partnerIds: { contoso: string; litware: string };

  /** A client-credentials (App only) token for an application the partner's Admin agent registers. */
  async function applicationHeaders(admin: string) {
    const reg = await world.app.inject({
      method: 'POST',
      url: '/api/applications',
      headers: await world.as(admin),
      payload: { displayName: 'Isolation probe' },
    });
    expect(reg.statusCode).toBe(201);
    const { clientId, clientSecret } = reg.json();
    const res = await world.app.inject({
      method: 'POST',
      url: '/oauth2/token',
      payload: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: clientSecret,
      }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(200);
    return { authorization: `Bearer ${res.json().access_token}` };
  }

  beforeAll(async () => {
    world = await demoWorld(kind);
    const fab = await customerIds(world, users.admin, 'Fabrikam');
    const ada = await customerIds(world, users.litwareAdmin, 'Adatum');
    fabrikam = { ...fab, owner: users.admin, secrets: ['Fabrikam', fab.entitlementId!, 'Contoso'] };
    adatum = { ...ada, owner: users.litwareAdmin, secrets: ['Adatum', ada.entitlementId!, 'Litware'] };
    const list = await world.app.inject({
      method: 'GET',
      url: '/api/customers',
      headers: await world.as(users.admin),
    });
    contosoCustomers = list.json().items.map((c: { id: string }) => c.id);
    contosoApp = await applicationHeaders(users.admin);
    litwareApp = await applicationHeaders(users.litwareAdmin);
    const me = async (email: string) =>
      (await world.app.inject({ method: 'GET', url: '/api/me', headers: await world.as(email) })).json()
        .tenant.id;
    partnerIds = { contoso: await me(users.admin), litware: await me(users.litwareAdmin) };
  });
  afterAll(() => world.close());

  const routes = () => world.app.routePolicies.filter(apiRoute);

  it('knows every API route: customer-scoped, catalog, or a parameterless route with a reason', () => {
    const unknown: string[] = [];
    for (const route of routes()) {
      const params = paramsOf(route.url);
      if (params.length === 0) {
        if (!parameterless[key(route)])
          unknown.push(
            `${key(route)} (parameterless: add it to \`parameterless\` with the reason it cannot leak)`,
          );
        continue;
      }
      for (const p of params) {
        if (!customerParams.has(p) && !catalogParams.has(p)) unknown.push(`${key(route)} (parameter :${p})`);
      }
      if (
        params.some((p) => customerParams.has(p)) &&
        !['GET', 'HEAD'].includes(route.method) &&
        !(key(route) in bodies)
      ) {
        unknown.push(`${key(route)} (write route without a body in \`bodies\`)`);
      }
    }
    expect(unknown, 'routes the isolation suite does not cover').toEqual([]);
    // The suite must actually be exercising something.
    expect(routes().filter((r) => paramsOf(r.url).some((p) => customerParams.has(p))).length).toBeGreaterThan(
      25,
    );
  });

  // Both directions: Litware probes Contoso's Fabrikam, Contoso probes Litware's Adatum.
  const directions = [
    {
      name: "Litware's admin on Fabrikam",
      target: () => fabrikam,
      intruder: () => world.as(users.litwareAdmin),
    },
    {
      name: "Litware's application (App only) on Fabrikam",
      target: () => fabrikam,
      intruder: async () => litwareApp,
    },
    { name: "Contoso's admin on Adatum", target: () => adatum, intruder: () => world.as(users.admin) },
    {
      name: "Contoso's application (App only) on Adatum",
      target: () => adatum,
      intruder: async () => contosoApp,
    },
  ];

  it.each(directions)(
    '$name: every customer-scoped route answers 404, writes nothing, and the owner gets 2xx',
    async ({ target, intruder }) => {
      const t = target();
      const intruderHeaders = await intruder();
      const ownerHeaders = await world.as(t.owner);
      const scoped = routes().filter((r) => paramsOf(r.url).some((p) => customerParams.has(p)));
      const failures: string[] = [];
      for (const route of scoped) {
        const { url, payload } = await fill(world, route, t);
        const method = route.method as Method;
        const before = await fingerprint(world);
        const res = await world.app.inject({
          method,
          url,
          headers: intruderHeaders,
          payload: payload as object,
        });
        const context = `intruder ${method} ${url}`;
        if (res.statusCode !== 404) failures.push(`${context} → ${res.statusCode} ${res.body.slice(0, 200)}`);
        else if (method !== 'HEAD') {
          expectDialectError(res, 404);
          expectNoLeak(res, t, context);
        }
        expect(await fingerprint(world), `${context} changed the database`).toEqual(before);

        const own = await world.app.inject({
          method,
          url,
          headers: ownerHeaders,
          payload: payload as object,
        });
        if (own.statusCode < 200 || own.statusCode > 299)
          failures.push(`owner ${method} ${url} → ${own.statusCode} ${own.body.slice(0, 200)}`);
      }
      expect(failures).toEqual([]);
    },
  );

  it('the shared catalog answers both partners alike', async () => {
    const catalogRoutes = routes().filter(
      (r) =>
        r.method === 'GET' &&
        paramsOf(r.url).length > 0 &&
        paramsOf(r.url).every((p) => catalogParams.has(p)),
    );
    expect(catalogRoutes.length).toBeGreaterThanOrEqual(5);
    for (const route of catalogRoutes) {
      const { url } = await fill(world, route, fabrikam);
      const a = await world.app.inject({ method: 'GET', url, headers: await world.as(users.admin) });
      const b = await world.app.inject({ method: 'GET', url, headers: await world.as(users.litwareAdmin) });
      expect(a.statusCode, url).toBe(200);
      expect(b.statusCode, url).toBe(200);
      expect(b.json(), url).toEqual(a.json());
    }
  });

  it('customer lists never show the other partner’s customers', async () => {
    const contoso = await world.as(users.admin);
    const litware = await world.as(users.litwareAdmin);
    const names = (items: { companyProfile?: { companyName: string }; companyName?: string }[]) =>
      items.map((c) => c.companyProfile?.companyName ?? c.companyName).sort();

    for (const [headers, expected] of [
      [contoso, ['Fabrikam', 'Northwind Traders', 'Tailspin Toys']],
      [contosoApp, ['Fabrikam', 'Northwind Traders', 'Tailspin Toys']],
      [litware, ['Adatum']],
      [litwareApp, ['Adatum']],
    ] as const) {
      const pc = await world.app.inject({ method: 'GET', url: '/v1/customers?size=500', headers });
      expect(pc.statusCode).toBe(200);
      expect(names(pc.json().items)).toEqual(expected);
      expect(pc.json().totalCount).toBe(expected.length);
      const mitra = await world.app.inject({ method: 'GET', url: '/api/customers?size=500', headers });
      expect(mitra.statusCode).toBe(200);
      expect(names(mitra.json().items)).toEqual(expected);
      expect(mitra.json().totalCount).toBe(expected.length);
    }
    // Searching for the other partner's customer finds nothing, in either dialect.
    const filter = encodeURIComponent(
      JSON.stringify({ Field: 'CompanyName', Value: 'fab', Operator: 'starts_with' }),
    );
    const byName = await world.app.inject({
      method: 'GET',
      url: `/v1/customers?filter=${filter}`,
      headers: litware,
    });
    expect(byName.json()).toMatchObject({ totalCount: 0, items: [] });
    const domain = encodeURIComponent(
      JSON.stringify({ Field: 'Domain', Value: 'adatum', Operator: 'starts_with' }),
    );
    const byDomain = await world.app.inject({
      method: 'GET',
      url: `/v1/customers?filter=${domain}`,
      headers: contoso,
    });
    expect(byDomain.json()).toMatchObject({ totalCount: 0, items: [] });
    const search = await world.app.inject({
      method: 'GET',
      url: '/api/customers?search=Adatum',
      headers: contoso,
    });
    expect(search.json()).toMatchObject({ totalCount: 0, items: [] });
  });

  it('audit records and the activity log never show the other partner’s records', async () => {
    const cases = [
      {
        headers: await world.as(users.admin),
        own: partnerIds.contoso,
        ownCustomers: () => contosoCustomers,
        other: adatum,
      },
      {
        headers: await world.as(users.litwareAdmin),
        own: partnerIds.litware,
        ownCustomers: () => [adatum.id],
        other: fabrikam,
      },
    ];
    for (const { headers, own, ownCustomers, other } of cases) {
      const audit = await world.app.inject({ method: 'GET', url: '/v1/auditrecords?size=500', headers });
      expect(audit.statusCode).toBe(200);
      const records = audit.json().items as { partnerId: string; customerId: string | null }[];
      expect(records.length).toBeGreaterThan(0);
      for (const r of records) {
        expect(r.partnerId).toBe(own);
        if (r.customerId) expect(ownCustomers()).toContain(r.customerId);
      }
      expectNoLeak(audit, other, 'GET /v1/auditrecords');

      const activity = await world.app.inject({ method: 'GET', url: '/api/activity?size=500', headers });
      expect(activity.statusCode).toBe(200);
      const items = activity.json().items as { customerId: string | null }[];
      expect(items.length).toBe(records.length);
      for (const r of items) if (r.customerId) expect(ownCustomers()).toContain(r.customerId);
      expectNoLeak(activity, other, 'GET /api/activity');

      // Asking for the other partner's customer by id or name gives an empty page, not its records.
      const byId = encodeURIComponent(
        JSON.stringify({ Field: 'CustomerId', Value: other.id, Operator: 'equals' }),
      );
      const filtered = await world.app.inject({
        method: 'GET',
        url: `/v1/auditrecords?filter=${byId}`,
        headers,
      });
      expect(filtered.statusCode).toBe(200);
      expect(filtered.json().items).toEqual([]);
      const byName = encodeURIComponent(
        JSON.stringify({ Field: 'CompanyName', Value: other.name, Operator: 'substring' }),
      );
      const named = await world.app.inject({
        method: 'GET',
        url: `/v1/auditrecords?filter=${byName}`,
        headers,
      });
      expect(named.statusCode).toBe(200);
      expect(named.json().items).toEqual([]);
      const mine = await world.app.inject({
        method: 'GET',
        url: `/api/activity?customerId=${other.id}`,
        headers,
      });
      expect(mine.statusCode).toBe(200);
      expect(mine.json().items).toEqual([]);
    }
  });

  it('a customer user gets 403 on every partner route, even for its own customer', async () => {
    const partnerPolicies = new Set([
      'partnerRead',
      'customersCreate',
      'ordersCreate',
      'pricesRead',
      'auditRead',
      'applicationsManage',
    ]);
    const partnerRoutes = routes().filter((r) => r.policy && partnerPolicies.has(r.policy));
    expect(partnerRoutes.length).toBeGreaterThan(30);
    // Every guarded route is either a partner route or one of the few open to customer users.
    const other = routes().filter((r) => !partnerRoutes.includes(r) && !policies[r.policy!].anonymous);
    expect(other.map(key).sort()).toEqual([
      'DELETE /api/session',
      'GET /api/me',
      'GET /api/my/subscriptions',
      'HEAD /api/me',
      'HEAD /api/my/subscriptions',
    ]);

    for (const email of [users.fabrikamOwner, users.fabrikamReader]) {
      const headers = await world.as(email);
      for (const route of partnerRoutes) {
        const { url, payload } = await fill(world, route, fabrikam, false);
        const before = await fingerprint(world);
        const res = await world.app.inject({
          method: route.method as Method,
          url,
          headers,
          payload: payload as object,
        });
        if (route.method === 'HEAD') expect(res.statusCode, `${email} ${route.method} ${url}`).toBe(403);
        else expectDialectError(res, 403, 'partner-user-required');
        expect(await fingerprint(world), `${email} ${route.method} ${url} changed the database`).toEqual(
          before,
        );
      }
    }
  });

  it("a customer user's own subscriptions list shows only its own customer's subscriptions", async () => {
    const subscriptionsOf = async (partnerUser: string, customerId: string) => {
      const res = await world.app.inject({
        method: 'GET',
        url: `/api/customers/${customerId}/subscriptions`,
        headers: await world.as(partnerUser),
      });
      return (res.json().items as { id: string }[]).map((s) => s.id);
    };
    const fabrikamSubs = await subscriptionsOf(users.admin, fabrikam.id);
    const adatumSubs = await subscriptionsOf(users.litwareAdmin, adatum.id);

    const mine = async (email: string) => {
      const res = await world.app.inject({
        method: 'GET',
        url: '/api/my/subscriptions',
        headers: await world.as(email),
      });
      expect(res.statusCode).toBe(200);
      return res.json().items as { id: string; roles: string[] }[];
    };
    const owner = await mine(users.fabrikamOwner);
    expect(owner.length).toBeGreaterThan(0);
    for (const s of owner) expect(fabrikamSubs).toContain(s.id);
    expect(owner.find((s) => s.id === fabrikam.subscriptionId)?.roles).toEqual(['Owner']);
    const reader = await mine(users.fabrikamReader);
    expect(reader.map((s) => s.id)).toEqual([fabrikam.subscriptionId]);
    expect(reader[0].roles).toEqual(['Reader']);

    const adatumOwner = await mine(users.adatumOwner);
    expect(adatumOwner.length).toBeGreaterThan(0);
    for (const s of adatumOwner) expect(adatumSubs).toContain(s.id);
    expect(JSON.stringify(adatumOwner)).not.toContain(fabrikam.subscriptionId);

    // A user without any role sees nothing, not the customer's other subscriptions.
    expect(await mine(users.northwindOwner)).toEqual([]);

    // Partner users and applications have no "my subscriptions".
    const asPartner = await world.app.inject({
      method: 'GET',
      url: '/api/my/subscriptions',
      headers: await world.as(users.admin),
    });
    expectDialectError(asPartner, 403, 'customer-user-required');
    const asApp = await world.app.inject({
      method: 'GET',
      url: '/api/my/subscriptions',
      headers: litwareApp,
    });
    expectDialectError(asApp, 403, 'customer-user-required');
  });
});
