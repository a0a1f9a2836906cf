import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoutePolicy } from '../../src/api/auth-plugin.ts';
import type { Actor } from '../../src/domain/actor.ts';
import { type Policy, policies } from '../../src/domain/policies.ts';
import { roleDefinitionIds } from '../../src/domain/roles.ts';
import { demoWorld, type TestWorld, users } from '../support/app.ts';
import { databaseKinds } from '../support/db.ts';
import {
  type CustomerIds,
  createCart,
  customerIds,
  errorCodeOf,
  expectDialectError,
  licenceLine,
  reservation,
  summarize,
} from './fixtures.ts';

/**
 * "Nothing of one partner is ever visible to another partner; nothing of one customer is ever
 * visible to another customer" (product.md). The suite walks the app's registered routes, not a
 * hand-written list: a route it does not know how to address fails it until it is taught below.
 *
 * For every customer-scoped route and every intruder: the answer is 404 (never 403, never data),
 * it is the same answer as for a customer that does not exist (no oracle), nothing of the target
 * changes, and the target's own partner (or customer user) gets a 2xx with the same request.
 */

type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A customer and everything needed to address its resources. */
interface Target extends CustomerIds {
  partnerId: string;
  /** The partner user who owns it (Admin agent), and a customer user who is Owner of its Azure subscription. */
  partnerOwner: string;
  customerOwner: string;
  /** A user of the customer that role assignments can be given to. */
  assignableUserId: string;
  /** Words no answer to somebody else may contain. */
  secrets: string[];
  /** What its customer owner bought through ARM, so the ARM routes have real ids to attack. */
  arm: ArmIds;
}

interface ArmIds {
  reservationOrderId: string;
  reservationId: string;
  savingsPlanOrderId: string;
  savingsPlanId: string;
  /** The savingsPlanOrderAliases name that bought the savings plan. */
  alias: string;
}

/** What a request is filled from: the real target, or a phantom with fresh ids that exist nowhere. */
interface Fill {
  world: TestWorld;
  target: Target;
  phantom: boolean;
  /** The caller's own partner (what a partner-center client puts in `grantor.tenantID`). */
  callerPartnerId: string;
}

const ids = new WeakMap<Fill, Map<string, string>>();
/** One phantom id per name per request, so a route naming the customer twice names the same one. */
const phantomId = (f: Fill, name: string) => {
  const map = ids.get(f) ?? new Map<string, string>();
  ids.set(f, map);
  if (!map.has(name)) map.set(name, randomUUID());
  return map.get(name)!;
};

const customerId = (f: Fill) => (f.phantom ? phantomId(f, 'customer') : f.target.id);
const policyIdOf = (f: Fill) => `${f.target.partnerId}_${customerId(f)}`;

/** A Contributor assignment of the target's assignable user, created if missing (DELETE consumes it). */
async function freshAssignment(f: Fill): Promise<string> {
  if (f.phantom) return phantomId(f, 'assignment');
  const db = f.world.handle.db;
  const where = {
    subscription_id: f.target.subscriptionId,
    customer_user_id: f.target.assignableUserId,
    role: 'Contributor' as const,
  };
  const row = await db
    .selectFrom('role_assignments')
    .select('id')
    .where('subscription_id', '=', where.subscription_id)
    .where('customer_user_id', '=', where.customer_user_id)
    .where('role', '=', where.role)
    .executeTakeFirst();
  if (row) return row.id;
  const id = randomUUID();
  await db
    .insertInto('role_assignments')
    .values({ id, ...where })
    .execute();
  return id;
}

const reservationBody = (f: Fill, sku = 'Standard_D2s_v3') => ({
  billingSubscriptionId: f.phantom ? phantomId(f, 'subscription') : f.target.subscriptionId,
  sku,
  region: 'eastus',
  term: 'P1Y',
  billingPlan: 'Monthly',
  quantity: 1,
});
const savingsPlanBody = (f: Fill) => ({
  billingSubscriptionId: f.phantom ? phantomId(f, 'subscription') : f.target.subscriptionId,
  hourlyCommitment: '1.00',
  term: 'P1Y',
  billingPlan: 'Monthly',
});
/** What-if (B4): a candidate is a purchase body plus its kind; it names the subscription that would pay. */
const whatIfBody = (f: Fill) => ({
  lookbackDays: 7,
  candidates: [{ kind: 'savingsPlan', ...savingsPlanBody(f) }],
});

/** ARM names a billing subscription by its Azure subscription id. */
const billingScope = (f: Fill) =>
  `/subscriptions/${f.phantom ? phantomId(f, 'entitlement') : f.target.entitlementId}`;
/** ARM's PurchaseRequest for a reservation (calculatePrice, then PUT reservationOrders/{id}). */
const armReservationBody = (billingScopeId: string) => ({
  sku: { name: 'Standard_D2s_v3' },
  location: 'eastus',
  properties: {
    reservedResourceType: 'VirtualMachines',
    billingScopeId,
    term: 'P1Y',
    billingPlan: 'Monthly',
    quantity: 1,
    appliedScopeType: 'Shared',
  },
});
/** ARM's savings plan purchase (validate, PUT savingsPlanOrderAliases/{alias}). */
const armSavingsPlanBody = (billingScopeId: string) => ({
  sku: { name: 'Compute_Savings_Plan' },
  properties: {
    billingScopeId,
    term: 'P1Y',
    billingPlan: 'P1M',
    appliedScopeType: 'Shared',
    commitment: { grain: 'Hourly', currencyCode: 'USD', amount: 1 },
  },
});
const armUrl = (path: string) => `${path}?api-version=2022-11-01`;

/** The target's (or a phantom's) ARM ids: what its customer owner bought in `beforeAll`. */
const armId = (f: Fill, name: keyof ArmIds) => (f.phantom ? phantomId(f, name) : f.target.arm[name]);
const armReservationRef = (f: Fill) =>
  `/providers/microsoft.capacity/reservationOrders/${armId(f, 'reservationOrderId')}/reservations/${armId(f, 'reservationId')}`;

/** ARM's step 1 as the target's customer owner: a priced, unused reservation order id of the target. */
async function armQuote(f: Fill): Promise<string> {
  if (f.phantom) return phantomId(f, 'reservationOrderId');
  const res = await f.world.app.inject({
    method: 'POST',
    url: armUrl('/providers/Microsoft.Capacity/calculatePrice'),
    headers: await f.world.as(f.target.customerOwner),
    payload: armReservationBody(billingScope(f)),
  });
  if (res.statusCode !== 200) throw new Error(`pricing for ${f.target.name}: ${summarize(res)}`);
  return res.json().properties.reservationOrderId;
}

/** A reservation and a savings plan the customer owner buys through ARM, as the SDKs do. */
async function buyThroughArm(
  world: TestWorld,
  customerOwner: string,
  entitlementId: string,
): Promise<ArmIds> {
  const headers = await world.as(customerOwner);
  const scope = `/subscriptions/${entitlementId}`;
  const quote = await world.app.inject({
    method: 'POST',
    url: armUrl('/providers/Microsoft.Capacity/calculatePrice'),
    headers,
    payload: armReservationBody(scope),
  });
  expect(quote.statusCode, summarize(quote)).toBe(200);
  const reservationOrderId = quote.json().properties.reservationOrderId as string;
  const order = await world.app.inject({
    method: 'PUT',
    url: armUrl(`/providers/Microsoft.Capacity/reservationOrders/${reservationOrderId}`),
    headers,
    payload: armReservationBody(scope),
  });
  expect(order.statusCode, summarize(order)).toBe(200);
  // Random, so that no answer to an intruder can echo a customer's name through it.
  const alias = `sp-${randomUUID()}`;
  const plan = await world.app.inject({
    method: 'PUT',
    url: armUrl(`/providers/Microsoft.BillingBenefits/savingsPlanOrderAliases/${alias}`),
    headers,
    payload: armSavingsPlanBody(scope),
  });
  expect(plan.statusCode, summarize(plan)).toBe(201);
  const savingsPlanOrderId = (plan.json().properties.savingsPlanOrderId as string).split('/').pop()!;
  const plans = await world.app.inject({
    method: 'GET',
    url: armUrl(`/providers/Microsoft.BillingBenefits/savingsPlanOrders/${savingsPlanOrderId}/savingsPlans`),
    headers,
  });
  expect(plans.statusCode, summarize(plans)).toBe(200);
  return {
    reservationOrderId,
    reservationId: order.json().properties.reservations[0].name,
    savingsPlanOrderId,
    savingsPlanId: plans.json().value[0].name,
    alias,
  };
}

/** A reservation or savings plan the target's partner buys for it, for routes that address one. */
async function freshCommitment(f: Fill, path: 'reservations' | 'savings-plans'): Promise<string> {
  if (f.phantom) return phantomId(f, 'commitment');
  const res = await f.world.app.inject({
    method: 'POST',
    url: `/api/customers/${f.target.id}/${path}`,
    headers: { ...(await f.world.as(f.target.partnerOwner)), 'idempotency-key': randomUUID() },
    payload: path === 'reservations' ? reservationBody(f) : savingsPlanBody(f),
  });
  if (res.statusCode !== 201) throw new Error(`buying ${path} for ${f.target.name}: ${summarize(res)}`);
  return res.json().id;
}

/** A purchase of the target held for approval (B2): a threshold of 1 USD for one purchase, then cleared. */
async function freshApproval(f: Fill): Promise<string> {
  if (f.phantom) return phantomId(f, 'approval');
  const guardrails = async (approvalThreshold: unknown) => {
    const res = await f.world.app.inject({
      method: 'PUT',
      url: `/api/customers/${f.target.id}/guardrails`,
      headers: await f.world.as(f.target.partnerOwner),
      payload: { monthlyLimit: null, approvalThreshold },
    });
    if (res.statusCode !== 200) throw new Error(`guardrails for ${f.target.name}: ${summarize(res)}`);
  };
  await ensurePermission(f.world, f.target);
  await guardrails({ amount: '1', currency: 'USD' });
  try {
    const res = await f.world.app.inject({
      method: 'POST',
      url: '/api/my/reservations',
      headers: { ...(await f.world.as(f.target.customerOwner)), 'idempotency-key': randomUUID() },
      payload: reservationBody(f),
    });
    if (res.statusCode !== 202) throw new Error(`holding a purchase of ${f.target.name}: ${summarize(res)}`);
    return res.json().approvalId;
  } finally {
    await guardrails(null);
  }
}

let invoiceCount = 0;
/** An issued invoice of the target, for routes that address one (a credit note consumes it). */
async function freshInvoice(f: Fill): Promise<string> {
  if (f.phantom) return phantomId(f, 'invoice');
  invoiceCount += 1;
  const id = randomUUID();
  // Months no real invoice uses; late enough that the demo's exchange rates apply to a re-issue.
  const month = new Date(Date.UTC(2100, invoiceCount, 1)).toISOString().slice(0, 10);
  await f.world.handle.db
    .insertInto('invoices')
    .values({
      id,
      partner_id: f.target.partnerId,
      customer_id: f.target.id,
      kind: 'invoice',
      month,
      sequence: 1_000_000 + invoiceCount,
      number: `ISO-${invoiceCount}`,
      issued_at: new Date(),
      issued_by: 'isolation suite',
      currency: 'USD',
      ledger_currency: 'USD',
      fx_rate: null,
      fx_rate_date: null,
      tax_name: 'VAT',
      tax_rate: '0',
      subtotal: '0',
      tax: '0',
      total: '0',
      lines: '[]',
      bill_to: JSON.stringify({
        companyName: f.target.name,
        address: [],
        email: '',
        country: '',
        language: 'en',
      }),
      corrects: null,
      reason: null,
    })
    .execute();
  return id;
}

/** The target partner's webhook endpoint (a loopback URL: deliveries to it fail at once, by the address rule). */
async function webhookOf(f: Fill): Promise<string> {
  if (f.phantom) return phantomId(f, 'webhook');
  const db = f.world.handle.db;
  const found = await db
    .selectFrom('webhook_endpoints')
    .select('id')
    .where('partner_id', '=', f.target.partnerId)
    .orderBy('created_at')
    .executeTakeFirst();
  if (found) return found.id;
  const id = randomUUID();
  await db
    .insertInto('webhook_endpoints')
    .values({
      id,
      partner_id: f.target.partnerId,
      url: 'https://127.0.0.1:9/hooks',
      events: JSON.stringify(['commitment.refunded']),
      secret: `whsec_${Buffer.from(id).toString('base64')}`,
      updated_at: new Date(),
    })
    .execute();
  return id;
}

/** A delivery of that endpoint, queued for a past event (a far-future retry, so no worker takes it). */
async function webhookDeliveryOf(f: Fill): Promise<string> {
  if (f.phantom) return `msg_${phantomId(f, 'delivery').replaceAll('-', '')}`;
  const endpoint = await webhookOf(f);
  const db = f.world.handle.db;
  const found = await db
    .selectFrom('webhook_deliveries')
    .select('id')
    .where('endpoint_id', '=', endpoint)
    .executeTakeFirst();
  if (found) return found.id;
  const eventId = randomUUID();
  await db
    .insertInto('partner_events')
    .values({
      id: eventId,
      partner_id: f.target.partnerId,
      type: 'commitment.refunded',
      occurred_at: new Date(),
      data: JSON.stringify({}),
    })
    .execute();
  const id = `msg_${randomUUID().replaceAll('-', '')}`;
  await db
    .insertInto('webhook_deliveries')
    .values({
      id,
      endpoint_id: endpoint,
      event_id: eventId,
      partner_id: f.target.partnerId,
      next_attempt_at: new Date(Date.now() + 86_400_000),
    })
    .execute();
  return id;
}

interface Resolver {
  param: string;
  /** Applies only to routes whose url matches, and (if given) only to this method. */
  url?: RegExp;
  method?: Method;
  value: (f: Fill) => string | Promise<string>;
}

/** How each path parameter is filled; the first resolver that matches the route wins. */
const resolvers: Resolver[] = [
  // Webhook endpoints are the partner's (B1): the target's partner's own, created when missing.
  { param: 'id', url: /^\/api\/webhooks\//, value: webhookOf },
  { param: 'deliveryId', url: /^\/api\/webhooks\//, value: webhookDeliveryOf },
  // A resource group is named inside the subscription: the subscription decides whose it is.
  { param: 'resourceGroupName', url: /^\/subscriptions\//, value: () => 'rg-prod-web' },
  { param: 'id', url: /^\/v1\/selfservepolicy\//i, value: policyIdOf },
  { param: 'id', url: /\/roleDefinitions\/:id$/, value: () => roleDefinitionIds.Reader },
  // ARM addresses a subscription by its Azure subscription id.
  {
    param: 'subscriptionId',
    url: /^\/subscriptions\//,
    value: (f) => (f.phantom ? phantomId(f, 'entitlement') : f.target.entitlementId!),
  },
  // ARM purchase, step 2: the intruder tries to buy with the target's priced, unused order id.
  {
    param: 'orderId',
    url: /^\/providers\/Microsoft\.Capacity\/reservationOrders\/:orderId$/,
    method: 'PUT',
    value: armQuote,
  },
  // ARM commitments: the target's, bought by its customer owner (a customer names no customer).
  {
    param: 'orderId',
    url: /^\/providers\/Microsoft\.Capacity\//,
    value: (f) => armId(f, 'reservationOrderId'),
  },
  {
    param: 'reservationId',
    url: /^\/providers\/Microsoft\.Capacity\//,
    value: (f) => armId(f, 'reservationId'),
  },
  {
    param: 'orderId',
    url: /^\/providers\/Microsoft\.BillingBenefits\//,
    value: (f) => armId(f, 'savingsPlanOrderId'),
  },
  {
    param: 'planId',
    url: /^\/providers\/Microsoft\.BillingBenefits\//,
    value: (f) => armId(f, 'savingsPlanId'),
  },
  {
    param: 'alias',
    url: /\/savingsPlanOrderAliases\/:alias$/,
    value: (f) => (f.phantom ? `sp-${phantomId(f, 'alias')}` : f.target.arm.alias),
  },
  // Microsoft.Billing: the caller names its own billing account (its tenant id) and the customer.
  {
    param: 'billingAccount',
    url: /^\/providers\/Microsoft\.Billing\//,
    value: (f) => f.callerPartnerId,
  },
  { param: 'customerId', url: /^\/providers\/Microsoft\.Billing\//, value: customerId },
  // ARM role assignment names: a new GUID to create one, an existing one otherwise.
  { param: 'name', url: /\/roleAssignments\/:name$/, method: 'PUT', value: () => randomUUID() },
  { param: 'name', url: /\/roleAssignments\/:name$/, value: freshAssignment },
  // A fresh commitment per request: refund and exchange consume one.
  { param: 'commitmentId', url: /\/savings-plans\//, value: (f) => freshCommitment(f, 'savings-plans') },
  { param: 'commitmentId', value: (f) => freshCommitment(f, 'reservations') },
  { param: 'id', url: /^\/api\/my\/savings-plans\/:id/, value: (f) => freshCommitment(f, 'savings-plans') },
  { param: 'id', url: /^\/api\/my\/reservations\/:id/, value: (f) => freshCommitment(f, 'reservations') },
  { param: 'month', value: () => new Date().toISOString().slice(0, 7) },
  { param: 'invoiceId', value: freshInvoice },
  { param: 'id', url: /^\/api\/(my\/)?approvals\/:id/, value: freshApproval },
  // ARM's status of a held purchase (B2) is addressed by the approval's id.
  { param: 'operationId', url: /\/operationResults\/:operationId$/, value: freshApproval },
  { param: 'customerId', value: customerId },
  { param: 'id', url: /^\/(api|v1)\/customers\/:id/, value: customerId },
  {
    param: 'subscriptionId',
    value: (f) => (f.phantom ? phantomId(f, 'subscription') : f.target.subscriptionId),
  },
  { param: 'orderId', value: (f) => (f.phantom ? phantomId(f, 'order') : f.target.orderId) },
  // A fresh cart per request: checkout consumes one.
  {
    param: 'cartId',
    value: (f) =>
      f.phantom ? phantomId(f, 'cart') : createCart(f.world, f.target.partnerOwner, f.target.id),
  },
  { param: 'assignmentId', value: freshAssignment },
  { param: 'resource', value: () => 'AzureReservedInstances' },
  // A feed entry of the target partner's Admin agent about the target (its purchases and permissions emit).
  {
    param: 'id',
    url: /^\/api\/notifications\/:id/,
    value: async (f) => {
      if (f.phantom) return phantomId(f, 'notification');
      const row = await f.world.handle.db
        .selectFrom('notifications as n')
        .innerJoin('partner_events as e', 'e.id', 'n.event_id')
        .innerJoin('partner_users as u', 'u.id', 'n.partner_user_id')
        .select('n.id')
        .where('e.customer_id', '=', f.target.id)
        .where('u.email', '=', f.target.partnerOwner)
        .executeTakeFirstOrThrow();
      return row.id;
    },
  },
  { param: 'productId', value: () => reservation.productId },
  { param: 'skuId', value: () => reservation.skuId },
  { param: 'availabilityId', value: () => reservation.id },
];

/** Parameters that name shared catalog data, not anybody's tenant data. */
const catalogParams = new Set(['productId', 'skuId', 'availabilityId']);

const policyBody = (f: Fill) => ({
  selfServeEntity: { selfServeEntityType: 'customer', tenantID: customerId(f) },
  grantor: { grantorType: 'billToPartner', tenantID: f.callerPartnerId },
  permissions: [{ resource: 'AzureReservedInstances', action: 'Purchase' }],
});

/** A customer price list equal to the demo's default markups, so later purchases cost the same. */
const demoPriceList = { markups: { usage: '0', reservations: '5', savingsPlans: '3', licences: '10' } };

/** Request bodies of write routes; a customer-scoped write route missing here fails the suite. */
const costQuery = () => ({
  type: 'ActualCost',
  timeframe: 'MonthToDate',
  dataset: {
    granularity: 'Daily',
    aggregation: { totalCost: { name: 'PreTaxCost', function: 'Sum' } },
    grouping: [{ type: 'Dimension', name: 'ResourceGroup' }],
  },
});
const bodies: Record<string, (f: Fill) => unknown> = {
  'POST /subscriptions/:subscriptionId/providers/Microsoft.CostManagement/query': costQuery,
  'POST /subscriptions/:subscriptionId/resourceGroups/:resourceGroupName/providers/Microsoft.CostManagement/query':
    costQuery,
  'POST /v1/customers/:customerId/carts': () => ({ lineItems: [licenceLine(1)] }),
  'PUT /v1/customers/:customerId/carts/:cartId': () => ({ lineItems: [licenceLine(7)] }),
  'POST /v1/customers/:customerId/carts/:cartId/checkout': () => undefined,
  'PUT /api/customers/:id/permissions/:resource': () => ({ allowed: true }),
  'POST /api/notifications/:id/read': () => undefined,
  'PUT /v1/SelfServePolicy/:id': policyBody,
  'DELETE /v1/SelfServePolicy/:id': () => undefined,
  'POST /api/customers/:id/subscriptions/:subscriptionId/role-assignments': (f) => ({
    userId: f.phantom ? phantomId(f, 'user') : f.target.assignableUserId,
    role: 'Contributor',
  }),
  'DELETE /api/customers/:id/subscriptions/:subscriptionId/role-assignments/:assignmentId': () => undefined,
  'PUT /subscriptions/:subscriptionId/providers/Microsoft.Authorization/roleAssignments/:name': (f) => ({
    properties: {
      roleDefinitionId: `/subscriptions/${f.target.entitlementId}/providers/Microsoft.Authorization/roleDefinitions/${roleDefinitionIds.Contributor}`,
      principalId: f.phantom ? phantomId(f, 'user') : f.target.assignableUserId,
    },
  }),
  'DELETE /subscriptions/:subscriptionId/providers/Microsoft.Authorization/roleAssignments/:name': () =>
    undefined,
  'POST /api/customers/:id/reservations': (f) => reservationBody(f),
  'POST /api/customers/:id/savings-plans': savingsPlanBody,
  'PATCH /api/customers/:id/reservations/:commitmentId': () => ({
    displayName: 'Renamed by the isolation suite',
  }),
  'PATCH /api/customers/:id/savings-plans/:commitmentId': () => ({
    displayName: 'Renamed by the isolation suite',
  }),
  'POST /api/customers/:id/reservations/:commitmentId/refund-quote': () => undefined,
  'POST /api/customers/:id/reservations/:commitmentId/refund': () => ({ reason: 'isolation suite' }),
  'POST /api/customers/:id/reservations/:commitmentId/exchange': (f) => reservationBody(f, 'Standard_D4s_v3'),
  'PUT /api/customers/:id/price-list': () => demoPriceList,
  'POST /api/customers/:id/price-list/preview': () => demoPriceList,
  'POST /api/customers/:id/reservations/:commitmentId/exchange-quote': (f) =>
    reservationBody(f, 'Standard_D4s_v3'),
  'POST /api/customers/:id/invoices/:invoiceId/credit-note': () => ({ reason: 'isolation suite' }),
  'PUT /api/customers/:id/tax': () => ({ taxRate: '11', taxName: 'PPN' }),
  'PUT /api/customers/:id/cost-management': () => ({ enabled: true }),
  'POST /api/customers/:id/what-if': whatIfBody,
  'PUT /api/customers/:id/guardrails': () => ({
    monthlyLimit: { amount: '1000000', currency: 'USD' },
    approvalThreshold: null,
  }),
  'POST /api/approvals/:id/approve': () => undefined,
  'POST /api/approvals/:id/decline': () => ({ reason: 'isolation suite' }),
  'POST /api/my/approvals/:id/confirm': () => ({ total: '1.00' }),
  'PUT /providers/Microsoft.Billing/billingAccounts/:billingAccount/customers/:customerId/policies/default':
    () => ({ properties: { viewCharges: 'Allowed' } }),
  'PATCH /api/my/reservations/:id': () => ({ displayName: 'Renamed by its owner' }),
  'PATCH /api/my/savings-plans/:id': () => ({ displayName: 'Renamed by its owner' }),
  'POST /api/my/reservations/:id/refund': () => undefined,
  'POST /api/my/reservations/:id/exchange': () => undefined,
  'POST /api/my/reservations/:id/cancel': () => undefined,
  'POST /api/my/savings-plans/:id/refund': () => undefined,
  'POST /api/my/savings-plans/:id/exchange': () => undefined,
  'POST /api/my/savings-plans/:id/cancel': () => undefined,
  'PUT /providers/Microsoft.Capacity/reservationOrders/:orderId': (f) => armReservationBody(billingScope(f)),
  'PATCH /providers/Microsoft.Capacity/reservationOrders/:orderId/reservations/:reservationId': () => ({
    properties: { name: 'Renamed by its owner' },
  }),
  // Refused to customers (R12), but only after the order is found among the caller's.
  'POST /providers/Microsoft.Capacity/reservationOrders/:orderId/calculateRefund': (f) => ({
    id: `/providers/microsoft.capacity/reservationOrders/${armId(f, 'reservationOrderId')}`,
    properties: {
      scope: 'Reservation',
      reservationToReturn: { reservationId: armReservationRef(f), quantity: 1 },
    },
  }),
  'POST /providers/Microsoft.Capacity/reservationOrders/:orderId/return': (f) => ({
    properties: {
      sessionId: randomUUID(),
      scope: 'Reservation',
      reservationToReturn: { reservationId: armReservationRef(f), quantity: 1 },
      returnReason: 'isolation suite',
    },
  }),
  'POST /providers/Microsoft.Capacity/reservationOrders/:orderId/split': (f) => ({
    properties: { quantities: [1, 1], reservationId: armReservationRef(f) },
  }),
  'POST /providers/Microsoft.Capacity/reservationOrders/:orderId/merge': (f) => ({
    properties: { sources: [armReservationRef(f), armReservationRef(f)] },
  }),
  'PUT /providers/Microsoft.BillingBenefits/savingsPlanOrderAliases/:alias': (f) =>
    armSavingsPlanBody(billingScope(f)),
  'PATCH /providers/Microsoft.BillingBenefits/savingsPlanOrders/:orderId/savingsPlans/:planId': () => ({
    properties: { displayName: 'Renamed by its owner' },
  }),
  // The partner's own jobs (R20).
  'POST /api/customers/:id/users': () => ({
    email: `isolation-${randomUUID()}@isolation.example`,
    displayName: 'Isolation probe',
  }),
  'PATCH /api/customers/:id/billing-profile': () => ({ phone: '+62 21 555 0199' }),
  'POST /api/customers/:id/azure-plan': () => ({ friendlyName: 'Isolation suite' }),
  'PATCH /api/webhooks/:id': () => ({ description: 'Isolation suite' }),
  'DELETE /api/webhooks/:id': () => undefined,
  'POST /api/webhooks/:id/rotate-secret': () => undefined,
  'POST /api/webhooks/:id/test': () => undefined,
  'POST /api/webhooks/:id/deliveries/:deliveryId/replay': () => undefined,
  'POST /api/customers/:id/reservations/quote': (f) => reservationBody(f),
  'POST /api/customers/:id/savings-plans/quote': savingsPlanBody,
};

/** Routes without a customer in the path that name one in the query or the body. */
const namedInRequest: Record<string, (f: Fill) => { url: string; payload?: unknown }> = {
  'GET /v1/SelfServePolicy': (f) => ({ url: `/v1/SelfServePolicy?entity_id=${customerId(f)}` }),
  'POST /v1/SelfServePolicy': (f) => ({ url: '/v1/SelfServePolicy', payload: policyBody(f) }),
  'PUT /v1/SelfServePolicy': (f) => ({
    url: '/v1/SelfServePolicy',
    payload: { ...policyBody(f), id: policyIdOf(f) },
  }),
  // A customer user's purchase names the Azure subscription that pays.
  'POST /api/my/reservations': (f) => ({ url: '/api/my/reservations', payload: reservationBody(f) }),
  'POST /api/my/reservations/quote': (f) => ({
    url: '/api/my/reservations/quote',
    payload: reservationBody(f),
  }),
  'POST /api/my/savings-plans': (f) => ({ url: '/api/my/savings-plans', payload: savingsPlanBody(f) }),
  'POST /api/my/savings-plans/quote': (f) => ({
    url: '/api/my/savings-plans/quote',
    payload: savingsPlanBody(f),
  }),
  // A what-if's candidates name the subscription that would pay, as purchases do.
  'POST /api/my/what-if': (f) => ({ url: '/api/my/what-if', payload: whatIfBody(f) }),
  'POST /api/permissions/bulk': (f) => ({
    url: '/api/permissions/bulk',
    payload: { items: [{ customerId: customerId(f), resource: 'AzureReservedInstances', allowed: false }] },
  }),
  // ARM: the customer comes from the caller's token; the body names the Azure subscription that pays.
  'POST /providers/Microsoft.Capacity/calculatePrice': (f) => ({
    url: armUrl('/providers/Microsoft.Capacity/calculatePrice'),
    payload: armReservationBody(billingScope(f)),
  }),
  'POST /providers/Microsoft.BillingBenefits/validate': (f) => ({
    url: armUrl('/providers/Microsoft.BillingBenefits/validate'),
    payload: { benefits: [armSavingsPlanBody(billingScope(f))] },
  }),
  // An exchange names the reservation to return; refused to customers (R12) whoever's it is.
  'POST /providers/Microsoft.Capacity/calculateExchange': (f) => ({
    url: armUrl('/providers/Microsoft.Capacity/calculateExchange'),
    payload: {
      properties: {
        reservationsToExchange: [{ reservationId: armReservationRef(f), quantity: 1 }],
        reservationsToPurchase: [armReservationBody(billingScope(f))],
      },
    },
  }),
};

/** Parameterless routes that name no customer, each with the reason it cannot leak one. */
const parameterless: Record<string, string> = {
  'POST /api/session': 'signs in; answers the caller only',
  'DELETE /api/session': "signs out the caller's own session",
  'GET /api/me': 'the caller only',
  'GET /api/notifications': "the caller's own feed: test/notifications/feed.test.ts",
  'GET /api/notifications/unread-count': "the caller's own feed: test/notifications/feed.test.ts",
  'POST /api/notifications/read-all': "marks the caller's own feed read: test/notifications/feed.test.ts",
  'GET /api/notification-preferences': "the caller's own choices: test/notifications/email.test.ts",
  'PUT /api/notification-preferences': "the caller's own choices: test/notifications/email.test.ts",
  'GET /api/alert-settings': "the caller's own partner's settings: test/alerts/alerts.test.ts",
  'PUT /api/alert-settings': "the caller's own partner's settings: test/alerts/alerts.test.ts",
  'GET /api/customers': 'list: checked below',
  'GET /api/activity': 'list: checked below',
  'GET /api/prices': "the caller's own price list",
  'GET /api/costs':
    "the caller's own partner's customers only: checked in test/cost-management/partner-costs.test.ts",
  'GET /api/price-list/default': "the caller's own partner's default price list: checked below",
  'PUT /api/price-list/default': "saves the caller's own partner's default price list: checked below",
  'POST /api/price-list/default/preview': "previews the caller's own partner's default list; saves nothing",
  'PUT /api/price-list/settings': "the caller's own partner's setting: checked below",
  'POST /api/applications': "registers an application in the caller's own partner",
  'GET /api/webhooks': "the caller's own partner's webhook endpoints (test/webhooks/webhooks.test.ts)",
  'POST /api/webhooks': "registers a webhook endpoint of the caller's own partner",
  'GET /api/my/subscriptions': 'customer portal list: checked below',
  'GET /api/my/invoices': "the caller's own customer's issued invoices",
  'GET /api/exports/focus': 'names its customer in the query: checked below',
  'GET /api/my/exports/focus': "the caller's own customer's subscriptions only: checked below",
  'GET /api/approvals':
    "the caller's own partner's approvals only: checked in test/guardrails/guardrails.test.ts",
  'GET /api/my/approvals': "the caller's own customer's held purchases only",
  'GET /api/my/costs':
    "the caller's own subscriptions with a role (another's subscriptionId is not found: test/cost-management)",
  'POST /api/invoices/issue': "closes a month of the caller's own partner: its customers only",
  'POST /api/rates/import': "the caller's own partner's exchange rates (scoped to it)",
  'POST /api/usage/imports': "usage of the caller's own partner's customers only: checked below",
  'GET /v1/customers': 'list: checked below',
  'POST /v1/customers': "creates a customer of the caller's own partner",
  'POST /api/customers': "creates a customer (and its first user) of the caller's own partner",
  'GET /v1/products': 'shared catalog',
  'GET /v1/auditrecords': 'list: checked below',
  'GET /api/my/reservation-catalog': "shared catalog at the caller's own prices",
  'GET /api/my/reservations': "the caller's own customer's list: checked below",
  'GET /api/my/savings-plans': "the caller's own customer's list: checked below",
  'GET /providers/Microsoft.Capacity/reservationOrders': "the caller's own customer's list: checked below",
  'GET /providers/Microsoft.Capacity/reservations': "the caller's own customer's list: checked below",
  'GET /providers/Microsoft.BillingBenefits/savingsPlanOrders':
    "the caller's own customer's list: checked below",
  'GET /providers/Microsoft.BillingBenefits/savingsPlans': "the caller's own customer's list: checked below",
  'GET /providers/Microsoft.Billing/billingAccounts': "the caller's own partner's billing account only",
  'POST /providers/Microsoft.Capacity/exchange':
    'refused to every customer user (R12); names only the session id of its own calculateExchange',
};

/** Routes outside the API dialects: operations, token endpoint, the API reference. */
const outsideApi = [
  /^\/healthz$/,
  /^\/readyz$/,
  /^\/metrics$/,
  /^\/oauth2\/token$/,
  /^\/openapi\.json$/,
  /^\/docs/,
  /^\/assets\//,
  // The `mitra` command's routes: no user or application passes their policy, whatever its tenant
  // (test/security/operator-routes.test.ts); they act for the whole installation.
  /^\/api\/cli\//,
];

/** How the routes differ from "404 for an intruder"; `ghost` is the answer for a customer that does not exist. */
const intruderAnswers: Record<string, (res: LightMyRequestResponse, ghost: LightMyRequestResponse) => void> =
  {
    // Bulk answers 200 with one result per item; another partner's customer is "not found" there.
    'POST /api/permissions/bulk': (res) => {
      expect(res.statusCode, summarize(res)).toBe(200);
      const body = res.json();
      expect(body.summary, summarize(res)).toMatchObject({ done: 0, refused: body.summary.total });
      for (const r of body.results)
        expect(r, summarize(res)).toMatchObject({ status: 'refused', code: 'customer-not-found' });
    },
    // Validation answers 200 with one verdict per plan; another customer's subscription is not eligible,
    // for the same reason as one that does not exist.
    'POST /providers/Microsoft.BillingBenefits/validate': (res, ghost) => {
      expect(res.statusCode, summarize(res)).toBe(200);
      const verdicts = res.json().benefits as { valid: boolean; reasonCode?: string }[];
      expect(
        verdicts.map((v) => v.valid),
        summarize(res),
      ).toEqual([false]);
      expect(
        verdicts.map((v) => v.reasonCode),
        summarize(ghost),
      ).toEqual((ghost.json().benefits as { reasonCode?: string }[]).map((v) => v.reasonCode));
    },
    // ARM's purchase step 2 answers 400 CalculatePriceRequired for any order id the caller did not
    // price (as ARM does); the target's priced id is no different from one that was never priced.
    'PUT /providers/Microsoft.Capacity/reservationOrders/:orderId': (res) =>
      expectDialectError(res, 400, 'CalculatePriceRequired'),
    // Refused to every customer user before anything is looked up (R12).
    'POST /providers/Microsoft.Capacity/calculateExchange': (res) =>
      expectDialectError(res, 403, 'PartnerActionRequired'),
  };

/** A purchase naming another customer's subscription is refused (the loop compares it with a non-existent one). */
const refusedPurchase = (res: LightMyRequestResponse) => {
  expect([400, 403, 404], summarize(res)).toContain(res.statusCode);
  expectDialectError(res, res.statusCode);
};
for (const k of [
  'POST /api/my/reservations',
  'POST /api/my/reservations/quote',
  'POST /api/my/savings-plans',
  'POST /api/my/savings-plans/quote',
  'POST /providers/Microsoft.Capacity/calculatePrice',
  'PUT /providers/Microsoft.BillingBenefits/savingsPlanOrderAliases/:alias',
  'POST /api/my/what-if',
]) {
  intruderAnswers[k] = refusedPurchase;
}

/** Routes whose owner does not get a 2xx either: customers may not refund, exchange or cancel (R12). */
const ownerAnswers: Record<string, (res: LightMyRequestResponse) => void> = {};
for (const path of ['reservations', 'savings-plans']) {
  for (const action of ['refund', 'exchange', 'cancel']) {
    ownerAnswers[`POST /api/my/${path}/:id/${action}`] = (res) =>
      expectDialectError(res, 403, 'partner-action-required');
  }
}
for (const k of [
  'POST /providers/Microsoft.Capacity/reservationOrders/:orderId/calculateRefund',
  'POST /providers/Microsoft.Capacity/reservationOrders/:orderId/return',
  'POST /providers/Microsoft.Capacity/reservationOrders/:orderId/split',
  'POST /providers/Microsoft.Capacity/reservationOrders/:orderId/merge',
  'POST /providers/Microsoft.Capacity/calculateExchange',
]) {
  ownerAnswers[k] = (res) => expectDialectError(res, 403, 'PartnerActionRequired');
}
// Both targets have their Azure plan already: found, and refused for that reason (one per customer).
ownerAnswers['POST /api/customers/:id/azure-plan'] = (res) =>
  expectDialectError(res, 409, 'azure-plan-exists');
// The owner's own subscription is eligible (both purchase permissions are on).
ownerAnswers['POST /providers/Microsoft.BillingBenefits/validate'] = (res) => {
  expect(res.statusCode, summarize(res)).toBe(200);
  expect(res.json().benefits, summarize(res)).toEqual([{ valid: true }]);
};

// A fresh approval is pending: only one whose price moved is confirmed again (B2).
ownerAnswers['POST /api/my/approvals/:id/confirm'] = (res) =>
  expectDialectError(res, 409, 'approval-not-awaiting-confirmation');

/** State the target's owner needs for a 2xx; the default is "both purchase permissions are on". */
/** The target's own users see costs once its partner enables cost management (R17). */
async function ensureCostManagement(world: TestWorld, t: Target) {
  const res = await world.app.inject({
    method: 'PUT',
    url: `/api/customers/${t.id}/cost-management`,
    headers: await world.as(t.partnerOwner),
    payload: { enabled: true },
  });
  expect(res.statusCode, summarize(res)).toBe(200);
}
const prepare: Record<string, (world: TestWorld, t: Target) => Promise<void>> = {
  'POST /subscriptions/:subscriptionId/providers/Microsoft.CostManagement/query': ensureCostManagement,
  'POST /subscriptions/:subscriptionId/resourceGroups/:resourceGroupName/providers/Microsoft.CostManagement/query':
    ensureCostManagement,
  'POST /v1/SelfServePolicy': async (world, t) => {
    await world.handle.db.deleteFrom('self_serve_policies').where('customer_id', '=', t.id).execute();
  },
};
async function ensurePermission(world: TestWorld, t: Pick<Target, 'id' | 'partnerOwner'>) {
  for (const resource of ['AzureReservedInstances', 'AzureSavingsPlan']) {
    const res = await world.app.inject({
      method: 'PUT',
      url: `/api/customers/${t.id}/permissions/${resource}`,
      headers: await world.as(t.partnerOwner),
      payload: { allowed: true },
    });
    expect(res.statusCode, summarize(res)).toBe(200);
  }
}

/** The suite does not know how to address a route yet; the coverage test names it, the others skip it. */
class Uncovered extends Error {}

const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
/** HEAD is answered by its GET route: same addressing. */
const baseKey = (r: RoutePolicy) => key({ method: r.method === 'HEAD' ? 'GET' : r.method, url: r.url });
const paramsOf = (url: string) => [...url.matchAll(/:(\w+)/g)].map((m) => m[1]);
const isApi = (r: RoutePolicy) => !outsideApi.some((re) => re.test(r.url));
const customerScopedByPath = (r: RoutePolicy) => paramsOf(r.url).some((p) => !catalogParams.has(p));
const customerScoped = (r: RoutePolicy) => customerScopedByPath(r) || baseKey(r) in namedInRequest;

function resolverFor(route: RoutePolicy, param: string) {
  return resolvers.find(
    (r) => r.param === param && (!r.url || r.url.test(route.url)) && (!r.method || r.method === route.method),
  );
}

/** The request for a route, filled for a target (or its phantom); throws on what it cannot fill. */
async function fill(route: RoutePolicy, f: Fill): Promise<{ url: string; payload: unknown }> {
  const special = namedInRequest[baseKey(route)];
  if (special) {
    const { url, payload } = special(f);
    return { url, payload: route.method === 'HEAD' ? undefined : payload };
  }
  let url = route.url;
  for (const param of paramsOf(route.url)) {
    const resolver = resolverFor(route, param);
    // ARM provider routes name their own resources: only resolvers written for them apply.
    if (resolver && !resolver.url && route.url.startsWith('/providers/')) {
      throw new Uncovered(
        `${key(route)}: no resolver for :${param} under /providers/; teach \`resolvers\` in tenant-isolation.test.ts`,
      );
    }
    if (!resolver)
      throw new Uncovered(
        `${key(route)}: no resolver for :${param}; teach \`resolvers\` in tenant-isolation.test.ts`,
      );
    url = url.replace(`:${param}`, encodeURIComponent(await resolver.value(f)));
  }
  if (url.includes('/products')) url += '?country=US';
  if (/\/providers\/Microsoft\.(Capacity|BillingBenefits)\//.test(url)) url = armUrl(url);
  else if (url.startsWith('/providers/Microsoft.Billing/')) url += '?api-version=2020-05-01';
  else if (/\/providers\/Microsoft\.CostManagement\//.test(url)) url += '?api-version=2022-10-01';
  else if (url.startsWith('/subscriptions/') || url.startsWith('/providers/'))
    url += '?api-version=2022-04-01';
  let payload: unknown;
  if (!['GET', 'HEAD'].includes(route.method)) {
    const body = bodies[key(route)];
    if (!body)
      throw new Uncovered(
        `${key(route)}: no request body; add one to \`bodies\` in tenant-isolation.test.ts`,
      );
    payload = body(f);
  }
  return { url, payload };
}

/** Everything of the target's partner a request could change, and any record naming the target. */
async function fingerprint(world: TestWorld, t: Target) {
  const like = `%${t.id}%`;
  const { rows } = await sql<Record<string, string | null>>`
    select
      (select string_agg(id::text || status || line_items::text || updated_at::text, ',' order by id) from carts where partner_id = ${t.partnerId}) as carts,
      (select count(*)::text from orders where partner_id = ${t.partnerId}) as orders,
      (select string_agg(id::text || status || quantity::text, ',' order by id) from subscriptions where partner_id = ${t.partnerId}) as subscriptions,
      (select string_agg(ra.id::text || ra.role, ',' order by ra.id) from role_assignments ra join subscriptions s on s.id = ra.subscription_id where s.partner_id = ${t.partnerId}) as roles,
      (select string_agg(customer_id::text || permissions::text || etag::text, ',' order by customer_id) from self_serve_policies where partner_id = ${t.partnerId}) as policies,
      (select string_agg(id::text || status || display_name || renew::text || applied_scope_type, ',' order by id) from commitments where partner_id = ${t.partnerId}) as commitments,
      (select string_agg(id::text || coalesce(used_by::text, '-'), ',' order by id) from price_quotes where customer_id = ${t.id}) as quotes,
      (select string_agg(key || coalesce(result::text, '-'), ',' order by key) from idempotency_keys where scope = ${`purchase:${t.id}`}) as purchase_keys,
      (select count(*)::text from ledger_entries where partner_id = ${t.partnerId}) as ledger,
      (select count(*)::text from price_list_versions where partner_id = ${t.partnerId}) as price_lists,
      (select show_retail_to_customers::text from partners where id = ${t.partnerId}) as retail_shown,
      (select count(*)::text from audit_records where partner_id = ${t.partnerId}) as partner_audit,
      (select count(*)::text from audit_records where customer_id = ${t.id} or resource_new_value like ${like} or customized_data::text like ${like}) as target_audit,
      (select string_agg(id::text || url || enabled::text || secret || description || events::text, ',' order by id) from webhook_endpoints where partner_id = ${t.partnerId}) as webhooks,
      (select count(*)::text from webhook_attempts a join webhook_deliveries d on d.id = a.delivery_id where d.partner_id = ${t.partnerId}) as webhook_attempts,
      (select count(*)::text from customers) as customers,
      (select string_agg(md5(c::text), ',' order by c.id) from customers c where c.partner_id = ${t.partnerId}) as customer_rows,
      (select string_agg(cu.id::text || cu.email, ',' order by cu.id) from customer_users cu join customers c on c.id = cu.customer_id where c.partner_id = ${t.partnerId}) as customer_users`.execute(
    world.handle.db,
  );
  return rows[0];
}

function expectNoLeak(res: LightMyRequestResponse, t: Target) {
  for (const secret of t.secrets)
    expect(res.body.toLowerCase(), `${summarize(res)}: mentions ${secret}`).not.toContain(
      secret.toLowerCase(),
    );
}

// Actors to ask a policy whether it admits a kind of caller at all.
const anyone = { userId: 'x', partnerId: 'x', email: 'x', customerId: 'x', applicationId: null };
const probe = {
  customer: { ...anyone, kind: 'customer_user' } as Actor,
  partnerAdmin: { ...anyone, kind: 'partner_user', roles: ['admin_agent'] } as Actor,
};
const admits = (route: RoutePolicy, actor: Actor) => (policies[route.policy!] as Policy).allows(actor);

describe.each(databaseKinds)('tenant isolation on %s', (kind) => {
  let world: TestWorld;
  let fabrikam: Target;
  let adatum: Target;
  let contosoCustomers: string[];
  let apps: { contoso: Record<string, string>; litware: Record<string, string> };
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

  const userId = async (email: string) =>
    (
      await world.handle.db
        .selectFrom('customer_users')
        .select('id')
        .where('email', '=', email)
        .executeTakeFirstOrThrow()
    ).id;

  beforeAll(async () => {
    world = await demoWorld(kind);
    const me = async (email: string) =>
      (await world.app.inject({ method: 'GET', url: '/api/me', headers: await world.as(email) })).json()
        .tenant.id;
    partnerIds = { contoso: await me(users.admin), litware: await me(users.litwareAdmin) };
    /** Both purchase permissions on, then a reservation and a savings plan its owner buys through ARM. */
    const withArmPurchases = async (t: Omit<Target, 'arm'>): Promise<Target> => {
      await ensurePermission(world, t);
      return { ...t, arm: await buyThroughArm(world, t.customerOwner, t.entitlementId!) };
    };
    fabrikam = await withArmPurchases({
      ...(await customerIds(world, users.admin, 'Fabrikam')),
      partnerId: partnerIds.contoso,
      partnerOwner: users.admin,
      customerOwner: users.fabrikamOwner,
      assignableUserId: await userId(users.fabrikamReader),
      secrets: ['Fabrikam', 'Contoso'],
    });
    adatum = await withArmPurchases({
      ...(await customerIds(world, users.litwareAdmin, 'Adatum')),
      partnerId: partnerIds.litware,
      partnerOwner: users.litwareAdmin,
      customerOwner: users.adatumOwner,
      assignableUserId: await userId(users.adatumOwner),
      secrets: ['Adatum', 'Litware'],
    });
    const list = await world.app.inject({
      method: 'GET',
      url: '/api/customers',
      headers: await world.as(users.admin),
    });
    contosoCustomers = list.json().items.map((c: { id: string }) => c.id);
    apps = {
      contoso: await applicationHeaders(users.admin),
      litware: await applicationHeaders(users.litwareAdmin),
    };
  });
  afterAll(() => world.close());

  const routes = () => world.app.routePolicies.filter(isApi);

  it('knows how to address every route, or why it names no customer', async () => {
    const unknown: string[] = [];
    for (const route of routes()) {
      if (!customerScoped(route)) {
        if (paramsOf(route.url).length === 0 && !parameterless[baseKey(route)]) {
          unknown.push(
            `${key(route)}: names no customer in its path; add it to \`parameterless\` (with the reason) or \`namedInRequest\``,
          );
        }
        continue;
      }
      const f: Fill = { world, target: fabrikam, phantom: true, callerPartnerId: partnerIds.contoso };
      try {
        await fill(route, f);
      } catch (error) {
        unknown.push((error as Error).message);
      }
    }
    expect(unknown, 'routes the isolation suite cannot cover yet').toEqual([]);
    expect(routes().filter(customerScoped).length).toBeGreaterThan(25);
  });

  interface Direction {
    name: string;
    target: () => Target;
    intruder: () => Promise<Record<string, string>>;
    intruderPartner: () => string;
    /** Which side the routes are tried from: partner routes, or routes customer users may call. */
    side: 'partner' | 'customer';
    /** Whether the intruder must get exactly 404; an application may instead be refused for what it is. */
    strict404: boolean;
  }

  const directions: Direction[] = [
    {
      name: "Litware's Admin agent → Contoso's Fabrikam",
      target: () => fabrikam,
      intruder: () => world.as(users.litwareAdmin),
      intruderPartner: () => partnerIds.litware,
      side: 'partner',
      strict404: true,
    },
    {
      name: "Litware's application → Contoso's Fabrikam",
      target: () => fabrikam,
      intruder: async () => apps.litware,
      intruderPartner: () => partnerIds.litware,
      side: 'partner',
      strict404: false,
    },
    {
      name: "Contoso's Admin agent → Litware's Adatum",
      target: () => adatum,
      intruder: () => world.as(users.admin),
      intruderPartner: () => partnerIds.contoso,
      side: 'partner',
      strict404: true,
    },
    {
      name: "Contoso's application → Litware's Adatum",
      target: () => adatum,
      intruder: async () => apps.contoso,
      intruderPartner: () => partnerIds.contoso,
      side: 'partner',
      strict404: false,
    },
    {
      name: "Adatum's Owner → Fabrikam",
      target: () => fabrikam,
      intruder: () => world.as(users.adatumOwner),
      intruderPartner: () => partnerIds.litware,
      side: 'customer',
      strict404: true,
    },
    {
      name: "Tailspin's Owner (same partner) → Fabrikam",
      target: () => fabrikam,
      intruder: () => world.as(users.tailspinOwner),
      intruderPartner: () => partnerIds.contoso,
      side: 'customer',
      strict404: true,
    },
    {
      name: "Fabrikam's Owner → Adatum",
      target: () => adatum,
      intruder: () => world.as(users.fabrikamOwner),
      intruderPartner: () => partnerIds.contoso,
      side: 'customer',
      strict404: true,
    },
  ];

  it.each(directions)(
    '$name: every customer-scoped route answers not-found, the same as for no customer, and changes nothing',
    async (d) => {
      const t = d.target();
      const intruderHeaders = await d.intruder();
      const ownerHeaders = await world.as(d.side === 'partner' ? t.partnerOwner : t.customerOwner);
      const scoped = routes().filter(
        (r) => customerScoped(r) && admits(r, d.side === 'partner' ? probe.partnerAdmin : probe.customer),
      );
      expect(scoped.length).toBeGreaterThan(0);
      const failures: string[] = [];
      for (const route of scoped) {
        const method = route.method as Method;
        await (prepare[baseKey(route)] ?? ensurePermission)(world, t);
        let real: Awaited<ReturnType<typeof fill>>;
        let phantom: Awaited<ReturnType<typeof fill>>;
        try {
          real = await fill(route, {
            world,
            target: t,
            phantom: false,
            callerPartnerId: d.intruderPartner(),
          });
          phantom = await fill(route, {
            world,
            target: t,
            phantom: true,
            callerPartnerId: d.intruderPartner(),
          });
        } catch (error) {
          // Named by the coverage test above; every other route is still checked here.
          if (error instanceof Uncovered) continue;
          failures.push(`${key(route)}: could not prepare the request: ${(error as Error).message}`);
          continue;
        }

        const before = await fingerprint(world, t);
        const res = await world.app.inject({
          method,
          url: real.url,
          headers: { ...intruderHeaders, 'idempotency-key': randomUUID() },
          payload: real.payload as object,
        });
        const after = await fingerprint(world, t);
        const ghost = await world.app.inject({
          method,
          url: phantom.url,
          headers: { ...intruderHeaders, 'idempotency-key': randomUUID() },
          payload: phantom.payload as object,
        });
        const label = `${key(route)} → ${summarize(res)}`;
        try {
          expect(after, 'the intruder changed the target').toEqual(before);
          expect(res.statusCode, 'no server errors').toBeLessThan(500);
          // No oracle: the target answers exactly like a customer that does not exist.
          expect(
            [res.statusCode, errorCodeOf(res)],
            `differs from a non-existent customer (${summarize(ghost)})`,
          ).toEqual([ghost.statusCode, errorCodeOf(ghost)]);
          const override = d.strict404 ? intruderAnswers[baseKey(route)] : undefined;
          if (override) override(res, ghost);
          else {
            expect(res.statusCode, 'a success for the intruder').not.toBeLessThan(300);
            if (d.strict404) expect(res.statusCode, 'not 404').toBe(404);
            else expect([403, 404], 'neither 404 nor a refusal of the caller kind').toContain(res.statusCode);
          }
          if (method !== 'HEAD' && res.statusCode >= 400) expectDialectError(res, res.statusCode);
          expectNoLeak(res, t);
        } catch (error) {
          failures.push(`${label}\n    ${(error as Error).message.split('\n')[0]}`);
        }

        await (prepare[baseKey(route)] ?? ensurePermission)(world, t);
        let retry: Awaited<ReturnType<typeof fill>>;
        try {
          retry = await fill(route, { world, target: t, phantom: false, callerPartnerId: t.partnerId });
        } catch (error) {
          failures.push(`${key(route)}: could not prepare the owner's request: ${(error as Error).message}`);
          continue;
        }
        const own = await world.app.inject({
          method,
          url: retry.url,
          headers: { ...ownerHeaders, 'idempotency-key': randomUUID() },
          payload: retry.payload as object,
        });
        const expected = ownerAnswers[baseKey(route)];
        try {
          if (expected) expected(own);
          else expect(own.statusCode, 'not a 2xx').toBeGreaterThanOrEqual(200);
          if (!expected) expect(own.statusCode, 'not a 2xx').toBeLessThan(300);
        } catch {
          failures.push(`the target's own ${d.side}: ${key(route)} → ${summarize(own)}`);
        }
      }
      expect(failures).toEqual([]);
    },
  );

  it('the shared catalog answers both partners alike', async () => {
    const catalogRoutes = routes().filter(
      (r) => r.method === 'GET' && paramsOf(r.url).length > 0 && !customerScoped(r),
    );
    expect(catalogRoutes.length).toBeGreaterThanOrEqual(5);
    for (const route of catalogRoutes) {
      const { url } = await fill(route, {
        world,
        target: fabrikam,
        phantom: false,
        callerPartnerId: partnerIds.contoso,
      });
      const a = await world.app.inject({ method: 'GET', url, headers: await world.as(users.admin) });
      const b = await world.app.inject({ method: 'GET', url, headers: await world.as(users.litwareAdmin) });
      expect(a.statusCode, url).toBe(200);
      expect(b.statusCode, url).toBe(200);
      expect(b.json(), url).toEqual(a.json());
    }
  });

  it('a forged self-serve policy id (own partner, other partner’s customer) is not found either', async () => {
    await ensurePermission(world, fabrikam);
    const before = await fingerprint(world, fabrikam);
    const forged = `${partnerIds.litware}_${fabrikam.id}`;
    const headers = await world.as(users.litwareAdmin);
    for (const method of ['GET', 'DELETE'] as const) {
      const res = await world.app.inject({ method, url: `/v1/SelfServePolicy/${forged}`, headers });
      expectDialectError(res, 404);
      expectNoLeak(res, fabrikam);
    }
    const put = await world.app.inject({
      method: 'PUT',
      url: `/v1/SelfServePolicy/${forged}`,
      headers,
      payload: policyBody({ world, target: fabrikam, phantom: false, callerPartnerId: partnerIds.litware }),
    });
    expectDialectError(put, 404);
    expect(await fingerprint(world, fabrikam)).toEqual(before);
  });

  it("a customer's users list holds that customer's users only, never another customer's", async () => {
    for (const [as, t] of [
      [users.admin, fabrikam],
      [users.litwareAdmin, adatum],
    ] as const) {
      const res = await world.app.inject({
        method: 'GET',
        url: `/api/customers/${t.id}/users`,
        headers: await world.as(as),
      });
      expect(res.statusCode, summarize(res)).toBe(200);
      const own = await world.handle.db
        .selectFrom('customer_users')
        .select('id')
        .where('customer_id', '=', t.id)
        .execute();
      expect((res.json().items as { id: string }[]).map((u) => u.id).sort()).toEqual(
        own.map((u) => u.id).sort(),
      );
      for (const other of [fabrikam, adatum].filter((o) => o !== t)) expectNoLeak(res, other);
    }
  });

  it('customer lists never show the other partner’s customers', async () => {
    const contoso = await world.as(users.admin);
    const litware = await world.as(users.litwareAdmin);
    const names = (items: { companyProfile?: { companyName: string }; companyName?: string }[]) =>
      items.map((c) => c.companyProfile?.companyName ?? c.companyName).sort();

    for (const [headers, expected] of [
      [contoso, ['Fabrikam', 'Northwind Traders', 'Tailspin Toys']],
      [apps.contoso, ['Fabrikam', 'Northwind Traders', 'Tailspin Toys']],
      [litware, ['Adatum']],
      [apps.litware, ['Adatum']],
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

  it('each partner reads and changes only its own default price list and retail setting', async () => {
    const contoso = await world.as(users.admin);
    const litware = await world.as(users.litwareAdmin);
    const read = (headers: Record<string, string>) =>
      world.app.inject({ method: 'GET', url: '/api/price-list/default', headers });
    const litwareBefore = await read(litware);
    expect(litwareBefore.statusCode, summarize(litwareBefore)).toBe(200);
    const nextYear = `${new Date().getUTCFullYear() + 1}-01-01`;
    const saved = await world.app.inject({
      method: 'PUT',
      url: '/api/price-list/default',
      headers: contoso,
      payload: { ...demoPriceList, effectiveFrom: nextYear },
    });
    expect(saved.statusCode, summarize(saved)).toBe(200);
    expect(saved.json().status).toBe('scheduled');
    expect((await read(contoso)).json().scheduled.map((v: { id: string }) => v.id)).toContain(
      saved.json().id,
    );
    const litwareAfter = await read(litware);
    expect(litwareAfter.json()).toEqual(litwareBefore.json());
    expect(litwareAfter.body).not.toContain(saved.json().id);

    // Contoso hides retail from its customers: Fabrikam stops seeing it, Litware's Adatum does not.
    const setting = (headers: Record<string, string>, showRetailToCustomers: boolean) =>
      world.app.inject({
        method: 'PUT',
        url: '/api/price-list/settings',
        headers,
        payload: { showRetailToCustomers },
      });
    expect((await setting(contoso, false)).json()).toEqual({ showRetailToCustomers: false });
    try {
      const catalog = async (email: string) =>
        (
          await world.app.inject({
            method: 'GET',
            url: '/api/my/reservation-catalog?region=eastus',
            headers: await world.as(email),
          })
        ).json().items[0].terms[0];
      expect(await catalog(users.fabrikamOwner)).not.toHaveProperty('retailUnitPrice');
      expect(await catalog(users.adatumOwner)).toHaveProperty('retailUnitPrice');
      expect((await read(litware)).json().showRetailToCustomers).toBe(true);
    } finally {
      await setting(contoso, true);
    }
  });

  it("a usage import naming the other partner's customer or subscription is refused like one that does not exist, and imports nothing", async () => {
    const count = async () =>
      (
        await world.handle.db
          .selectFrom('usage_records')
          .select(sql<number>`count(*)::int`.as('n'))
          .executeTakeFirstOrThrow()
      ).n;
    const before = await count();
    const mitraCsv = (customer: string, subscription: string) =>
      `customerId,subscriptionId,hour,resourceGroup,region,sku,quantity,paygUnitPrice\n${customer},${subscription},2026-11-01T10:00:00Z,rg,eastus,Standard_D2s_v3,1,0.1\n`;
    const focusCsv = (subscription: string) =>
      `ChargeCategory,ChargePeriodStart,ChargePeriodEnd,SubAccountId,ConsumedQuantity,ListUnitPrice,BillingCurrency,RegionId,x_SkuMeterCategory,x_SkuMeterName\nUsage,2026-11-01T10:00:00Z,2026-11-01T11:00:00Z,/subscriptions/${subscription},1,0.1,USD,eastus,Virtual Machines,D2s v3\n`;
    const ghost = '0e0e0e0e-0000-4000-8000-00000000beef';
    const post = async (as: string, body: string) =>
      world.app.inject({
        method: 'POST',
        url: '/api/usage/imports',
        headers: { ...(await world.as(as)), 'content-type': 'text/csv' },
        payload: body,
      });
    for (const [as, target] of [
      [users.litwareAdmin, fabrikam],
      [users.admin, adatum],
    ] as const) {
      const real = await post(as, mitraCsv(target.id, target.entitlementId!));
      const missing = await post(as, mitraCsv(ghost, ghost));
      expect(real.statusCode, summarize(real)).toBe(400);
      expect(real.json()).toEqual(missing.json());
      expect(real.json().error.message).toMatch(/^Line 2, column customerId: not a customer of yours\./);
      const bySubscription = await post(as, focusCsv(target.entitlementId!));
      expect(bySubscription.json()).toEqual((await post(as, focusCsv(ghost))).json());
      expect(bySubscription.json().error.message).toMatch(
        /column SubAccountId: not an Azure subscription of a customer of yours/,
      );
      for (const res of [real, bySubscription]) expectNoLeak(res, target);
    }
    expect(await count()).toBe(before);
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
      expect(audit.body).not.toContain(other.id);
      expectNoLeak(audit, { ...other, secrets: [other.name] });

      const activity = await world.app.inject({ method: 'GET', url: '/api/activity?size=500', headers });
      expect(activity.statusCode).toBe(200);
      const items = activity.json().items as { customerId: string | null; beyondPartnerCenter: boolean }[];
      // Mitra's log is partner center's plus the customer's own savings plans (B3), never another's.
      expect(items.filter((i) => !i.beyondPartnerCenter).length).toBe(records.length);
      for (const r of items) if (r.customerId) expect(ownCustomers()).toContain(r.customerId);
      expect(activity.body).not.toContain(other.id);
      expectNoLeak(activity, { ...other, secrets: [other.name] });

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

  it('a customer user gets 403 on every partner route, even for its own customer, and changes nothing', async () => {
    const partnerRoutes = routes().filter(
      (r) => !policies[r.policy!].anonymous && !admits(r, probe.customer),
    );
    expect(partnerRoutes.length).toBeGreaterThan(30);
    for (const email of [users.fabrikamOwner, users.fabrikamReader]) {
      const headers = await world.as(email);
      for (const route of partnerRoutes) {
        const f: Fill = { world, target: fabrikam, phantom: false, callerPartnerId: partnerIds.contoso };
        // Refused callers are stopped before the body is read, so any object will do for unknown bodies.
        const { url, payload } = customerScoped(route)
          ? await fill(route, f)
          : { url: route.url, payload: route.method === 'GET' || route.method === 'HEAD' ? undefined : {} };
        const before = await fingerprint(world, fabrikam);
        const res = await world.app.inject({
          method: route.method as Method,
          url,
          headers,
          payload: payload as object,
        });
        if (route.method === 'HEAD') expect(res.statusCode, `${email} ${key(route)}`).toBe(403);
        else expectDialectError(res, 403, 'partner-user-required');
        expect(
          await fingerprint(world, fabrikam),
          `${email} ${route.method} ${url} changed the database`,
        ).toEqual(before);
      }
    }
  });

  it("a customer user's reservations and savings plans lists show only its own customer's", async () => {
    const bought: Record<string, string[]> = {};
    for (const t of [fabrikam, adatum]) {
      // Its partner's purchases, and its owner's own through ARM.
      bought[t.id] = [t.arm.reservationId, t.arm.savingsPlanId];
      for (const path of ['reservations', 'savings-plans'] as const) {
        bought[t.id].push(
          await freshCommitment({ world, target: t, phantom: false, callerPartnerId: t.partnerId }, path),
        );
      }
    }
    for (const [email, own, other] of [
      [users.fabrikamOwner, fabrikam, adatum],
      [users.fabrikamReader, fabrikam, adatum],
      [users.adatumOwner, adatum, fabrikam],
      [users.tailspinOwner, null, fabrikam],
    ] as const) {
      const headers = await world.as(email);
      const seen: string[] = [];
      for (const path of ['reservations', 'savings-plans']) {
        const res = await world.app.inject({ method: 'GET', url: `/api/my/${path}`, headers });
        expect(res.statusCode, summarize(res)).toBe(200);
        seen.push(...(res.json().items as { id: string }[]).map((c) => c.id));
      }
      for (const id of bought[other.id])
        expect(seen, `${email} sees ${other.name}'s ${id}`).not.toContain(id);
      if (own)
        for (const id of seen)
          expect(Object.values(bought).flat().includes(id) ? bought[own.id] : [id]).toContain(id);

      // The same lists through ARM, as the SDKs' list and listAll read them.
      const armLists: [string, keyof ArmIds][] = [
        ['/providers/Microsoft.Capacity/reservationOrders', 'reservationOrderId'],
        ['/providers/Microsoft.Capacity/reservations', 'reservationId'],
        ['/providers/Microsoft.BillingBenefits/savingsPlanOrders', 'savingsPlanOrderId'],
        ['/providers/Microsoft.BillingBenefits/savingsPlans', 'savingsPlanId'],
      ];
      for (const [path, shown] of armLists) {
        const res = await world.app.inject({ method: 'GET', url: armUrl(path), headers });
        expect(res.statusCode, summarize(res)).toBe(200);
        for (const id of [...bought[other.id], ...Object.values(other.arm)])
          expect(res.body, `${email} sees ${other.name}'s ${id} in ${path}`).not.toContain(id);
        expectNoLeak(res, { ...other, secrets: [other.name] });
        if (own) expect(res.body, `${email}'s own ${shown} in ${path}`).toContain(own.arm[shown]);
        else expect(res.json().value, `${email}: ${path}`).toEqual([]);
      }
    }
    // The partner's own view of the other partner's customer: not found.
    const res = await world.app.inject({
      method: 'GET',
      url: `/api/customers/${adatum.id}/reservations`,
      headers: await world.as(users.admin),
    });
    expectDialectError(res, 404);
  });

  /** A customer of the caller's own partner, by name (Tailspin Toys has no orders for `customerIds`). */
  const customerNamed = async (partnerUser: string, name: string) => {
    const res = await world.app.inject({
      method: 'GET',
      url: `/api/customers?search=${encodeURIComponent(name)}`,
      headers: await world.as(partnerUser),
    });
    const [customer] = res.json().items as { id: string }[];
    const subs = await world.app.inject({
      method: 'GET',
      url: `/api/customers/${customer.id}/subscriptions`,
      headers: await world.as(partnerUser),
    });
    return { id: customer.id, subscriptionIds: (subs.json().items as { id: string }[]).map((s) => s.id) };
  };

  it("another customer's commitment named under one's own customer is not found, and nothing changes", async () => {
    const tailspin = await customerNamed(users.admin, 'Tailspin Toys');
    const commitmentRoutes = routes().filter(
      (r) => paramsOf(r.url).includes('commitmentId') && admits(r, probe.partnerAdmin),
    );
    expect(commitmentRoutes.length).toBeGreaterThanOrEqual(8);
    const failures: string[] = [];
    for (const { intruder, own, t } of [
      { intruder: users.litwareAdmin, own: adatum.id, t: fabrikam },
      { intruder: users.admin, own: fabrikam.id, t: adatum },
      // Same partner, another of its customers: the commitment is still not that customer's.
      { intruder: users.admin, own: tailspin.id, t: fabrikam },
    ]) {
      const headers = await world.as(intruder);
      for (const route of commitmentRoutes) {
        await ensurePermission(world, t);
        const real = await fill(route, { world, target: t, phantom: false, callerPartnerId: t.partnerId });
        const f: Fill = { world, target: t, phantom: true, callerPartnerId: t.partnerId };
        const phantom = await fill(route, f);
        const before = await fingerprint(world, t);
        const ask = (url: string, payload: unknown) =>
          world.app.inject({
            method: route.method as Method,
            url,
            headers: { ...headers, 'idempotency-key': randomUUID() },
            payload: payload as object,
          });
        const res = await ask(real.url.replace(t.id, own), real.payload);
        const after = await fingerprint(world, t);
        const ghost = await ask(phantom.url.replace(customerId(f), own), phantom.payload);
        try {
          expect(after, 'the intruder changed the target').toEqual(before);
          expect(res.statusCode, 'not 404').toBe(404);
          expect(
            [res.statusCode, errorCodeOf(res)],
            `differs from no commitment (${summarize(ghost)})`,
          ).toEqual([ghost.statusCode, errorCodeOf(ghost)]);
          if (route.method !== 'HEAD') expectDialectError(res, 404);
          expectNoLeak(res, t);
        } catch (error) {
          failures.push(`${key(route)} → ${summarize(res)}\n    ${(error as Error).message.split('\n')[0]}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('a scope or billing subscription of another customer is refused like one that does not exist', async () => {
    const tailspin = await customerNamed(users.admin, 'Tailspin Toys');
    expect(tailspin.subscriptionIds.length).toBeGreaterThan(0);
    await ensurePermission(world, fabrikam);
    await ensurePermission(world, adatum);
    const own = (t: Target) => ({ world, target: t, phantom: false, callerPartnerId: t.partnerId });
    const adatumReservation = await freshCommitment(own(adatum), 'reservations');
    const fabrikamReservation = await freshCommitment(own(fabrikam), 'reservations');
    const single = (subscriptionId: string) => ({
      appliedScopeType: 'Single',
      appliedScope: { subscriptionId },
    });
    const adatumBilling = { billingSubscriptionId: adatum.subscriptionId };
    const cases: {
      name: string;
      as: string;
      t: Pick<Target, 'id' | 'partnerId' | 'name' | 'secrets'>;
      /** The request, naming `subscription` where the other customer's subscription goes. */
      request: (subscription: string) => { method: Method; url: string; payload: unknown };
      subscription: string;
    }[] = [
      {
        name: "Litware scopes Adatum's reservation to Fabrikam's subscription",
        as: users.litwareAdmin,
        t: fabrikam,
        subscription: fabrikam.subscriptionId,
        request: (sub) => ({
          method: 'PATCH',
          url: `/api/customers/${adatum.id}/reservations/${adatumReservation}`,
          payload: single(sub),
        }),
      },
      {
        name: "Contoso scopes Fabrikam's reservation to Tailspin's subscription (same partner)",
        as: users.admin,
        t: { id: tailspin.id, partnerId: fabrikam.partnerId, name: 'Tailspin Toys', secrets: ['Tailspin'] },
        subscription: tailspin.subscriptionIds[0],
        request: (sub) => ({
          method: 'PATCH',
          url: `/api/customers/${fabrikam.id}/reservations/${fabrikamReservation}`,
          payload: single(sub),
        }),
      },
      {
        name: "Contoso buys for Fabrikam, billed to Tailspin's subscription (same partner)",
        as: users.admin,
        t: { id: tailspin.id, partnerId: fabrikam.partnerId, name: 'Tailspin Toys', secrets: ['Tailspin'] },
        subscription: tailspin.subscriptionIds[0],
        request: (sub) => ({
          method: 'POST',
          url: `/api/customers/${fabrikam.id}/savings-plans`,
          payload: { ...savingsPlanBody(own(fabrikam)), billingSubscriptionId: sub },
        }),
      },
      {
        name: "Litware buys for Adatum, scoped to Fabrikam's Azure subscription",
        as: users.litwareAdmin,
        t: fabrikam,
        subscription: fabrikam.entitlementId!,
        request: (sub) => ({
          method: 'POST',
          url: `/api/customers/${adatum.id}/reservations`,
          payload: { ...reservationBody(own(adatum)), ...single(sub) },
        }),
      },
      {
        name: "Adatum's Owner buys, scoped to Fabrikam's Azure subscription",
        as: users.adatumOwner,
        t: fabrikam,
        subscription: fabrikam.entitlementId!,
        request: (sub) => ({
          method: 'POST',
          url: '/api/my/reservations',
          payload: { ...reservationBody(own(adatum)), ...adatumBilling, ...single(sub) },
        }),
      },
      {
        name: "Adatum's Owner prices through ARM, scoped to Fabrikam's Azure subscription",
        as: users.adatumOwner,
        t: fabrikam,
        subscription: fabrikam.entitlementId!,
        request: (sub) => {
          const body = armReservationBody(`/subscriptions/${adatum.entitlementId}`);
          return {
            method: 'POST',
            url: armUrl('/providers/Microsoft.Capacity/calculatePrice'),
            payload: {
              ...body,
              properties: {
                ...body.properties,
                appliedScopeType: 'Single',
                appliedScopes: [`/subscriptions/${sub}`],
              },
            },
          };
        },
      },
      {
        name: "Fabrikam's Owner validates a savings plan scoped to Adatum's Azure subscription",
        as: users.fabrikamOwner,
        t: adatum,
        subscription: adatum.entitlementId!,
        request: (sub) => {
          const body = armSavingsPlanBody(`/subscriptions/${fabrikam.entitlementId}`);
          return {
            method: 'POST',
            url: armUrl('/providers/Microsoft.BillingBenefits/validate'),
            payload: {
              benefits: [
                {
                  ...body,
                  properties: {
                    ...body.properties,
                    appliedScopeType: 'Single',
                    appliedScopeProperties: { subscriptionId: `/subscriptions/${sub}` },
                  },
                },
              ],
            },
          };
        },
      },
    ];
    const failures: string[] = [];
    for (const c of cases) {
      const headers = { ...(await world.as(c.as)), 'idempotency-key': randomUUID() };
      const intruderSide = await fingerprint(world, c.as === users.litwareAdmin ? adatum : fabrikam);
      const before = await fingerprint(world, c.t as Target);
      const real = c.request(c.subscription);
      const res = await world.app.inject({ ...real, headers, payload: real.payload as object });
      const after = await fingerprint(world, c.t as Target);
      const phantom = c.request(randomUUID());
      const ghost = await world.app.inject({
        ...phantom,
        headers: { ...headers, 'idempotency-key': randomUUID() },
        payload: phantom.payload as object,
      });
      // validate answers 200 with a verdict; the others refuse with an error.
      const verdict = (r: LightMyRequestResponse) =>
        r.statusCode === 200 ? (r.json().benefits?.[0]?.reasonCode ?? 'valid') : errorCodeOf(r);
      try {
        expect(after, 'the target changed').toEqual(before);
        expect(
          await fingerprint(world, c.as === users.litwareAdmin ? adatum : fabrikam),
          "the caller's own commitment changed",
        ).toEqual(intruderSide);
        expect([res.statusCode, verdict(res)], `differs from no subscription (${summarize(ghost)})`).toEqual([
          ghost.statusCode,
          verdict(ghost),
        ]);
        if (res.statusCode === 200) expect(res.json().benefits[0].valid, summarize(res)).toBe(false);
        else {
          expect(res.statusCode, 'a success for the intruder').toBeGreaterThanOrEqual(400);
          expectDialectError(res, res.statusCode);
        }
        expectNoLeak(res, c.t as Target);
      } catch (error) {
        failures.push(`${c.name} → ${summarize(res)}\n    ${(error as Error).message.split('\n')[0]}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('the CSV export of a bill answers the other partner not-found too, the same as for no customer', async () => {
    const month = new Date().toISOString().slice(0, 7);
    for (const [headers, t, strict] of [
      [await world.as(users.litwareAdmin), fabrikam, true],
      [apps.litware, fabrikam, false],
      [await world.as(users.admin), adatum, true],
      [apps.contoso, adatum, false],
    ] as const) {
      const before = await fingerprint(world, t);
      const res = await world.app.inject({
        method: 'GET',
        url: `/api/customers/${t.id}/bills/${month}.csv`,
        headers,
      });
      const ghost = await world.app.inject({
        method: 'GET',
        url: `/api/customers/${randomUUID()}/bills/${month}.csv`,
        headers,
      });
      expect([res.statusCode, errorCodeOf(res)], summarize(ghost)).toEqual([
        ghost.statusCode,
        errorCodeOf(ghost),
      ]);
      if (strict) expect(res.statusCode, summarize(res)).toBe(404);
      else expect([403, 404], summarize(res)).toContain(res.statusCode);
      expectDialectError(res, res.statusCode);
      expectNoLeak(res, t);
      expect(await fingerprint(world, t)).toEqual(before);
      // Its own partner gets the CSV of this very customer.
      const own = await world.app.inject({
        method: 'GET',
        url: `/api/customers/${t.id}/bills/${month}.csv`,
        headers: await world.as(t.partnerOwner),
      });
      expect(own.statusCode, summarize(own)).toBe(200);
      expect(own.headers['content-type'], summarize(own)).toMatch(/^text\/csv/);
      expect(own.body, summarize(own)).toContain(t.name);
    }
  });

  it("the FOCUS export answers another partner's customer not-found, as for no customer, and never mixes tenants", async () => {
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const period = `from=${day(-30)}&to=${day(1)}`;
    const query = (id: string) => `/api/exports/focus?customerId=${id}&${period}`;
    for (const [headers, t, strict] of [
      [await world.as(users.litwareAdmin), fabrikam, true],
      [apps.litware, fabrikam, false],
      [await world.as(users.admin), adatum, true],
      [apps.contoso, adatum, false],
    ] as const) {
      const before = await fingerprint(world, t);
      const res = await world.app.inject({ method: 'GET', url: query(t.id), headers });
      const ghost = await world.app.inject({ method: 'GET', url: query(randomUUID()), headers });
      expect([res.statusCode, errorCodeOf(res)], summarize(ghost)).toEqual([
        ghost.statusCode,
        errorCodeOf(ghost),
      ]);
      if (strict) expect(res.statusCode, summarize(res)).toBe(404);
      else expect([403, 404], summarize(res)).toContain(res.statusCode);
      expectNoLeak(res, t);
      expect(await fingerprint(world, t)).toEqual(before);
    }
    // A partner-wide export holds the caller's own customers only.
    const all = await world.app.inject({
      method: 'GET',
      url: `/api/exports/focus?${period}`,
      headers: await world.as(users.litwareAdmin),
    });
    expect(all.statusCode, summarize(all)).toBe(200);
    expect(all.body).not.toContain(fabrikam.id);
    // A customer user's export (cost management on) holds its own customer's rows only.
    const on = await world.app.inject({
      method: 'PUT',
      url: `/api/customers/${fabrikam.id}/cost-management`,
      headers: await world.as(users.admin),
      payload: { enabled: true },
    });
    expect(on.statusCode).toBe(200);
    const mine = await world.app.inject({
      method: 'GET',
      url: `/api/my/exports/focus?${period}`,
      headers: await world.as(users.fabrikamOwner),
    });
    expect(mine.statusCode, summarize(mine)).toBe(200);
    expect(mine.body).not.toContain(adatum.id);
    await world.app.inject({
      method: 'PUT',
      url: `/api/customers/${fabrikam.id}/cost-management`,
      headers: await world.as(users.admin),
      payload: { enabled: false },
    });
  });

  it('a partner user or application gets 403 on every customer route, and changes nothing', async () => {
    const customerRoutes = routes().filter(
      (r) => !policies[r.policy!].anonymous && admits(r, probe.customer) && !admits(r, probe.partnerAdmin),
    );
    expect(customerRoutes.length).toBeGreaterThan(40);
    for (const [who, headers] of [
      [users.admin, await world.as(users.admin)],
      ['the Contoso application', apps.contoso],
    ] as const) {
      for (const route of customerRoutes) {
        const f: Fill = { world, target: fabrikam, phantom: false, callerPartnerId: partnerIds.contoso };
        // Refused callers are stopped before the body is read, so any object will do for unknown bodies.
        const { url, payload } = customerScoped(route)
          ? await fill(route, f)
          : { url: route.url, payload: route.method === 'GET' || route.method === 'HEAD' ? undefined : {} };
        const before = await fingerprint(world, fabrikam);
        const res = await world.app.inject({
          method: route.method as Method,
          url,
          headers: { ...headers, 'idempotency-key': randomUUID() },
          payload: payload as object,
        });
        if (route.method === 'HEAD') expect(res.statusCode, `${who} ${key(route)}`).toBe(403);
        else
          expect(expectDialectError(res, 403), `${who} ${key(route)}`).toMatch(
            /^(customer-user-required|CustomerUserRequired)$/,
          );
        expect(
          await fingerprint(world, fabrikam),
          `${who} ${route.method} ${url} changed the database`,
        ).toEqual(before);
      }
    }
  });

  it("a customer user's own subscriptions list shows only its own customer's subscriptions", async () => {
    const subscriptionsOf = async (partnerUser: string, id: string) => {
      const res = await world.app.inject({
        method: 'GET',
        url: `/api/customers/${id}/subscriptions`,
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
    expect(owner.find((s) => s.id === fabrikam.subscriptionId)?.roles).toContain('Owner');
    const reader = await mine(users.fabrikamReader);
    expect(reader.map((s) => s.id)).toEqual([fabrikam.subscriptionId]);
    expect(reader[0].roles).toContain('Reader');

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
      headers: apps.litware,
    });
    expectDialectError(asApp, 403, 'customer-user-required');
  });
});
