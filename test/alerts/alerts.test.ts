import { FormatRegistry } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventData } from '../../src/api/mitra/event-schemas.ts';
import { runAlertChecks } from '../../src/jobs/alerts.ts';
import { customerIds, expectMitraError, summarize } from '../api/fixtures.ts';
import { buyReservation, buySavingsPlan, feedOf, setPermission } from '../notifications/helpers.ts';
import { demoWorld, type TestWorld, users } from '../support/app.ts';
import { databaseKinds } from '../support/db.ts';

// The formats the contract uses, for TypeBox's own checker (Fastify's Ajv knows them already).
for (const [name, re] of [
  ['uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i],
  ['date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/],
  ['date', /^\d{4}-\d{2}-\d{2}$/],
] as const)
  if (!FormatRegistry.Has(name)) FormatRegistry.Set(name, (v) => re.test(v));

const dayMs = 86_400_000;
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

describe.each(databaseKinds)('alerts on %s', (kind) => {
  let world: TestWorld;
  let fabrikam: Awaited<ReturnType<typeof customerIds>>;

  beforeAll(async () => {
    world = await demoWorld(kind);
    fabrikam = await customerIds(world, users.admin, 'Fabrikam');
    await setPermission(world, users.admin, fabrikam.id, 'AzureReservedInstances', true);
    await setPermission(world, users.admin, fabrikam.id, 'AzureSavingsPlan', true);
  });
  afterAll(() => world.close());

  const events = async (type: string, commitmentId: string) =>
    (
      await world.handle.db
        .selectFrom('partner_events')
        .select(['condition_key', 'data', 'partner_id'])
        .where('type', '=', type)
        .where('condition_key', 'like', `${commitmentId}:%`)
        .orderBy('occurred_at')
        .execute()
    ).map((e) => ({
      ...e,
      data: (typeof e.data === 'string' ? JSON.parse(e.data) : e.data) as Record<string, any>,
    }));

  it('commitment.expiring: 30 and 7 days before the end, each once however often the job runs', async () => {
    const c = await buyReservation(world, users.fabrikamOwner, fabrikam.subscriptionId);
    const { expires_at } = await world.handle.db
      .selectFrom('commitments')
      .select('expires_at')
      .where('id', '=', c.id)
      .executeTakeFirstOrThrow();
    const end = new Date(expires_at).getTime();
    await runAlertChecks(world.handle.db, { now: new Date(end - 40 * dayMs) });
    expect(await events('commitment.expiring', c.id)).toHaveLength(0);
    for (const daysBefore of [29, 25, 20, 8])
      await runAlertChecks(world.handle.db, { now: new Date(end - daysBefore * dayMs) });
    for (const daysBefore of [7, 5, 1])
      await runAlertChecks(world.handle.db, { now: new Date(end - daysBefore * dayMs) });
    const raised = await events('commitment.expiring', c.id);
    expect(raised.map((e) => e.data.daysLeft)).toEqual([30, 7]);
    expect(raised[0].data.renew).toBe(false);
    expect(raised[0].data.commitment.id).toBe(c.id);
    for (const e of raised) expect(Value.Check(eventData['commitment.expiring'], e.data)).toBe(true);
    // In every partner user's feed, with a sentence and the link to the reservation.
    const entry = (await feedOf(world, users.helpdesk)).items.find((i) => i.type === 'commitment.expiring');
    expect(entry?.sentence).toMatch(/expires in 7 days .*does not renew automatically/);
    expect(entry?.link).toBe(`/partner/customers/${fabrikam.id}/reservations/${c.id}`);
  });

  it('commitment.underutilized: once when it falls under, not again while under, again after recovering', async () => {
    const plan = await buySavingsPlan(world, users.fabrikamOwner, fabrikam.subscriptionId);
    const start = Date.parse('2027-01-01T00:00:00Z');
    /** Utilisation results for days [from, to) at `percent` %. */
    const results = async (from: number, to: number, percent: number) => {
      for (let d = from; d < to; d++)
        await world.handle.db
          .insertInto('commitment_utilization')
          .values({
            commitment_id: plan.id,
            customer_id: fabrikam.id,
            day: isoDay(start + d * dayMs),
            capacity: '24',
            consumed: String((24 * percent) / 100),
          })
          .execute();
    };
    const checkOn = (day: number) =>
      runAlertChecks(world.handle.db, { now: new Date(start + day * dayMs + 3600_000) });

    // Six days of results are not a whole window yet.
    await results(0, 6, 50);
    await checkOn(6);
    expect(await events('commitment.underutilized', plan.id)).toHaveLength(0);
    // A whole week at 50 %: raised once, however often the job runs while it stays under.
    await results(6, 7, 50);
    for (let i = 0; i < 3; i++) await checkOn(7);
    await results(7, 9, 50);
    await checkOn(9);
    let raised = await events('commitment.underutilized', plan.id);
    expect(raised.map((e) => e.condition_key)).toEqual([`${plan.id}:underutilized:1`]);
    expect(raised[0].data).toMatchObject({
      utilizationPercent: 50,
      thresholdPercent: 80,
      windowDays: 7,
      from: '2027-01-01',
      to: '2027-01-07',
    });
    expect(Value.Check(eventData['commitment.underutilized'], raised[0].data)).toBe(true);

    // A week at 100 % recovers it (nothing raised), then a fall under raises it again, once.
    await results(9, 16, 100);
    await checkOn(16);
    await checkOn(16);
    expect(await events('commitment.underutilized', plan.id)).toHaveLength(1);
    await results(16, 23, 10);
    await checkOn(23);
    await checkOn(23);
    raised = await events('commitment.underutilized', plan.id);
    expect(raised.map((e) => e.condition_key)).toEqual([
      `${plan.id}:underutilized:1`,
      `${plan.id}:underutilized:2`,
    ]);
    // Results that stopped coming in a while ago neither alert nor recover.
    expect((await runAlertChecks(world.handle.db, { now: new Date(start + 60 * dayMs) })).underutilized).toBe(
      0,
    );
    // The feed marks it beyond partner center: a customer's own savings plan (B3).
    const entry = (await feedOf(world, users.admin)).items.find((i) => i.type === 'commitment.underutilized');
    expect(entry?.beyondPartnerCenter).toBe(true);
    expect(entry?.sentence).toMatch(/was used 10% over the last 7 days/);
  });

  it("the partner's own threshold and window decide; Admin agents set them, audited; others are refused and recorded", async () => {
    const get = await world.app.inject({
      method: 'GET',
      url: '/api/alert-settings',
      headers: await world.as(users.sales),
    });
    expect(get.json()).toEqual({ underutilization: { thresholdPercent: 80, windowDays: 7 } });

    const audits = () =>
      world.handle.db
        .selectFrom('audit_records')
        .select(['operation_status', 'user_principal_name'])
        .where('operation_type', '=', 'update_alert_settings')
        .execute();
    const refused = await world.app.inject({
      method: 'PUT',
      url: '/api/alert-settings',
      headers: await world.as(users.sales),
      payload: { underutilization: { thresholdPercent: 40, windowDays: 3 } },
    });
    expectMitraError(refused, 403, 'admin-agent-required');
    expect(await audits()).toEqual([{ operation_status: 'decline', user_principal_name: users.sales }]);

    const bad = await world.app.inject({
      method: 'PUT',
      url: '/api/alert-settings',
      headers: await world.as(users.admin),
      payload: { underutilization: { thresholdPercent: 140, windowDays: 3 } },
    });
    expect(bad.statusCode).toBe(400);

    const put = await world.app.inject({
      method: 'PUT',
      url: '/api/alert-settings',
      headers: await world.as(users.admin),
      payload: { underutilization: { thresholdPercent: 40, windowDays: 3 } },
    });
    expect(put.statusCode, summarize(put)).toBe(200);
    expect(put.json()).toEqual({ underutilization: { thresholdPercent: 40, windowDays: 3 } });
    expect((await audits()).map((a) => a.operation_status).sort()).toEqual(['decline', 'succeeded']);

    // At 50 % over 3 days and a 40 % threshold, a new plan is fine; at 30 % it is not.
    const plan = await buySavingsPlan(world, users.fabrikamOwner, fabrikam.subscriptionId);
    const start = Date.parse('2027-03-01T00:00:00Z');
    for (const [d, pct] of [
      [0, 50],
      [1, 50],
      [2, 50],
      [3, 30],
      [4, 30],
      [5, 30],
    ])
      await world.handle.db
        .insertInto('commitment_utilization')
        .values({
          commitment_id: plan.id,
          customer_id: fabrikam.id,
          day: isoDay(start + d * dayMs),
          capacity: '10',
          consumed: String(pct / 10),
        })
        .execute();
    await runAlertChecks(world.handle.db, { now: new Date(start + 3 * dayMs + 1) });
    expect(await events('commitment.underutilized', plan.id)).toHaveLength(0);
    await runAlertChecks(world.handle.db, { now: new Date(start + 6 * dayMs + 1) });
    const [raised] = await events('commitment.underutilized', plan.id);
    expect(raised.data).toMatchObject({ utilizationPercent: 30, thresholdPercent: 40, windowDays: 3 });

    // Another partner's settings are its own.
    const litware = await world.app.inject({
      method: 'GET',
      url: '/api/alert-settings',
      headers: await world.as(users.litwareAdmin),
    });
    expect(litware.json()).toEqual({ underutilization: { thresholdPercent: 80, windowDays: 7 } });
    // And its users hear nothing of Contoso's alerts.
    expect(
      (await feedOf(world, users.litwareAdmin)).items.filter((i) => i.type.startsWith('commitment.')),
    ).toEqual([]);
  });
});
