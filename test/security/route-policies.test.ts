import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/actor.ts';
import { policies } from '../../src/domain/policies.ts';
import { demoWorld, type TestWorld } from '../support/app.ts';

describe('route policies', () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await demoWorld('pglite');
  });
  afterAll(() => world.close());

  it('every registered route declares a known policy', () => {
    const routes = world.app.routePolicies;
    expect(routes.length).toBeGreaterThan(30);
    const missing = routes.filter((r) => !r.policy || !(r.policy in policies));
    expect(
      missing,
      `routes without a declared policy: ${missing.map((r) => `${r.method} ${r.url}`).join(', ')}`,
    ).toEqual([]);
  });

  it('every non-public API route refuses a caller without credentials', async () => {
    const guarded = world.app.routePolicies.filter(
      (r) => !policies[r.policy!].anonymous && r.method !== 'HEAD',
    );
    expect(guarded.length).toBeGreaterThan(20);
    for (const route of guarded) {
      const url = route.url.replace(/:(\w+)/g, '00000000-0000-0000-0000-000000000000');
      const res = await world.app.inject({
        method: route.method as 'GET',
        url,
        payload: route.method === 'GET' || route.method === 'DELETE' ? undefined : {},
      });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
    }
  });

  it('usage import through the API is for Admin agents', () => {
    const route = world.app.routePolicies.find((r) => r.method === 'POST' && r.url === '/api/usage/imports');
    expect(route?.policy).toBe('usageImport');
    expect(
      policies.usageImport.allows({
        kind: 'partner_user',
        userId: 'x',
        partnerId: 'x',
        email: 'x',
        roles: ['sales_agent', 'helpdesk_agent'],
        applicationId: null,
      }),
    ).toBe(false);
  });

  it("the partner's own jobs (R20) declare the policies their services check", () => {
    const declared = Object.fromEntries(
      world.app.routePolicies.map((r) => [`${r.method} ${r.url}`, r.policy]),
    );
    expect({
      'POST /api/customers': declared['POST /api/customers'],
      'GET /api/customers/:id/users': declared['GET /api/customers/:id/users'],
      'POST /api/customers/:id/users': declared['POST /api/customers/:id/users'],
      'GET /api/customers/:id/billing-profile': declared['GET /api/customers/:id/billing-profile'],
      'PATCH /api/customers/:id/billing-profile': declared['PATCH /api/customers/:id/billing-profile'],
      'POST /api/customers/:id/azure-plan': declared['POST /api/customers/:id/azure-plan'],
      'POST /api/customers/:id/reservations/quote': declared['POST /api/customers/:id/reservations/quote'],
      'POST /api/customers/:id/savings-plans/quote': declared['POST /api/customers/:id/savings-plans/quote'],
    }).toEqual({
      'POST /api/customers': 'customersCreate',
      'GET /api/customers/:id/users': 'partnerRead',
      'POST /api/customers/:id/users': 'customerUsersManage',
      'GET /api/customers/:id/billing-profile': 'partnerRead',
      // Every partner user reaches the service, which refuses Sales agents and records the refusal.
      'PATCH /api/customers/:id/billing-profile': 'billingProfileAttempt',
      'POST /api/customers/:id/azure-plan': 'ordersCreate',
      'POST /api/customers/:id/reservations/quote': 'ordersCreate',
      'POST /api/customers/:id/savings-plans/quote': 'ordersCreate',
    });
  });

  it('what-if (B4): any partner user for its customers, customer users for their own', () => {
    const declared = Object.fromEntries(
      world.app.routePolicies.map((r) => [`${r.method} ${r.url}`, r.policy]),
    );
    expect({
      'POST /api/customers/:id/what-if': declared['POST /api/customers/:id/what-if'],
      'POST /api/my/what-if': declared['POST /api/my/what-if'],
    }).toEqual({
      // A query: not the purchase policy (ordersCreate); Helpdesk agents explore too.
      'POST /api/customers/:id/what-if': 'partnerRead',
      'POST /api/my/what-if': 'customerSelf',
    });
  });

  it('price lists: everybody of the partner reads, the service decides who saves (and records refusals)', () => {
    const declared = Object.fromEntries(
      world.app.routePolicies.map((r) => [`${r.method} ${r.url}`, r.policy]),
    );
    expect(declared).toMatchObject({
      'GET /api/customers/:id/price-list': 'partnerRead',
      'PUT /api/customers/:id/price-list': 'priceListsAttempt',
      'POST /api/customers/:id/price-list/preview': 'partnerRead',
      'GET /api/price-list/default': 'partnerRead',
      'PUT /api/price-list/default': 'priceListsAttempt',
      'POST /api/price-list/default/preview': 'partnerRead',
      'PUT /api/price-list/settings': 'priceListsAttempt',
    });
    // Customer users never reach a price list route (R14: their own prices come through quotes).
    const customer = {
      kind: 'customer_user',
      userId: 'u',
      customerId: 'c',
      partnerId: 'p',
      email: 'e',
    } as const;
    for (const name of ['partnerRead', 'priceListsAttempt', 'priceListsManage'] as const)
      expect(policies[name].allows(customer), name).toBe(false);
  });

  it('cost management (R17): everybody of the partner reads, the service decides who switches (and records refusals)', () => {
    const declared = Object.fromEntries(
      world.app.routePolicies.map((r) => [`${r.method} ${r.url}`, r.policy]),
    );
    expect(declared).toMatchObject({
      'GET /api/customers/:id/cost-management': 'partnerRead',
      'PUT /api/customers/:id/cost-management': 'costManagementAttempt',
      // The same switch as Microsoft.Billing exposes it to partners (viewCharges).
      'GET /providers/Microsoft.Billing/billingAccounts': 'partnerRead',
      'GET /providers/Microsoft.Billing/billingAccounts/:billingAccount/customers/:customerId/policies/default':
        'partnerRead',
      'PUT /providers/Microsoft.Billing/billingAccounts/:billingAccount/customers/:customerId/policies/default':
        'costManagementAttempt',
    });
  });

  it("the partner's cost views show its own cost and margin: Admin agents only, like bills", () => {
    const declared = Object.fromEntries(
      world.app.routePolicies.map((r) => [`${r.method} ${r.url}`, r.policy]),
    );
    expect(declared).toMatchObject({
      'GET /api/costs': 'pricesRead',
      'GET /api/customers/:id/costs': 'pricesRead',
      'GET /api/customers/:id/bills': 'pricesRead',
    });
  });

  it('FOCUS exports: partner users export the partner view, customer users their own (R17–R18)', () => {
    const declared = Object.fromEntries(
      world.app.routePolicies.map((r) => [`${r.method} ${r.url}`, r.policy]),
    );
    expect(declared).toMatchObject({
      'GET /api/exports/focus': 'partnerRead',
      'GET /api/my/exports/focus': 'customerSelf',
      'GET /api/cli/exports/focus': 'localOperator',
    });
  });

  it("the feed is each partner user's own; alert settings are read by all, changed by Admin agents", () => {
    const declared = Object.fromEntries(
      world.app.routePolicies.map((r) => [`${r.method} ${r.url}`, r.policy]),
    );
    expect(declared).toMatchObject({
      'GET /api/notifications': 'partnerUserSelf',
      'GET /api/notifications/unread-count': 'partnerUserSelf',
      'POST /api/notifications/:id/read': 'partnerUserSelf',
      'POST /api/notifications/read-all': 'partnerUserSelf',
      'GET /api/notification-preferences': 'partnerUserSelf',
      'PUT /api/notification-preferences': 'partnerUserSelf',
      'GET /api/alert-settings': 'partnerRead',
      // Every partner user reaches the service, which refuses non-Admins and records the refusal.
      'PUT /api/alert-settings': 'alertSettingsAttempt',
    });
    const app: Actor = { kind: 'application', applicationId: 'a', partnerId: 'p', roles: ['admin_agent'] };
    const customer = {
      kind: 'customer_user',
      userId: 'u',
      customerId: 'c',
      partnerId: 'p',
      email: 'e',
    } as const;
    // An application-only token has no user, so no feed; a customer user has none either.
    expect(policies.partnerUserSelf.allows(app)).toBe(false);
    expect(policies.partnerUserSelf.allows(customer)).toBe(false);
    expect(policies.alertSettingsManage.allows(app)).toBe(true);
    expect(
      policies.alertSettingsManage.allows({
        kind: 'partner_user',
        userId: 'x',
        partnerId: 'x',
        email: 'x',
        roles: ['sales_agent', 'helpdesk_agent'],
        applicationId: null,
      }),
    ).toBe(false);
  });

  it('webhooks (B1): Admin agents read; every partner user reaches the changes, the service refuses all but Admin agents (and records it)', () => {
    const declared = Object.fromEntries(
      world.app.routePolicies.map((r) => [`${r.method} ${r.url}`, r.policy]),
    );
    expect(declared).toMatchObject({
      'GET /api/webhooks': 'webhooksRead',
      'POST /api/webhooks': 'webhooksAttempt',
      'PATCH /api/webhooks/:id': 'webhooksAttempt',
      'DELETE /api/webhooks/:id': 'webhooksAttempt',
      'POST /api/webhooks/:id/rotate-secret': 'webhooksAttempt',
      'GET /api/webhooks/:id/deliveries': 'webhooksRead',
      'POST /api/webhooks/:id/deliveries/:deliveryId/replay': 'webhooksAttempt',
      'POST /api/webhooks/:id/test': 'webhooksAttempt',
    });
    const agent = (role: 'admin_agent' | 'sales_agent' | 'helpdesk_agent'): Actor => ({
      kind: 'partner_user',
      userId: 'x',
      partnerId: 'x',
      email: 'x',
      roles: [role],
      applicationId: null,
    });
    expect(policies.webhooksRead.allows(agent('admin_agent'))).toBe(true);
    for (const role of ['sales_agent', 'helpdesk_agent'] as const) {
      expect(policies.webhooksRead.allows(agent(role)), role).toBe(false);
      expect(policies.webhooksManage.allows(agent(role)), role).toBe(false);
      expect(policies.webhooksAttempt.allows(agent(role)), role).toBe(true);
    }
  });

  it('a forged or expired bearer token is refused with 401', async () => {
    const res = await world.app.inject({
      method: 'GET',
      url: '/v1/customers',
      headers: { authorization: 'Bearer not.a.token' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ errorName: 'invalid-token' });
  });
});
