import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { catalog, licenceProductIds, reservationSku } from '../../src/demo/catalog.ts';
import type { TestWorld } from '../support/app.ts';

/** Shared knowledge of the demo world for the API suites: catalog items, ids, error shapes. */

function availability(productId: string, skuId: string, termDuration: string) {
  const found = catalog.availabilities.find(
    (a) => a.productId === productId && a.skuId === skuId && a.termDuration === termDuration,
  );
  if (!found)
    throw new Error(`no ${termDuration} availability for ${productId}/${skuId} in the demo catalog`);
  return found;
}

/** Microsoft 365 Business Basic, yearly term, billed monthly or annually. */
export const licence = availability(licenceProductIds['m365-business-basic'], '0001', 'P1Y');

const d2sv3 = reservationSku('Standard_D2s_v3', 'eastus');
if (!d2sv3) throw new Error('the demo catalog has no Standard_D2s_v3 reservation in eastus');
/** A 1-year reservation of Standard_D2s_v3 in East US. */
export const reservation = availability(d2sv3.productId, d2sv3.id, 'P1Y');
export const reservationSkuRow = d2sv3;

export const licenceLine = (quantity = 3, billingCycle = 'monthly') => ({
  catalogItemId: licence.catalogItemId,
  quantity,
  billingCycle,
  termDuration: licence.termDuration,
});

export const reservationLine = (azureSubscriptionId: string, quantity = 2, scope = 'shared') => ({
  catalogItemId: reservation.catalogItemId,
  quantity,
  billingCycle: 'one_time',
  termDuration: 'P1Y',
  provisioningContext: { subscriptionId: azureSubscriptionId, scope },
});

export interface CustomerIds {
  id: string;
  name: string;
  /** The customer's first subscription (the demo's Azure plan / Azure Global / licence). */
  subscriptionId: string;
  /** The Azure subscription id (entitlement) of that subscription; null for a licence. */
  entitlementId: string | null;
  /** The order that bought it. */
  orderId: string;
}

/** Reads a customer's real ids through the partner-center API, as its own partner's agent. */
export async function customerIds(
  world: TestWorld,
  partnerUser: string,
  companyName: string,
): Promise<CustomerIds> {
  const headers = await world.as(partnerUser);
  const list = await world.app.inject({ method: 'GET', url: '/v1/customers?size=500', headers });
  expect(list.statusCode).toBe(200);
  const customer = list
    .json()
    .items.find(
      (c: { companyProfile: { companyName: string } }) => c.companyProfile.companyName === companyName,
    );
  if (!customer) throw new Error(`${partnerUser} has no customer ${companyName}`);
  const subs = await world.app.inject({
    method: 'GET',
    url: `/v1/customers/${customer.id}/subscriptions`,
    headers,
  });
  const orders = await world.app.inject({
    method: 'GET',
    url: `/v1/customers/${customer.id}/orders`,
    headers,
  });
  const [sub] = subs.json().items;
  const [order] = orders.json().items;
  return {
    id: customer.id,
    name: companyName,
    subscriptionId: sub.id,
    entitlementId: sub.entitlementId,
    orderId: order.id,
  };
}

/** Creates an active cart for the customer and returns its id. */
export async function createCart(
  world: TestWorld,
  partnerUser: string,
  customerId: string,
  lineItems: unknown[] = [licenceLine()],
) {
  const res = await world.app.inject({
    method: 'POST',
    url: `/v1/customers/${customerId}/carts`,
    headers: await world.as(partnerUser),
    payload: { lineItems },
  });
  if (res.statusCode !== 201) throw new Error(`cart for ${customerId}: ${res.statusCode} ${res.body}`);
  return res.json().id as string;
}

/** `METHOD url → status body`, shortened, for assertion messages. */
export function summarize(res: LightMyRequestResponse) {
  const url = res.raw.req.url ?? '';
  return `${res.raw.req.method} ${url.length > 160 ? `${url.slice(0, 160)}…` : url} → ${res.statusCode} ${res.body.slice(0, 300)}`;
}

const stableCode = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Asserts a sentence a person can act on: more than a word or two, ending in a full stop. */
export function expectSentence(text: unknown, context = '') {
  expect(typeof text, `message of ${context}`).toBe('string');
  const s = text as string;
  expect(s.length, `message of ${context}: ${s}`).toBeGreaterThan(15);
  expect(s, context).toMatch(/ /);
  expect(s, context).toMatch(/[.!?]$/);
}

/** The partner-center error body (reference §5): `{code: number, description, data: [], source}`, plus Mitra's `errorName`. */
export function expectPartnerCenterError(res: LightMyRequestResponse, status: number, errorName?: string) {
  const context = summarize(res);
  expect(res.statusCode, context).toBe(status);
  expect(res.headers['content-type'], context).toMatch(/^application\/json/);
  const body = res.json();
  expect(typeof body.code, context).toBe('number');
  expect(Array.isArray(body.data), context).toBe(true);
  expect(typeof body.source, context).toBe('string');
  expect(body.errorName, context).toMatch(stableCode);
  expectSentence(body.description, context);
  if (errorName) expect(body.errorName, context).toBe(errorName);
  return body as { code: number; description: string; errorName: string; data: string[]; source: string };
}

/** Mitra's error body (docs/api-mitra.md): `{error: {code, message}}`. */
export function expectMitraError(res: LightMyRequestResponse, status: number, code?: string) {
  const context = summarize(res);
  expect(res.statusCode, context).toBe(status);
  expect(res.headers['content-type'], context).toMatch(/^application\/json/);
  const body = res.json();
  expect(Object.keys(body), context).toEqual(['error']);
  expect(body.error.code, context).toMatch(stableCode);
  expectSentence(body.error.message, context);
  if (code) expect(body.error.code, context).toBe(code);
  return body.error as { code: string; message: string; details?: unknown };
}

/** The ARM error body: `{error: {code: PascalCase, message, …}}`. */
export function expectArmError(res: LightMyRequestResponse, status: number, code?: string) {
  const context = summarize(res);
  expect(res.statusCode, context).toBe(status);
  expect(res.headers['content-type'], context).toMatch(/^application\/json/);
  const body = res.json();
  expect(Object.keys(body), context).toEqual(['error']);
  expect(body.error.code, context).toMatch(/^[A-Z][A-Za-z0-9]+$/);
  expectSentence(body.error.message, context);
  if (code) expect(body.error.code, context).toBe(code);
  return body.error as { code: string; message: string };
}

export type Dialect = 'partner-center' | 'arm' | 'mitra';

/** The dialect of a path, by its prefix, as src/api/errors.ts chooses it. */
export function dialectOfUrl(url: string): Dialect {
  const path = url.toLowerCase();
  if (path.startsWith('/v1/')) return 'partner-center';
  if (path.startsWith('/subscriptions/') || path.startsWith('/providers/')) return 'arm';
  return 'mitra';
}

const armCodeOf = (code: string) =>
  code
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');

/** The error in the dialect of the request's path; answers its stable code. */
export function expectDialectError(res: LightMyRequestResponse, status: number, code?: string): string {
  const dialect = dialectOfUrl(res.raw.req.url ?? '');
  if (dialect === 'partner-center') return expectPartnerCenterError(res, status, code).errorName;
  // ARM spells Mitra's kebab codes in PascalCase (partner-user-required → PartnerUserRequired).
  if (dialect === 'arm') return expectArmError(res, status, code && armCodeOf(code)).code;
  return expectMitraError(res, status, code).code;
}

/** The stable code of an error answer in any dialect, without asserting its shape. */
export function errorCodeOf(res: LightMyRequestResponse): string | undefined {
  try {
    const body = res.json();
    return body?.errorName ?? body?.error?.code ?? body?.error;
  } catch {
    return undefined;
  }
}

/** Follows `links.next` of a partner-center collection the way the SDK does: same URI, its headers replayed. */
export async function walkPartnerCenter<T>(
  world: TestWorld,
  headers: Record<string, string>,
  firstUrl: string,
  maxPages = 100,
) {
  const pages: { items: T[]; totalCount: number; continuationToken?: string }[] = [];
  let res = await world.app.inject({ method: 'GET', url: firstUrl, headers });
  for (let n = 0; ; n++) {
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    pages.push(body);
    const next = body.links?.next as { uri: string; headers: { key: string; value: string }[] } | undefined;
    if (!next) break;
    if (n >= maxPages) throw new Error(`more than ${maxPages} pages from ${firstUrl}`);
    expect(next.uri.startsWith('/')).toBe(true);
    const extra = Object.fromEntries(next.headers.map((h) => [h.key, h.value]));
    res = await world.app.inject({ method: 'GET', url: `/v1${next.uri}`, headers: { ...headers, ...extra } });
  }
  return pages;
}
