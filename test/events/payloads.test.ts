import { FormatRegistry } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventData } from '../../src/api/mitra/event-schemas.ts';
import { demoId } from '../../src/demo/load.ts';
import { isEventType } from '../../src/domain/events.ts';
import { isUuid } from '../../src/domain/ids.ts';
import { emitEvent } from '../../src/services/events.ts';
import { demoWorld, type TestWorld, users } from '../support/app.ts';
import { allow, buy, fabrikam, reservationBody, savingsPlanBody } from '../support/commitments.ts';
import { databaseKinds } from '../support/db.ts';

/**
 * Every event the product emits carries `data` of its documented shape (src/api/mitra/event-schemas.ts),
 * is recorded with the change that caused it, and reaches each partner user's feed by default.
 */
// The formats the schemas name, as the API's validator (ajv-formats) checks them.
FormatRegistry.Set('uuid', isUuid);
FormatRegistry.Set('date-time', (s) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d{2}-\d{2}T/.test(s));
FormatRegistry.Set('date', (s) => /^\d{4}-\d{2}-\d{2}$/.test(s));

describe.each(databaseKinds)('partner events on %s', (kind) => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await demoWorld(kind);
  });
  afterAll(() => world.close());

  const eventsSince = async (since: Date) =>
    world.handle.db
      .selectFrom('partner_events')
      .selectAll()
      .where('occurred_at', '>=', since)
      .orderBy('occurred_at')
      .execute();

  it('customer purchases, permission changes, a refund and an exchange each emit one event of its documented shape', async () => {
    const since = new Date(Date.now() - 1000);
    await allow(world, 'AzureReservedInstances');
    await allow(world, 'AzureSavingsPlan');
    const reservation = await buy(
      world,
      users.fabrikamOwner,
      'reservations',
      reservationBody({ quantity: 2 }),
    );
    expect(reservation.statusCode, reservation.body).toBe(201);
    const plan = await buy(world, users.fabrikamOwner, 'savings-plans', savingsPlanBody());
    expect(plan.statusCode, plan.body).toBe(201);
    const admin = await world.as(users.admin);
    const url = (id: string, suffix: string) => `/api/customers/${fabrikam}/reservations/${id}${suffix}`;
    const exchanged = await world.app.inject({
      method: 'POST',
      url: url(reservation.json().id, '/exchange'),
      headers: admin,
      payload: reservationBody({ sku: 'Standard_D4s_v3', quantity: 2, term: 'P3Y' }),
    });
    expect(exchanged.statusCode, exchanged.body).toBe(200);
    const refunded = await world.app.inject({
      method: 'POST',
      url: url(exchanged.json().created.id, '/refund'),
      headers: admin,
      payload: { reason: 'not needed' },
    });
    expect(refunded.statusCode, refunded.body).toBe(200);
    await allow(world, 'AzureSavingsPlan', false);

    const events = await eventsSince(since);
    expect(events.map((e) => e.type)).toEqual([
      'customer.permission.enabled',
      'customer.permission.enabled',
      'customer.reservation.purchased',
      'customer.savingsplan.purchased',
      'commitment.exchanged',
      'commitment.refunded',
      'customer.permission.disabled',
    ]);
    for (const e of events) {
      expect(isEventType(e.type)).toBe(true);
      if (!isEventType(e.type)) continue;
      const errors = [...Value.Errors(eventData[e.type], e.data)].map((x) => `${x.path} ${x.message}`);
      expect(errors, `${e.type}: ${JSON.stringify(e.data)}`).toEqual([]);
      expect(e.partner_id).toBe(demoId('contoso'));
      expect(e.customer_id).toBe(fabrikam);
    }
    const purchased = events.find((e) => e.type === 'customer.savingsplan.purchased')!;
    expect(purchased.data).toMatchObject({ boughtBy: 'customer', buyer: users.fabrikamOwner, orderId: null });

    // Each of Contoso's partner users has every event in the feed (the default), nobody by e-mail.
    const partnerUsers = await world.handle.db
      .selectFrom('partner_users')
      .select('id')
      .where('partner_id', '=', demoId('contoso'))
      .execute();
    const feed = await world.handle.db
      .selectFrom('notifications')
      .select(['partner_user_id', 'event_id'])
      .where(
        'event_id',
        'in',
        events.map((e) => e.id),
      )
      .execute();
    expect(feed).toHaveLength(partnerUsers.length * events.length);
    const mail = await world.handle.db
      .selectFrom('email_outbox')
      .select('id')
      .where(
        'event_id',
        'in',
        events.map((e) => e.id),
      )
      .execute();
    expect(mail).toHaveLength(0);
  });

  it('a refused purchase emits nothing: the event commits with its change or not at all', async () => {
    const since = new Date();
    await allow(world, 'AzureReservedInstances', false);
    const refused = await buy(world, users.fabrikamOwner, 'reservations', reservationBody());
    expect(refused.statusCode).toBe(403);
    expect((await eventsSince(since)).map((e) => e.type)).toEqual(['customer.permission.disabled']);
  });

  it('an alert with a condition key is recorded once per condition', async () => {
    const event = {
      partnerId: demoId('contoso'),
      customerId: fabrikam,
      type: 'commitment.expiring' as const,
      data: {},
      conditionKey: `test-${kind}:expiring:30`,
    };
    const first = await world.handle.db.transaction().execute((trx) => emitEvent(trx, event));
    const second = await world.handle.db.transaction().execute((trx) => emitEvent(trx, event));
    expect(first).not.toBeNull();
    expect(second).toBeNull();
    const rows = await world.handle.db
      .selectFrom('partner_events')
      .select('id')
      .where('condition_key', '=', event.conditionKey)
      .execute();
    expect(rows).toHaveLength(1);
  });
});
