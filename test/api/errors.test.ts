import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoWorld, type TestWorld, users } from '../support/app.ts';
import { allow, reservationBody, savingsPlanBody } from '../support/commitments.ts';
import { databaseKinds } from '../support/db.ts';
import {
  type CustomerIds,
  createCart,
  customerIds,
  expectDialectError,
  expectMitraError,
  expectPartnerCenterError,
  licenceLine,
  summarize,
} from './fixtures.ts';

/**
 * Client input never causes a 500: every refusal is a 4xx in the dialect of the path's prefix
 * (`/v1/…` partner-center body, `/api/…` Mitra body) with a stable code and a sentence.
 */

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

const nul = '\u0000';
const dashes = '-'.repeat(36);

/** A what-if body of one candidate: a purchase body plus its kind (a reservation unless it says). */
const whatIf = (candidate: Record<string, unknown>) => ({
  lookbackDays: 30,
  candidates: [{ kind: 'reservation', ...candidate }],
});

describe.each(databaseKinds)('client errors on %s', (kind) => {
  let world: TestWorld;
  let admin: Record<string, string>;
  let fabrikam: CustomerIds;
  let cartId: string;
  /** A reservation and a savings plan Contoso bought for Fabrikam: `{id, orderId}`. */
  let reservation: { id: string; orderId: string };
  let savingsPlan: { id: string; orderId: string };

  beforeAll(async () => {
    world = await demoWorld(kind);
    admin = await world.as(users.admin);
    fabrikam = await customerIds(world, users.admin, 'Fabrikam');
    cartId = await createCart(world, users.admin, fabrikam.id);
    await allow(world, 'AzureReservedInstances');
    await allow(world, 'AzureSavingsPlan');
    const buy = async (path: string, payload: object) => {
      const res = await world.app.inject({
        method: 'POST',
        url: `/api/customers/${fabrikam.id}/${path}`,
        headers: { ...admin, 'idempotency-key': randomUUID() },
        payload,
      });
      expect(res.statusCode, summarize(res)).toBe(201);
      return res.json() as { id: string; orderId: string };
    };
    reservation = await buy('reservations', reservationBody());
    savingsPlan = await buy('savings-plans', savingsPlanBody());
  });
  afterAll(() => world.close());

  /**
   * Fills `{fabrikam}`, `{subscription}`, `{azure}`, `{order}`, `{cart}`, `{reservation}`,
   * `{reservationOrder}`, `{savingsPlan}`, `{savingsPlanOrder}` in a url written before the world exists.
   */
  const resolve = (url: string) =>
    url
      .replaceAll('{fabrikam}', fabrikam.id)
      .replaceAll('{subscription}', fabrikam.subscriptionId)
      .replaceAll('{azure}', fabrikam.entitlementId!)
      .replaceAll('{order}', fabrikam.orderId)
      .replaceAll('{cart}', cartId)
      .replaceAll('{reservationOrder}', reservation.orderId)
      .replaceAll('{reservation}', reservation.id)
      .replaceAll('{savingsPlanOrder}', savingsPlan.orderId)
      .replaceAll('{savingsPlan}', savingsPlan.id);

  const send = (
    method: Method,
    url: string,
    options: { payload?: string | object; headers?: Record<string, string> } = {},
  ) => world.app.inject({ method, url, payload: options.payload, headers: { ...admin, ...options.headers } });

  describe('bodies', () => {
    const jsonRoutes = (): [Method, string][] => [
      ['POST', '/v1/customers'],
      ['POST', `/v1/customers/${fabrikam.id}/carts`],
      ['PUT', `/v1/customers/${fabrikam.id}/carts/${cartId}`],
      ['POST', '/api/applications'],
      ['POST', '/api/session'],
      ['POST', `/api/customers/${fabrikam.id}/what-if`],
    ];

    it.each(['{"companyProfile":', '{"a":1,}', "{'single':'quotes'}", 'undefined', '\u0000'])(
      'malformed JSON %j: 400 invalid-request',
      async (payload) => {
        for (const [method, url] of jsonRoutes()) {
          const res = await send(method, url, { payload, headers: { 'content-type': 'application/json' } });
          expectDialectError(res, 400, 'invalid-request');
        }
      },
    );

    it('a JSON body of the wrong type (array, string, number, null): 400 invalid-request', async () => {
      for (const payload of ['[]', '"text"', '42', 'null']) {
        for (const [method, url] of jsonRoutes()) {
          const res = await send(method, url, { payload, headers: { 'content-type': 'application/json' } });
          expectDialectError(res, 400, 'invalid-request');
        }
      }
    });

    it.each(['application/xml', 'multipart/form-data; boundary=x', 'application/octet-stream', 'image/png'])(
      'content type %s: 415 unsupported-media-type',
      async (contentType) => {
        for (const [method, url] of jsonRoutes()) {
          const res = await send(method, url, {
            payload: '<customer/>',
            headers: { 'content-type': contentType },
          });
          expectDialectError(res, 415, 'unsupported-media-type');
        }
      },
    );

    it('text/plain is read as text and refused by the schema: 400 or 415, never 500', async () => {
      for (const [method, url] of jsonRoutes()) {
        const res = await send(method, url, { payload: 'hello', headers: { 'content-type': 'text/plain' } });
        expect([400, 415], `${method} ${url} → ${res.statusCode} ${res.body}`).toContain(res.statusCode);
        expectDialectError(res, res.statusCode);
      }
    });

    it('a body over the limit: 413 body-too-large', async () => {
      const huge = JSON.stringify({ lineItems: [licenceLine()], padding: 'x'.repeat(6 * 1024 * 1024) });
      for (const [method, url] of jsonRoutes()) {
        const res = await send(method, url, {
          payload: huge,
          headers: { 'content-type': 'application/json' },
        });
        expectDialectError(res, 413, 'body-too-large');
      }
    });

    it('a body of the right type but deeply nested or with huge numbers is still a 4xx', async () => {
      let deep: unknown = 'x';
      for (let i = 0; i < 2000; i++) deep = { a: deep };
      const bodies = [
        { lineItems: [{ ...licenceLine(), quantity: 1e308 }] },
        { lineItems: [{ ...licenceLine(), quantity: 2 ** 53 + 2 }] },
        { lineItems: [{ ...licenceLine(), provisioningContext: deep }] },
        { lineItems: Array.from({ length: 51 }, () => licenceLine()) },
        { lineItems: [{ ...licenceLine(), catalogItemId: 'x'.repeat(100_000) }] },
      ];
      for (const payload of bodies) {
        const res = await send('POST', `/v1/customers/${fabrikam.id}/carts`, { payload });
        expect(res.statusCode, res.body.slice(0, 300)).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, res.body.slice(0, 300)).toBeLessThan(500);
        expectPartnerCenterError(res, res.statusCode);
      }
    });

    it('a NUL character in a cart line: 400, not a database error', async () => {
      const line = { ...licenceLine(), catalogItemId: `CFQ7TTC0${nul}` };
      const res = await send('POST', `/v1/customers/${fabrikam.id}/carts`, {
        payload: { lineItems: [line] },
      });
      expectPartnerCenterError(res, 400);
    });

    it('a NUL character in a new customer: 400, not a database error', async () => {
      const customer = {
        companyProfile: { domain: 'nul.example' },
        billingProfile: {
          culture: 'en-US',
          email: 'a@nul.example',
          language: 'en',
          companyName: `Nul${nul}Co`,
          defaultAddress: {
            firstName: 'A',
            lastName: 'B',
            addressLine1: '1',
            city: 'C',
            postalCode: '1',
            country: 'US',
          },
        },
      };
      expectPartnerCenterError(await send('POST', '/v1/customers', { payload: customer }), 400);
    });

    it('a NUL character in a sign-in e-mail: 401 invalid-credentials, not a database error', async () => {
      const res = await world.app.inject({
        method: 'POST',
        url: '/api/session',
        payload: { email: `a${nul}@b.example`, password: 'x' },
      });
      expectMitraError(res, 401, 'invalid-credentials');
    });

    it.each([
      ['password', { username: `admin${nul}@contoso-partner.example`, password: 'x' }, 'invalid_grant'],
      ['client_credentials', { client_id: dashes, client_secret: 'x' }, 'invalid_client'],
      ['client_credentials', { client_id: `${nul}`, client_secret: 'x' }, 'invalid_client'],
    ])(
      'the token endpoint refuses odd %s credentials %j with 400 %s, not 500',
      async (grant, fields, error) => {
        const res = await world.app.inject({
          method: 'POST',
          url: '/oauth2/token',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ grant_type: grant, ...fields }).toString(),
        });
        expect(res.statusCode, summarize(res)).toBe(400);
        expect(res.json().error, summarize(res)).toBe(error);
      },
    );
  });

  describe('routes', () => {
    it.each<[Method, string]>([
      ['GET', '/v1/nothing-here'],
      ['GET', '/v1/customers/00000000-0000-0000-0000-000000000000/nothing-here'],
      ['DELETE', '/v1/customers'],
      ['PATCH', '/v1/auditrecords'],
    ])('%s %s: 404 route-not-found in the partner-center shape', async (method, url) => {
      expectPartnerCenterError(await send(method, url), 404, 'route-not-found');
    });

    it.each<[Method, string]>([
      ['GET', '/api/nothing-here'],
      ['DELETE', '/api/customers'],
      ['PUT', '/api/me'],
      ['GET', '/api/customers/00000000-0000-0000-0000-000000000000/nothing-here'],
    ])('%s %s: 404 route-not-found in the Mitra shape', async (method, url) => {
      expectMitraError(await send(method, url), 404, 'route-not-found');
    });

    it.each([
      '/subscriptions/00000000-0000-0000-0000-000000000000/nothing-here?api-version=2022-04-01',
      '/providers/Microsoft.Nothing/things?api-version=2022-04-01',
    ])('GET %s: 404 in the ARM shape', async (url) => {
      expectDialectError(await send('GET', url), 404);
    });

    it('an ARM request without api-version: 400 MissingApiVersionParameter', async () => {
      const url = `/subscriptions/${fabrikam.entitlementId}/providers/Microsoft.Authorization/roleAssignments`;
      expectDialectError(await send('GET', url), 400, 'MissingApiVersionParameter');
    });

    it('an unknown route without credentials is refused in its dialect too, never 403 or 500', async () => {
      for (const url of ['/v1/nothing-here', '/api/nothing-here']) {
        const res = await world.app.inject({ method: 'GET', url });
        expect([401, 404], `${url} → ${res.statusCode} ${res.body}`).toContain(res.statusCode);
        expectDialectError(res, res.statusCode);
      }
    });

    it.each(['/v1/customers/%E0%A4%A', '/api/customers/%E0%A4%A', '/v1/customers/%', '/api/customers/%zz'])(
      'a path that is not valid URL encoding (%s): 400 in its dialect',
      async (url) => {
        expectDialectError(await send('GET', url), 400);
      },
    );
  });

  describe('ids in paths that are not ids', () => {
    const badIds = [
      'not-a-uuid',
      dashes,
      'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz',
      '{00000000-0000-0000-0000-000000000000}',
      '00000000-0000-0000-0000-0000000000000',
      '1',
      'x'.repeat(300),
      '%00',
      "'%20or%201=1--",
    ];
    /** A customer user (Fabrikam's Owner) for the customer routes; the body a route needs to reach its id. */
    const owner = { as: users.fabrikamOwner };
    const v = 'api-version=2022-11-01';
    const armReservation = () => ({
      sku: { name: 'Standard_D2s_v3' },
      location: 'eastus',
      properties: { billingScopeId: `/subscriptions/${fabrikam.entitlementId}`, term: 'P1Y', quantity: 1 },
    });
    const routes: [Method, string, string, { as?: string; payload?: () => object; status?: number }?][] = [
      ['GET', '/v1/customers/:id', 'customer-not-found'],
      ['GET', '/api/customers/:id', 'customer-not-found'],
      ['GET', '/api/customers/:id/orders', 'customer-not-found'],
      ['GET', '/v1/customers/{fabrikam}/subscriptions/:id', 'subscription-not-found'],
      ['GET', '/v1/customers/{fabrikam}/orders/:id', 'order-not-found'],
      ['GET', '/v1/customers/{fabrikam}/carts/:id', 'cart-not-found'],
      ['PUT', '/v1/customers/{fabrikam}/carts/:id', 'cart-not-found'],
      ['POST', '/v1/customers/{fabrikam}/carts/:id/checkout', 'cart-not-found'],
      ['GET', '/v1/products/:id?country=US', 'product-not-found'],
      ['GET', '/v1/SelfServePolicy/:id', '(any code)'],
      ['DELETE', '/v1/SelfServePolicy/:id', '(any code)'],
      ['GET', '/api/customers/{fabrikam}/subscriptions/:id/role-assignments', 'subscription-not-found'],
      ['DELETE', '/api/customers/{fabrikam}/subscriptions/{subscription}/role-assignments/:id', '(any code)'],
      [
        'GET',
        '/subscriptions/:id/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01',
        'SubscriptionNotFound',
      ],
      [
        'GET',
        '/subscriptions/{azure}/providers/Microsoft.Authorization/roleAssignments/:id?api-version=2022-04-01',
        '(any code)',
      ],
      [
        'DELETE',
        '/subscriptions/{azure}/providers/Microsoft.Authorization/roleAssignments/:id?api-version=2022-04-01',
        '(any code)',
      ],
      // Commitments and bills, partner side.
      ['GET', '/api/customers/:id/reservations', 'customer-not-found'],
      ['POST', '/api/customers/:id/reservations', 'customer-not-found', { payload: () => reservationBody() }],
      ['GET', '/api/customers/:id/savings-plans', 'customer-not-found'],
      [
        'POST',
        '/api/customers/:id/savings-plans',
        'customer-not-found',
        { payload: () => savingsPlanBody() },
      ],
      ['GET', '/api/customers/:id/bills', 'customer-not-found'],
      ['GET', '/api/customers/:id/bills/2026-11', 'customer-not-found'],
      ['GET', '/api/customers/:id/bills/2026-11.csv', 'customer-not-found'],
      // The partner's own jobs (R20): the customer is looked up before the body is read.
      ['GET', '/api/customers/:id/users', 'customer-not-found'],
      [
        'POST',
        '/api/customers/:id/users',
        'customer-not-found',
        { payload: () => ({ email: 'bad-id@nowhere.example', displayName: 'X' }) },
      ],
      ['GET', '/api/customers/:id/billing-profile', 'customer-not-found'],
      [
        'PATCH',
        '/api/customers/:id/billing-profile',
        'customer-not-found',
        { payload: () => ({ phone: '1' }) },
      ],
      ['POST', '/api/customers/:id/azure-plan', 'customer-not-found', { payload: () => ({}) }],
      [
        'POST',
        '/api/customers/:id/reservations/quote',
        'customer-not-found',
        { payload: () => reservationBody() },
      ],
      [
        'POST',
        '/api/customers/:id/savings-plans/quote',
        'customer-not-found',
        { payload: () => savingsPlanBody() },
      ],
      ['GET', '/api/customers/{fabrikam}/reservations/:id', 'reservation-not-found'],
      ['GET', '/api/customers/{fabrikam}/reservations/:id/utilization', 'reservation-not-found'],
      [
        'PATCH',
        '/api/customers/{fabrikam}/reservations/:id',
        'reservation-not-found',
        { payload: () => ({ displayName: 'x' }) },
      ],
      ['POST', '/api/customers/{fabrikam}/reservations/:id/refund-quote', 'reservation-not-found'],
      [
        'POST',
        '/api/customers/{fabrikam}/reservations/:id/refund',
        'reservation-not-found',
        { payload: () => ({ reason: 'x' }) },
      ],
      [
        'POST',
        '/api/customers/{fabrikam}/reservations/:id/exchange',
        'reservation-not-found',
        { payload: () => reservationBody({ sku: 'Standard_D4s_v3' }) },
      ],
      ['GET', '/api/customers/{fabrikam}/savings-plans/:id', 'savings-plan-not-found'],
      ['GET', '/api/customers/{fabrikam}/savings-plans/:id/utilization', 'savings-plan-not-found'],
      [
        'PATCH',
        '/api/customers/{fabrikam}/savings-plans/:id',
        'savings-plan-not-found',
        { payload: () => ({ displayName: 'x' }) },
      ],
      // Customer side, Mitra.
      ['GET', '/api/my/reservations/:id', 'reservation-not-found', owner],
      [
        'PATCH',
        '/api/my/reservations/:id',
        'reservation-not-found',
        { ...owner, payload: () => ({ displayName: 'x' }) },
      ],
      ['POST', '/api/my/reservations/:id/refund', 'reservation-not-found', owner],
      ['POST', '/api/my/reservations/:id/exchange', 'reservation-not-found', owner],
      ['POST', '/api/my/reservations/:id/cancel', 'reservation-not-found', owner],
      ['GET', '/api/my/savings-plans/:id', 'savings-plan-not-found', owner],
      [
        'PATCH',
        '/api/my/savings-plans/:id',
        'savings-plan-not-found',
        { ...owner, payload: () => ({ displayName: 'x' }) },
      ],
      ['POST', '/api/my/savings-plans/:id/refund', 'savings-plan-not-found', owner],
      ['POST', '/api/my/savings-plans/:id/exchange', 'savings-plan-not-found', owner],
      ['POST', '/api/my/savings-plans/:id/cancel', 'savings-plan-not-found', owner],
      // Customer side, ARM.
      ['GET', `/subscriptions/:id/providers/Microsoft.Capacity/catalogs?${v}`, 'SubscriptionNotFound', owner],
      ['GET', `/providers/Microsoft.Capacity/reservationOrders/:id?${v}`, 'ReservationNotFound', owner],
      [
        'GET',
        `/providers/Microsoft.Capacity/reservationOrders/:id/reservations?${v}`,
        'ReservationNotFound',
        owner,
      ],
      [
        'GET',
        `/providers/Microsoft.Capacity/reservationOrders/{reservationOrder}/reservations/:id?${v}`,
        'ReservationNotFound',
        owner,
      ],
      [
        'PATCH',
        `/providers/Microsoft.Capacity/reservationOrders/{reservationOrder}/reservations/:id?${v}`,
        'ReservationNotFound',
        { ...owner, payload: () => ({ properties: { name: 'x' } }) },
      ],
      // A real reservation under an order id that is not its own: ARM's 400, as for any wrong order.
      [
        'GET',
        `/providers/Microsoft.Capacity/reservationOrders/:id/reservations/{reservation}?${v}`,
        'ReservationIdNotInReservationOrder',
        { ...owner, status: 400 },
      ],
      // Purchase step 2 to an order id never priced: ARM's 400 "call CalculatePrice again".
      [
        'PUT',
        `/providers/Microsoft.Capacity/reservationOrders/:id?${v}`,
        'CalculatePriceRequired',
        { ...owner, payload: armReservation, status: 400 },
      ],
      ...(['calculateRefund', 'return', 'split', 'merge'] as const).map(
        (action): [Method, string, string, { as: string; payload: () => object }] => [
          'POST',
          `/providers/Microsoft.Capacity/reservationOrders/:id/${action}?${v}`,
          'ReservationNotFound',
          { ...owner, payload: () => ({ properties: {} }) },
        ],
      ),
      [
        'GET',
        `/providers/Microsoft.BillingBenefits/savingsPlanOrders/:id?${v}`,
        'SavingsPlanNotFound',
        owner,
      ],
      [
        'GET',
        `/providers/Microsoft.BillingBenefits/savingsPlanOrders/:id/savingsPlans?${v}`,
        'SavingsPlanNotFound',
        owner,
      ],
      [
        'GET',
        `/providers/Microsoft.BillingBenefits/savingsPlanOrders/{savingsPlanOrder}/savingsPlans/:id?${v}`,
        'SavingsPlanNotFound',
        owner,
      ],
      [
        'GET',
        `/providers/Microsoft.BillingBenefits/savingsPlanOrders/:id/savingsPlans/{savingsPlan}?${v}`,
        'SavingsPlanNotFound',
        owner,
      ],
      [
        'PATCH',
        `/providers/Microsoft.BillingBenefits/savingsPlanOrders/{savingsPlanOrder}/savingsPlans/:id?${v}`,
        'SavingsPlanNotFound',
        { ...owner, payload: () => ({ properties: { displayName: 'x' } }) },
      ],
      // Alias names are the caller's own words, not ids: any unknown one is simply not found.
      [
        'GET',
        `/providers/Microsoft.BillingBenefits/savingsPlanOrderAliases/:id?${v}`,
        'AliasNotFound',
        owner,
      ],
      // Spend guardrails and approvals (B2).
      ['GET', '/api/customers/:id/guardrails', 'customer-not-found'],
      [
        'PUT',
        '/api/customers/:id/guardrails',
        'customer-not-found',
        { payload: () => ({ monthlyLimit: null, approvalThreshold: null }) },
      ],
      ['GET', '/api/approvals/:id', 'approval-not-found'],
      ['POST', '/api/approvals/:id/approve', 'approval-not-found'],
      ['POST', '/api/approvals/:id/decline', 'approval-not-found', { payload: () => ({ reason: 'no' }) }],
      ['GET', '/api/my/approvals/:id', 'approval-not-found', owner],
      [
        'POST',
        '/api/my/approvals/:id/confirm',
        'approval-not-found',
        { ...owner, payload: () => ({ total: '1' }) },
      ],
      ['GET', `/providers/Microsoft.Capacity/operationResults/:id?${v}`, 'OperationNotFound', owner],
      ['GET', `/providers/Microsoft.BillingBenefits/operationResults/:id?${v}`, 'OperationNotFound', owner],
    ];
    const cases = routes.flatMap(([method, template, code, options = {}]) =>
      badIds.map((id) => ({
        method,
        template,
        id,
        code,
        options,
        status: options.status ?? 404,
        label: id.length > 40 ? `${id.slice(0, 6)}… (${id.length} characters)` : id,
      })),
    );

    it.each(cases)(
      '$method $template with :id = $label: $status $code, never 500',
      async ({ method, template, id, code, options, status }) => {
        const url = resolve(template).replace(':id', id);
        const res = await send(method, url, {
          payload: options.payload?.() ?? (method === 'PUT' ? { lineItems: [licenceLine()] } : undefined),
          headers: {
            ...(options.as ? await world.as(options.as) : {}),
            'idempotency-key': randomUUID(),
          },
        });
        if (id.length > 100) {
          // Longer than the router's parameter limit: refused before any route, as 404 or 414 URI Too Long.
          expect(
            [404, 414],
            `${method} ${url.slice(0, 80)}… → ${res.statusCode} ${res.body.slice(0, 200)}`,
          ).toContain(res.statusCode);
          expectDialectError(res, res.statusCode);
          return;
        }
        expect(res.statusCode, `${method} ${url} → ${res.statusCode} ${res.body.slice(0, 300)}`).toBe(status);
        const errorCode = expectDialectError(res, status);
        if (code !== '(any code)') expect(errorCode, `${method} ${url}`).toBe(code);
      },
    );
  });

  describe('usage imports: any file a client can send is a 4xx with the place it went wrong', () => {
    const focusHeader =
      'ChargeCategory,ChargePeriodStart,ChargePeriodEnd,SubAccountId,ConsumedQuantity,ListUnitPrice,BillingCurrency,RegionId,x_SkuMeterCategory,x_SkuMeterName';
    const cases: [string, string, string | Buffer, string, string][] = [
      ['an empty body', 'text/csv', '', '', 'invalid-usage-row'],
      [
        'random bytes as Parquet',
        'application/vnd.apache.parquet',
        Buffer.from('PAR1 not really'),
        '',
        'invalid-usage-file',
      ],
      [
        'a broken gzip',
        'application/gzip',
        Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3]),
        '',
        'invalid-usage-file',
      ],
      [
        'binary as CSV',
        'application/octet-stream',
        Buffer.from([0, 1, 2, 0xff, 0xfe, 10, 13]),
        '',
        'invalid-usage-row',
      ],
      [
        'a Parquet file named csv',
        'application/octet-stream',
        Buffer.from('PAR1xxxxPAR1'),
        '?format=csv',
        'usage-format-mismatch',
      ],
      [
        'a Mitra CSV read as FOCUS',
        'text/csv',
        'customerId,subscriptionId,hour\n',
        '?format=focus',
        'invalid-usage-row',
      ],
      [
        'a FOCUS row with a NUL, a huge number, a bad category',
        'text/csv',
        `${focusHeader}\nUsage,2026-11-01T00:00:00Z,2026-11-01T01:00:00Z,/subscriptions/x\u0000,1e999999,0.1,USD,eastus,Virtual Machines,D2s v3\n`,
        '',
        'invalid-usage-row',
      ],
      [
        'a FOCUS row billed in EUR without a rate',
        'text/csv',
        `${focusHeader},x_PricingCurrency\nUsage,2026-11-01T00:00:00Z,2026-11-01T01:00:00Z,/subscriptions/${dashes},1,0.1,EUR,eastus,Storage,LRS,USD\n`,
        '',
        'invalid-usage-row',
      ],
      [
        'a FOCUS row of a month',
        'text/csv',
        `${focusHeader}\nUsage,2026-11-01T00:00:00Z,2026-12-01T00:00:00Z,/subscriptions/${dashes},1,0.1,USD,eastus,Storage,LRS\n`,
        '',
        'invalid-usage-row',
      ],
    ];
    it.each(cases)('%s: 400, never 500', async (_name, contentType, payload, query, code) => {
      const res = await send('POST', `/api/usage/imports${query}`, {
        payload,
        headers: { 'content-type': contentType },
      });
      expectMitraError(res, 400, code);
    });
  });

  describe('commitments: months, scopes and alias names', () => {
    it.each([
      '2026-13',
      '2026-00',
      '2026-1',
      '26-11',
      'x',
      '2026-11.pdf',
      '2026-11.csv.csv',
      '%00',
      '2026-11%00',
    ])('GET /api/customers/{fabrikam}/bills/%s: 400 invalid-month, never 500', async (month) => {
      expectMitraError(
        await send('GET', `/api/customers/${fabrikam.id}/bills/${month}`),
        400,
        'invalid-month',
      );
    });

    it.each(['not-a-uuid', dashes, '1', "' or 1=1--", '{00000000-0000-0000-0000-000000000000}'])(
      'a Single scope naming subscription %j: 400 applied-scope-not-in-billing-context, never 500',
      async (subscriptionId) => {
        const scope = { appliedScopeType: 'Single', appliedScope: { subscriptionId } };
        const requests: [Method, string, object, Record<string, string>?][] = [
          ['PATCH', `/api/customers/${fabrikam.id}/reservations/${reservation.id}`, scope],
          ['PATCH', `/api/customers/${fabrikam.id}/savings-plans/${savingsPlan.id}`, scope],
          ['POST', `/api/customers/${fabrikam.id}/reservations`, reservationBody(scope)],
          ['POST', '/api/my/reservations', reservationBody(scope), await world.as(users.fabrikamOwner)],
          ['POST', `/api/customers/${fabrikam.id}/what-if`, whatIf(reservationBody(scope))],
          ['POST', '/api/my/what-if', whatIf(reservationBody(scope)), await world.as(users.fabrikamOwner)],
        ];
        const failures: string[] = [];
        for (const [method, url, payload, headers] of requests) {
          const res = await send(method, url, {
            payload,
            headers: { ...headers, 'idempotency-key': randomUUID() },
          });
          try {
            expectMitraError(res, 400, 'applied-scope-not-in-billing-context');
          } catch (error) {
            failures.push((error as Error).message.split('\n')[0]);
          }
        }
        expect(failures).toEqual([]);
      },
    );

    it.each(['%00', 'a%00b', dashes, "'%20or%201=1--", 'x'.repeat(80)])(
      'PUT savingsPlanOrderAliases/%s: a purchase or a 4xx, never 500',
      async (alias) => {
        const res = await send(
          'PUT',
          `/providers/Microsoft.BillingBenefits/savingsPlanOrderAliases/${alias}?api-version=2022-11-01`,
          {
            headers: await world.as(users.fabrikamOwner),
            payload: {
              sku: { name: 'Compute_Savings_Plan' },
              properties: {
                billingScopeId: `/subscriptions/${fabrikam.entitlementId}`,
                term: 'P1Y',
                billingPlan: 'P1M',
                commitment: { grain: 'Hourly', currencyCode: 'USD', amount: 1 },
              },
            },
          },
        );
        expect(res.statusCode, summarize(res)).toBeLessThan(500);
        if (res.statusCode >= 400) expectDialectError(res, res.statusCode);
      },
    );
  });

  describe('what-if candidates (B4)', () => {
    it.each([
      { sku: 'Standard_D2s_v3\u0000' },
      { region: "eastus' or 1=1--" },
      { sku: 'x'.repeat(5000) },
      { term: 'P1Y\u0000' },
      { instanceFlexibility: 'Off', quantity: 1000 },
      { appliedScopeType: 'ManagementGroup', appliedScope: { managementGroupId: 'mg' } },
      {
        appliedScopeType: 'ResourceGroup',
        appliedScope: { subscriptionId: '{azure}', resourceGroup: '\u0000' },
      },
      { billingSubscriptionId: '/subscriptions/{azure}' },
      { billingSubscriptionId: "' or 1=1--" },
      { kind: 'savingsPlan', hourlyCommitment: '1e309' },
      { kind: 'savingsPlan', hourlyCommitment: '-1' },
      { kind: 'savingsPlan', hourlyCommitment: '999999999999' },
    ])('candidate %j: a what-if or a 4xx, never 500', async (overrides) => {
      const candidate = JSON.parse(resolve(JSON.stringify({ ...reservationBody(), ...overrides })));
      for (const [url, headers] of [
        [`/api/customers/${fabrikam.id}/what-if`, admin],
        ['/api/my/what-if', await world.as(users.fabrikamOwner)],
      ] as const) {
        const res = await send('POST', url, { payload: whatIf(candidate), headers });
        expect(res.statusCode, summarize(res)).toBeLessThan(500);
        if (res.statusCode >= 400) expectDialectError(res, res.statusCode);
      }
    });
  });

  describe('ARM role assignment names and principals', () => {
    it.each([
      dashes,
      'not-a-uuid',
      '{00000000-0000-0000-0000-000000000000}',
      'ffffffff-ffff-ffff-ffff-fffffffffffff',
    ])('PUT roleAssignments/%s: 400, never 500', async (name) => {
      const url = `/subscriptions/${fabrikam.entitlementId}/providers/Microsoft.Authorization/roleAssignments/${encodeURIComponent(name)}?api-version=2022-04-01`;
      const reader = (
        await world.handle.db
          .selectFrom('customer_users')
          .select('id')
          .where('email', '=', users.fabrikamReader)
          .executeTakeFirstOrThrow()
      ).id;
      // Contributor: a role the reader does not hold, so the name is really used.
      const payload = {
        properties: { roleDefinitionId: 'b24988ac-6180-42a0-ab88-20f7382dd24c', principalId: reader },
      };
      expectDialectError(await send('PUT', url, { payload }), 400);
    });

    it.each([dashes, 'not-a-user', `${nul}`])(
      'PUT a role assignment for principal %j: 4xx, never 500',
      async (principalId) => {
        const url = `/subscriptions/${fabrikam.entitlementId}/providers/Microsoft.Authorization/roleAssignments/${randomUUID()}?api-version=2022-04-01`;
        const res = await send('PUT', url, {
          payload: { properties: { roleDefinitionId: 'acdd72a7-3385-48ef-bd42-f606fba81ae7', principalId } },
        });
        expect(res.statusCode, summarize(res)).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, summarize(res)).toBeLessThan(500);
        expectDialectError(res, res.statusCode);
      },
    );
  });

  describe('query strings', () => {
    it.each([
      ['/v1/customers?size=abc', 'invalid-request'],
      ['/v1/customers?size=-1', 'invalid-request'],
      ['/v1/customers?size=1.5', 'invalid-request'],
      ['/v1/customers?size=99999999999999999999', 'invalid-request'],
      ['/v1/customers/{fabrikam}/orders?include_price=maybe', 'invalid-request'],
      ['/v1/customers/{fabrikam}/orders/{order}?include_price=2', 'invalid-request'],
      ['/v1/auditrecords?size=abc', 'invalid-request'],
      ['/v1/auditrecords?size=100000', 'invalid-request'],
      ['/v1/auditrecords?startDate=not-a-date', 'invalid-date'],
      ['/v1/auditrecords?endDate=9999-12-31', 'invalid-date'],
      ['/v1/auditrecords?startDate=2026-02-31', 'invalid-date'],
      ['/v1/products?country=1', 'country-required'],
    ])('%s: 400 %s', async (url, code) => {
      expectPartnerCenterError(await send('GET', resolve(url)), 400, code);
    });

    it.each([
      ['/api/customers?size=abc', 'invalid-request'],
      ['/api/customers?size=0', 'invalid-request'],
      ['/api/customers?size=501', 'invalid-request'],
      ['/api/activity?customerId=abc', 'invalid-request'],
      ['/api/activity?operationType=drop_table', 'invalid-request'],
      ['/api/activity?size=-5', 'invalid-request'],
      ['/api/prices', 'invalid-request'],
      ['/api/prices?kind=wholesale', 'invalid-request'],
    ])('%s: 400 %s', async (url, code) => {
      expectMitraError(await send('GET', url), 400, code);
    });

    // The feed and alert settings (B1, B11): what a client can send wrong is a 400 with a code.
    it.each([
      ['/api/notifications?size=0', 'invalid-request'],
      ['/api/notifications?size=201', 'invalid-request'],
      ['/api/notifications?unread=perhaps', 'invalid-request'],
      ['/api/notifications?lang=fr', 'invalid-request'],
      ['/api/notifications?continuationToken=bm9wZQ', 'invalid-continuation-token'],
      [
        `/api/notifications?continuationToken=${Buffer.from('{"t":"x","id":"00000000-0000-4000-8000-000000000000"}').toString('base64url')}`,
        'invalid-continuation-token',
      ],
    ])('%s: 400 %s', async (url, code) => {
      expectMitraError(await send('GET', url), 400, code);
    });

    it.each<[Method, string, object | undefined, string]>([
      ['POST', '/api/notifications/not-a-uuid/read', undefined, 'invalid-request'],
      [
        'PUT',
        '/api/notification-preferences',
        { items: [{ type: 'customer.exploded', inApp: true, email: false }] },
        'invalid-request',
      ],
      [
        'PUT',
        '/api/notification-preferences',
        { items: [{ type: 'commitment.expiring', inApp: 'yes', email: false }] },
        'invalid-request',
      ],
      ['PUT', '/api/notification-preferences', { type: 'commitment.expiring' }, 'invalid-request'],
      [
        'PUT',
        '/api/alert-settings',
        { underutilization: { thresholdPercent: 0, windowDays: 7 } },
        'invalid-request',
      ],
      [
        'PUT',
        '/api/alert-settings',
        { underutilization: { thresholdPercent: 80, windowDays: 7.5 } },
        'invalid-request',
      ],
      [
        'PUT',
        '/api/alert-settings',
        { underutilization: { thresholdPercent: 80, windowDays: 91 } },
        'invalid-request',
      ],
      ['PUT', '/api/alert-settings', { underutilization: { thresholdPercent: 80 } }, 'invalid-request'],
    ])('%s %s %j: 400 %s', async (method, url, payload, code) => {
      expectMitraError(await send(method, url, { payload }), 400, code);
    });

    it('an order_id filter that is not a GUID: an empty list or a 400, never 500', async () => {
      const res = await send('GET', `/v1/customers/${fabrikam.id}/subscriptions?order_id=not-a-guid`);
      if (res.statusCode === 200) expect(res.json().items).toEqual([]);
      else expectPartnerCenterError(res, 400);
    });

    it('a CustomerId filter that only looks like a GUID: 400 invalid-filter', async () => {
      const filter = encodeURIComponent(
        JSON.stringify({ Field: 'CustomerId', Value: dashes, Operator: 'equals' }),
      );
      expectPartnerCenterError(await send('GET', `/v1/auditrecords?filter=${filter}`), 400, 'invalid-filter');
    });

    it.each([
      ['/v1/customers', { Field: 'CompanyName', Value: `fab${nul}`, Operator: 'starts_with' }],
      ['/v1/auditrecords', { Field: 'CompanyName', Value: `fab${nul}`, Operator: 'substring' }],
    ])('a NUL character in a %s filter value: 400 or no match, never 500', async (path, filter) => {
      const res = await send('GET', `${path}?filter=${encodeURIComponent(JSON.stringify(filter))}`);
      if (res.statusCode === 200) expect(res.json().items).toEqual([]);
      else expectPartnerCenterError(res, 400);
    });

    it('a NUL character in /api/customers?search: 400 or no match, never 500', async () => {
      const res = await send('GET', `/api/customers?search=fab${encodeURIComponent(nul)}`);
      if (res.statusCode === 200) expect(res.json().items).toEqual([]);
      else expectMitraError(res, 400);
    });

    it.each([
      ['/v1/auditrecords', { s: 'abc' }],
      ['/v1/auditrecords', { s: 1e300 }],
      ['/api/activity', { s: 'abc' }],
      ['/v1/customers', { n: 'Fabrikam', i: 'not-a-uuid' }],
      ['/api/customers', { n: 'Fabrikam', i: 'not-a-uuid' }],
    ])(
      'a continuation token for %s decoding to %j: 400 invalid-continuation-token',
      async (path, position) => {
        const token = Buffer.from(JSON.stringify(position)).toString('base64url');
        expectDialectError(
          await send('GET', `${path}?continuationToken=${token}`),
          400,
          'invalid-continuation-token',
        );
      },
    );
  });

  describe('fuzz', () => {
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.string({ unit: 'binary-ascii', maxLength: 40 }),
      fc.uuid(),
      fc.uuid().map((u) => u.toUpperCase()),
      // Shaped like an id to a loose check, but not a UUID.
      fc.stringMatching(/^[0-9a-f-]{36}$/),
      fc.constantFrom(
        '',
        '.',
        '..',
        '%',
        '-',
        dashes,
        'null',
        'undefined',
        '0',
        '-1',
        '1e309',
        'NaN',
        '[]',
        '{}',
        "'",
        '"',
        '\\',
        '/',
      ),
    );

    it('random path segments on GET routes: always < 500, errors in the dialect of the prefix', async () => {
      const routes = [
        (s: string) => `/v1/customers/${s}`,
        (s: string) => `/v1/customers/${s}/subscriptions`,
        (s: string) => `/v1/customers/${fabrikam.id}/subscriptions/${s}`,
        (s: string) => `/v1/customers/${fabrikam.id}/orders/${s}`,
        (s: string) => `/v1/customers/${fabrikam.id}/carts/${s}`,
        (s: string) => `/v1/products/${s}/skus?country=US`,
        (s: string) => `/api/customers/${s}`,
        (s: string) => `/api/customers/${s}/subscriptions`,
        (s: string) => `/api/customers/${fabrikam.id}/subscriptions/${s}/role-assignments`,
        (s: string) => `/api/customers/${s}/permissions`,
        (s: string) => `/api/customers/${fabrikam.id}/reservations/${s}`,
        (s: string) => `/api/customers/${fabrikam.id}/savings-plans/${s}`,
        (s: string) => `/api/customers/${s}/bills`,
        (s: string) => `/api/customers/${fabrikam.id}/bills/${s}`,
        (s: string) => `/v1/SelfServePolicy/${s}`,
        (s: string) =>
          `/subscriptions/${s}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01`,
        (s: string) =>
          `/subscriptions/${fabrikam.entitlementId}/providers/Microsoft.Authorization/roleAssignments/${s}?api-version=2022-04-01`,
      ];
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 0, max: routes.length - 1 }), text, async (n, segment) => {
          const url = routes[n](encodeURIComponent(segment));
          const res = await send('GET', url);
          expect(res.statusCode, `GET ${url} → ${res.statusCode} ${res.body.slice(0, 200)}`).toBeLessThan(
            500,
          );
          if (res.statusCode >= 400) expectDialectError(res, res.statusCode);
        }),
        { numRuns: 300 },
      );
    });

    it('random query strings on list routes: always < 500, errors in the dialect of the prefix', async () => {
      const filter = fc.oneof(
        text,
        fc
          .record({
            Field: fc.constantFrom(
              'CompanyName',
              'Domain',
              'CustomerId',
              'ResourceType',
              'companyname',
              'Other',
            ),
            Value: fc.oneof(text, fc.integer(), fc.constant(null)),
            Operator: fc.constantFrom('starts_with', 'substring', 'equals', 'like'),
          })
          .map((f) => JSON.stringify(f)),
      );
      const value = fc.oneof(
        text,
        fc.integer({ min: -10, max: 1000 }).map(String),
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
      );
      const query = fc.record(
        {
          size: value,
          filter,
          continuationToken: fc.oneof(
            text,
            fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? '').toString('base64url')),
          ),
          startDate: value,
          endDate: value,
          customerId: fc.oneof(text, fc.constant(fabrikam.id)),
          operationType: fc.oneof(text, fc.constantFrom('add_customer', 'create_order')),
          search: text,
          include_price: fc.oneof(text, fc.constantFrom('true', 'false')),
          billingType: text,
          order_id: fc.oneof(text, fc.uuid()),
          country: fc.oneof(text, fc.constantFrom('US', 'id')),
          targetView: text,
          entity_id: fc.oneof(text, fc.constant(fabrikam.id)),
          'api-version': fc.oneof(text, fc.constant('2022-04-01')),
          $filter: fc.oneof(
            text,
            text.map((t) => `principalId eq '${t}'`),
            text.map((t) => `assignedTo('${t}')`),
          ),
        },
        { requiredKeys: [] },
      );
      const paths = [
        '/v1/customers',
        '/v1/auditrecords',
        '/api/customers',
        '/api/activity',
        `/v1/customers/${fabrikam.id}/orders`,
        `/v1/customers/${fabrikam.id}/subscriptions`,
        '/v1/products',
        '/v1/SelfServePolicy',
        `/subscriptions/${fabrikam.entitlementId}/providers/Microsoft.Authorization/roleAssignments`,
      ];
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...paths), query, async (path, q) => {
          const url = `${path}?${new URLSearchParams(q as Record<string, string>).toString()}`;
          const res = await send('GET', url);
          expect(res.statusCode, `GET ${url} → ${res.statusCode} ${res.body.slice(0, 200)}`).toBeLessThan(
            500,
          );
          if (res.statusCode >= 400) expectDialectError(res, res.statusCode);
        }),
        { numRuns: 300 },
      );
    });
  });
});
