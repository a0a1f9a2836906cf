import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerIds, expectMitraError, summarize } from '../api/fixtures.ts';
import { demoWorld, type TestWorld, users } from '../support/app.ts';
import { databaseKinds } from '../support/db.ts';
import { buyReservation, buySavingsPlan, feedOf, setPermission, unreadOf } from './helpers.ts';

describe.each(databaseKinds)('notification feed on %s', (kind) => {
  let world: TestWorld;
  let fabrikam: Awaited<ReturnType<typeof customerIds>>;
  const partnerUsers = [users.admin, users.sales, users.helpdesk];

  beforeAll(async () => {
    world = await demoWorld(kind);
    fabrikam = await customerIds(world, users.admin, 'Fabrikam');
    await setPermission(world, users.admin, fabrikam.id, 'AzureReservedInstances', true);
    await setPermission(world, users.admin, fabrikam.id, 'AzureSavingsPlan', true);
    // Start every feed empty, so each entry below is the one this test caused.
    for (const u of [...partnerUsers, users.litwareAdmin]) {
      const res = await world.app.inject({
        method: 'POST',
        url: '/api/notifications/read-all',
        headers: await world.as(u),
      });
      expect(res.statusCode, summarize(res)).toBe(200);
    }
  });
  afterAll(() => world.close());

  it("a permission change and a customer's purchase reach every partner user's own feed, newest first", async () => {
    await setPermission(world, users.admin, fabrikam.id, 'AzureReservedInstances', false);
    await setPermission(world, users.admin, fabrikam.id, 'AzureReservedInstances', true);
    const bought = await buyReservation(world, users.fabrikamOwner, fabrikam.subscriptionId);

    const seen = new Set<string>();
    for (const u of partnerUsers) {
      expect(await unreadOf(world, u), u).toBe(3);
      const { items } = await feedOf(world, u, '?unread=true&lang=en');
      expect(items.map((i) => i.type)).toEqual([
        'customer.reservation.purchased',
        'customer.permission.enabled',
        'customer.permission.disabled',
      ]);
      const [purchase, enabled] = items;
      expect(purchase.label).toBe('A reservation was bought for a customer');
      expect(purchase.sentence).toContain(users.fabrikamOwner);
      expect(purchase.sentence).toContain('Fabrikam');
      expect(purchase.sentence).toMatch(/bought the reservation .+ for .*\d/);
      expect(purchase.link).toBe(`/partner/customers/${fabrikam.id}/reservations/${bought.id}`);
      expect(purchase.customer).toEqual({ id: fabrikam.id, name: 'Fabrikam' });
      expect(purchase.beyondPartnerCenter).toBe(false);
      expect(enabled.sentence).toBe(`${users.admin} allowed Fabrikam to buy Azure reservations.`);
      expect(enabled.link).toBe(`/partner/customers/${fabrikam.id}/account`);
      for (const i of items) seen.add(i.id);
    }
    // One row per user: nobody shares an entry id, so marking one read touches only that user.
    expect(seen.size).toBe(9);
    // Another partner hears nothing of it.
    expect(await unreadOf(world, users.litwareAdmin)).toBe(0);
  });

  it('sentences and labels in Bahasa Indonesia, by ?lang=id or Accept-Language', async () => {
    const byParam = await feedOf(world, users.sales, '?unread=true&lang=id');
    const res = await world.app.inject({
      method: 'GET',
      url: '/api/notifications?unread=true',
      headers: { ...(await world.as(users.sales)), 'accept-language': 'id-ID,id;q=0.9,en;q=0.5' },
    });
    const byHeader = res.json().items as typeof byParam.items;
    expect(byHeader.map((i) => i.sentence)).toEqual(byParam.items.map((i) => i.sentence));
    expect(byParam.items[0].label).toBe('Reservasi dibeli untuk pelanggan');
    expect(byParam.items[0].sentence).toMatch(/dari Fabrikam membeli reservasi .+ seharga /);
    expect(byParam.items[1].sentence).toBe(`${users.admin} mengizinkan Fabrikam membeli reservasi Azure.`);
  });

  it("marks read one's own entry only; another user's entry answers 404 like a missing one", async () => {
    const mine = (await feedOf(world, users.helpdesk, '?unread=true')).items[0];
    const theirs = (await feedOf(world, users.sales, '?unread=true')).items[0];
    const read = await world.app.inject({
      method: 'POST',
      url: `/api/notifications/${mine.id}/read`,
      headers: await world.as(users.helpdesk),
    });
    expect(read.statusCode, summarize(read)).toBe(200);
    expect(read.json()).toEqual({ unreadCount: 2 });
    // Again: still read, nothing else changes.
    const again = await world.app.inject({
      method: 'POST',
      url: `/api/notifications/${mine.id}/read`,
      headers: await world.as(users.helpdesk),
    });
    expect(again.json()).toEqual({ unreadCount: 2 });
    expect((await feedOf(world, users.helpdesk)).items.find((i) => i.id === mine.id)?.read).toBe(true);

    for (const [who, id] of [
      [users.helpdesk, theirs.id],
      [users.litwareAdmin, mine.id],
      [users.helpdesk, '6f1c0a52-0000-4000-8000-000000000000'],
    ] as const) {
      const res = await world.app.inject({
        method: 'POST',
        url: `/api/notifications/${id}/read`,
        headers: await world.as(who),
      });
      expectMitraError(res, 404, 'notification-not-found');
    }
    expect(await unreadOf(world, users.sales)).toBe(3);

    const all = await world.app.inject({
      method: 'POST',
      url: '/api/notifications/read-all',
      headers: await world.as(users.helpdesk),
    });
    expect(all.json()).toEqual({ marked: 2, unreadCount: 0 });
    expect(await unreadOf(world, users.sales)).toBe(3);
  });

  it('pages newest first with a continuation token that never repeats an entry', async () => {
    const first = await feedOf(world, users.admin, '?size=2');
    expect(first.items).toHaveLength(2);
    expect(first.continuationToken).toBeTruthy();
    const second = await feedOf(world, users.admin, `?size=2&continuationToken=${first.continuationToken}`);
    const ids = [...first.items, ...second.items].map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    const whole = await feedOf(world, users.admin, '?size=200');
    expect(whole.items.slice(0, ids.length).map((i) => i.id)).toEqual(ids);
    const bad = await world.app.inject({
      method: 'GET',
      url: '/api/notifications?continuationToken=bm9wZQ',
      headers: await world.as(users.admin),
    });
    expectMitraError(bad, 400, 'invalid-continuation-token');
  });

  it("a customer's own savings plan shows in the feed, marked beyond partner center (B3)", async () => {
    const plan = await buySavingsPlan(world, users.fabrikamOwner, fabrikam.subscriptionId);
    const [entry] = (await feedOf(world, users.sales)).items;
    expect(entry.type).toBe('customer.savingsplan.purchased');
    expect(entry.beyondPartnerCenter).toBe(true);
    expect(entry.link).toBe(`/partner/customers/${fabrikam.id}/savings-plans/${plan.id}`);
    expect(entry.sentence).toMatch(/bought the savings plan/);
  });

  it('customer users and application-only tokens have no feed', async () => {
    const customer = await world.app.inject({
      method: 'GET',
      url: '/api/notifications',
      headers: await world.as(users.fabrikamOwner),
    });
    expectMitraError(customer, 403, 'partner-user-required');
    const prefs = await world.app.inject({
      method: 'GET',
      url: '/api/notification-preferences',
      headers: await world.as(users.fabrikamOwner),
    });
    expectMitraError(prefs, 403, 'partner-user-required');
  });
});
