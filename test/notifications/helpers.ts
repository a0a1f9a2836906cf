import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { summarize } from '../api/fixtures.ts';
import type { TestWorld } from '../support/app.ts';

/** Turns a purchase permission on (or off) as the partner's Admin agent: emits customer.permission.*. */
export async function setPermission(
  world: TestWorld,
  admin: string,
  customerId: string,
  resource: 'AzureReservedInstances' | 'AzureSavingsPlan',
  allowed: boolean,
) {
  const res = await world.app.inject({
    method: 'PUT',
    url: `/api/customers/${customerId}/permissions/${resource}`,
    headers: await world.as(admin),
    payload: { allowed },
  });
  expect(res.statusCode, summarize(res)).toBe(200);
}

/** A customer Owner buys a reservation through the Mitra API (customer.reservation.purchased). */
export async function buyReservation(world: TestWorld, owner: string, billingSubscriptionId: string) {
  const res = await world.app.inject({
    method: 'POST',
    url: '/api/my/reservations',
    headers: { ...(await world.as(owner)), 'idempotency-key': randomUUID() },
    payload: {
      billingSubscriptionId,
      sku: 'Standard_D2s_v3',
      region: 'eastus',
      term: 'P1Y',
      billingPlan: 'Monthly',
      quantity: 1,
    },
  });
  expect(res.statusCode, summarize(res)).toBe(201);
  return res.json() as { id: string };
}

/** A customer Owner buys a savings plan through the Mitra API (customer.savingsplan.purchased). */
export async function buySavingsPlan(world: TestWorld, owner: string, billingSubscriptionId: string) {
  const res = await world.app.inject({
    method: 'POST',
    url: '/api/my/savings-plans',
    headers: { ...(await world.as(owner)), 'idempotency-key': randomUUID() },
    payload: { billingSubscriptionId, hourlyCommitment: '1.00', term: 'P1Y', billingPlan: 'Monthly' },
  });
  expect(res.statusCode, summarize(res)).toBe(201);
  return res.json() as { id: string };
}

export async function feedOf(world: TestWorld, user: string, query = '') {
  const res = await world.app.inject({
    method: 'GET',
    url: `/api/notifications${query}`,
    headers: await world.as(user),
  });
  expect(res.statusCode, summarize(res)).toBe(200);
  return res.json() as {
    items: {
      id: string;
      type: string;
      label: string;
      sentence: string;
      link: string;
      read: boolean;
      customer: { id: string; name: string } | null;
      beyondPartnerCenter: boolean;
      data: Record<string, unknown>;
    }[];
    continuationToken: string | null;
  };
}

export async function unreadOf(world: TestWorld, user: string) {
  const res = await world.app.inject({
    method: 'GET',
    url: '/api/notifications/unread-count',
    headers: await world.as(user),
  });
  expect(res.statusCode, summarize(res)).toBe(200);
  return res.json().unreadCount as number;
}
