import { FormatRegistry } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { webhookPayload } from '../../src/api/mitra/event-schemas.ts';
import { eventTypes } from '../../src/domain/events.ts';
import {
  parseRetrySchedule,
  strictWebhookSettings,
  type WebhookSettings,
} from '../../src/domain/webhooks.ts';
import { deliverDueWebhooks } from '../../src/jobs/webhook-delivery.ts';
import { customerIds } from '../api/fixtures.ts';
import { demoWorld, type TestWorld, users } from '../support/app.ts';
import { databaseKinds } from '../support/db.ts';
import { type Receiver, startReceiver } from './receiver.ts';

FormatRegistry.Set('date-time', (v) => !Number.isNaN(Date.parse(v)) && /T/.test(v));
FormatRegistry.Set('uuid', (v) => /^[0-9a-f-]{36}$/i.test(v));

/** Local use: a receiver on 127.0.0.1 over http, retries after a few milliseconds. */
const local: WebhookSettings = {
  ...strictWebhookSettings,
  allowHttp: true,
  allowPrivate: true,
  timeoutMs: 2_000,
  leaseMs: 5_000,
  retrySchedule: parseRetrySchedule('10ms,10ms,10ms'),
};

describe.each(databaseKinds)('webhooks on %s', (kind) => {
  let world: TestWorld;
  let receiver: Receiver;
  let answers: number[];
  let fabrikam: string;
  let permission: boolean;

  beforeAll(async () => {
    world = await demoWorld(kind, { webhooks: local });
    fabrikam = (await customerIds(world, users.admin, 'Fabrikam')).id;
    receiver = await startReceiver((_r, n) => answers[n - 1] ?? 200);
    permission = await setPermission(false);
  });
  afterAll(async () => {
    await receiver.close();
    await world.close();
  });
  beforeEach(async () => {
    answers = [];
    receiver.received.length = 0;
    await world.handle.db.deleteFrom('webhook_attempts').execute();
    await world.handle.db.deleteFrom('webhook_deliveries').execute();
    await world.handle.db.deleteFrom('webhook_endpoints').execute();
  });

  async function setPermission(allowed: boolean) {
    const res = await world.app.inject({
      method: 'PUT',
      url: `/api/customers/${fabrikam}/permissions/AzureSavingsPlan`,
      headers: await world.as(users.admin),
      payload: { allowed },
    });
    expect(res.statusCode, res.body).toBe(200);
    return allowed;
  }
  /** One permission event: the switch flips each time. */
  const flip = async () => {
    permission = await setPermission(!permission);
    return permission ? 'customer.permission.enabled' : 'customer.permission.disabled';
  };

  async function register(
    events = ['customer.permission.enabled', 'customer.permission.disabled'],
    as: string = users.admin,
  ) {
    return world.app.inject({
      method: 'POST',
      url: '/api/webhooks',
      headers: await world.as(as),
      payload: { url: receiver.url, events, description: 'ERP' },
    });
  }

  const deliveries = async (id: string) => {
    const res = await world.app.inject({
      method: 'GET',
      url: `/api/webhooks/${id}/deliveries`,
      headers: await world.as(users.admin),
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as {
      id: string;
      status: string;
      eventType: string;
      attempts: { responseStatus: number | null; error: string | null; replay: boolean }[];
    }[];
  };

  /** Runs the worker until nothing is due (retries are 10 ms apart here). */
  async function drain(settings = local, rounds = 20) {
    for (let i = 0; i < rounds; i++) {
      await deliverDueWebhooks(world.handle.db, settings);
      const pending = await world.handle.db
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('status', '=', 'pending')
        .execute();
      if (pending.length === 0) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('registers an endpoint: the secret is answered once, never listed; the change is audited', async () => {
    const res = await register();
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({
      url: receiver.url,
      events: ['customer.permission.enabled', 'customer.permission.disabled'],
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const list = await world.app.inject({
      method: 'GET',
      url: '/api/webhooks',
      headers: await world.as(users.admin),
    });
    expect(list.json().items).toHaveLength(1);
    expect(list.body).not.toContain(created.secret.slice(6));
    expect(list.json().items[0]).not.toHaveProperty('secret');
    const audit = await world.handle.db
      .selectFrom('audit_records')
      .selectAll()
      .where('operation_type', '=', 'create_webhook_endpoint')
      .where('operation_status', '=', 'succeeded')
      .execute();
    expect(audit.some((a) => a.resource_new_value?.includes(created.id))).toBe(true);
    expect(audit.every((a) => !a.resource_new_value?.includes(created.secret.slice(6)))).toBe(true);
  });

  it('Sales and Helpdesk agents are refused, and each refusal is recorded', async () => {
    for (const who of [users.sales, users.helpdesk]) {
      const before = await world.handle.db
        .selectFrom('audit_records')
        .select('id')
        .where('operation_type', '=', 'create_webhook_endpoint')
        .where('operation_status', '=', 'decline')
        .execute();
      const res = await register(undefined, who);
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('admin-agent-required');
      const after = await world.handle.db
        .selectFrom('audit_records')
        .select('id')
        .where('operation_type', '=', 'create_webhook_endpoint')
        .where('operation_status', '=', 'decline')
        .execute();
      expect(after.length).toBe(before.length + 1);
      const list = await world.app.inject({
        method: 'GET',
        url: '/api/webhooks',
        headers: await world.as(who),
      });
      expect(list.statusCode).toBe(403);
    }
    expect(await world.handle.db.selectFrom('webhook_endpoints').select('id').execute()).toEqual([]);
  });

  it('unknown event types are refused with the valid ones listed', async () => {
    const res = await register(['customer.reservation.purchased', 'invoice.paid']);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('unknown-event-type');
    for (const t of eventTypes) expect(res.json().error.message).toContain(t);
  });

  it('a delivery verifies with the standardwebhooks verifier and matches its payload schema', async () => {
    const { secret, id } = (await register()).json();
    const type = await flip();
    await drain();
    expect(receiver.received).toHaveLength(1);
    const { headers, body } = receiver.received[0];
    const payload = new Webhook(secret).verify(body, headers as Record<string, string>) as { type: string };
    expect(payload.type).toBe(type);
    expect(
      Value.Check(webhookPayload(type), payload),
      JSON.stringify([...Value.Errors(webhookPayload(type), payload)]),
    ).toBe(true);
    const [delivery] = await deliveries(id);
    expect(delivery).toMatchObject({ id: headers['webhook-id'], status: 'succeeded', eventType: type });
    expect(delivery.attempts).toMatchObject([{ responseStatus: 200, error: null, replay: false }]);
    // A tampered body does not verify.
    expect(() =>
      new Webhook(secret).verify(body.replace('Fabrikam', 'Fabrikan'), headers as Record<string, string>),
    ).toThrow();
  });

  it('a receiver that fails twice then succeeds gets one successful delivery, every attempt with the same webhook-id', async () => {
    const { id } = (await register()).json();
    answers = [500, 503, 200];
    await flip();
    await drain();
    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    const [delivery] = await deliveries(id);
    expect(delivery.status).toBe('succeeded');
    expect(delivery.attempts.map((a) => a.responseStatus)).toEqual([500, 503, 200]);
    // Nothing more is sent once it succeeded.
    await drain();
    expect(receiver.received).toHaveLength(3);
  });

  it('gives up after the schedule, failed, every attempt recorded', async () => {
    const { id } = (await register()).json();
    answers = [500, 500, 500, 500, 500];
    await flip();
    await drain();
    const [delivery] = await deliveries(id);
    expect(delivery.status).toBe('failed');
    expect(delivery.attempts).toHaveLength(4);
    expect(receiver.received).toHaveLength(4);
  });

  it('429 with Retry-After waits as told', async () => {
    const { id } = (await register()).json();
    const waits: number[] = [];
    receiver.received.length = 0;
    const r = await startReceiver((_req, n, res) => {
      if (n === 1) {
        res.setHeader('retry-after', '3600');
        return 429;
      }
      return 200;
    });
    try {
      await world.app.inject({
        method: 'PATCH',
        url: `/api/webhooks/${id}`,
        headers: await world.as(users.admin),
        payload: { url: r.url },
      });
      await flip();
      await deliverDueWebhooks(world.handle.db, local);
      const row = await world.handle.db
        .selectFrom('webhook_deliveries')
        .select(['status', 'next_attempt_at'])
        .where('endpoint_id', '=', id)
        .executeTakeFirstOrThrow();
      waits.push(new Date(row.next_attempt_at).getTime() - Date.now());
      expect(row.status).toBe('pending');
      // An hour, not the schedule's 10 ms.
      expect(waits[0]).toBeGreaterThan(3_000_000);
      expect(r.received).toHaveLength(1);
    } finally {
      await r.close();
    }
  });

  it('secret rotation: both signatures verify during the grace period, only the new one after', async () => {
    const { secret: old, id } = (await register()).json();
    const rotated = await world.app.inject({
      method: 'POST',
      url: `/api/webhooks/${id}/rotate-secret`,
      headers: await world.as(users.admin),
    });
    expect(rotated.statusCode, rotated.body).toBe(200);
    const fresh = rotated.json().secret as string;
    expect(fresh).not.toBe(old);
    expect(rotated.json().previousSecretValidUntil).toBeTruthy();
    await flip();
    await drain();
    const first = receiver.received[0];
    expect(String(first.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const s of [old, fresh])
      expect(() => new Webhook(s).verify(first.body, first.headers as Record<string, string>)).not.toThrow();

    // The grace period over: only the new secret signs.
    await world.handle.db
      .updateTable('webhook_endpoints')
      .set({ previous_secret_until: new Date(Date.now() - 1000) })
      .where('id', '=', id)
      .execute();
    await flip();
    await drain();
    const second = receiver.received[1];
    expect(String(second.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(() =>
      new Webhook(fresh).verify(second.body, second.headers as Record<string, string>),
    ).not.toThrow();
    expect(() => new Webhook(old).verify(second.body, second.headers as Record<string, string>)).toThrow();
    const audit = await world.handle.db
      .selectFrom('audit_records')
      .selectAll()
      .where('operation_type', '=', 'rotate_webhook_secret')
      .execute();
    expect(audit.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit)).not.toContain(fresh.slice(6));
  });

  it('410 disables the endpoint; PATCH enabled: true brings it back', async () => {
    const { id } = (await register()).json();
    answers = [410];
    await flip();
    await drain();
    const [delivery] = await deliveries(id);
    expect(delivery.status).toBe('failed');
    expect(delivery.attempts).toHaveLength(1);
    const list = (
      await world.app.inject({ method: 'GET', url: '/api/webhooks', headers: await world.as(users.admin) })
    ).json();
    expect(list.items[0]).toMatchObject({ enabled: false });
    expect(list.items[0].disabledReason).toContain('410');
    // Disabled: the next event queues nothing for it.
    await flip();
    expect(await deliveries(id)).toHaveLength(1);
    const audit = await world.handle.db
      .selectFrom('audit_records')
      .selectAll()
      .where('operation_type', '=', 'update_webhook_endpoint')
      .where('actor_kind', '=', 'system')
      .execute();
    expect(audit.some((a) => a.resource_new_value?.includes(id))).toBe(true);

    const enabled = await world.app.inject({
      method: 'PATCH',
      url: `/api/webhooks/${id}`,
      headers: await world.as(users.admin),
      payload: { enabled: true },
    });
    expect(enabled.statusCode, enabled.body).toBe(200);
    expect(enabled.json()).toMatchObject({ enabled: true, disabledReason: null });
    await flip();
    await drain();
    expect((await deliveries(id))[0]).toMatchObject({ status: 'succeeded' });
  });

  it('the test event is sent at once, verifies, and is not retried', async () => {
    const { id, secret } = (await register()).json();
    const res = await world.app.inject({
      method: 'POST',
      url: `/api/webhooks/${id}/test`,
      headers: await world.as(users.admin),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      eventType: 'webhook.test',
      status: 'succeeded',
      attempts: [{ responseStatus: 200 }],
    });
    const payload = new Webhook(secret).verify(
      receiver.received[0].body,
      receiver.received[0].headers as Record<string, string>,
    );
    expect(payload).toMatchObject({ type: 'webhook.test', data: { endpoint: { id } } });

    answers = [500, 500];
    const failed = await world.app.inject({
      method: 'POST',
      url: `/api/webhooks/${id}/test`,
      headers: await world.as(users.admin),
    });
    expect(failed.json()).toMatchObject({ status: 'failed', attempts: [{ responseStatus: 500 }] });
    await drain();
    expect(receiver.received).toHaveLength(2);
  });

  it('replay sends the same webhook-id again and records the attempt as a replay', async () => {
    const { id } = (await register()).json();
    await flip();
    await drain();
    const [delivery] = await deliveries(id);
    const res = await world.app.inject({
      method: 'POST',
      url: `/api/webhooks/${id}/deliveries/${delivery.id}/replay`,
      headers: await world.as(users.admin),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().attempts.map((a: { replay: boolean }) => a.replay)).toEqual([false, true]);
    expect(receiver.received.map((r) => r.headers['webhook-id'])).toEqual([delivery.id, delivery.id]);
    const missing = await world.app.inject({
      method: 'POST',
      url: `/api/webhooks/${id}/deliveries/msg_nothing/replay`,
      headers: await world.as(users.admin),
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('webhook-delivery-not-found');
  });

  it('another partner sees none of it: not found, exactly as a missing endpoint', async () => {
    const { id } = (await register()).json();
    await flip();
    await drain();
    const [delivery] = await deliveries(id);
    const litware = await world.as(users.litwareAdmin);
    const list = await world.app.inject({ method: 'GET', url: '/api/webhooks', headers: litware });
    expect(list.json().items).toEqual([]);
    for (const [method, url, payload] of [
      ['GET', `/api/webhooks/${id}/deliveries`],
      ['PATCH', `/api/webhooks/${id}`, { enabled: false }],
      ['DELETE', `/api/webhooks/${id}`],
      ['POST', `/api/webhooks/${id}/rotate-secret`],
      ['POST', `/api/webhooks/${id}/test`],
      ['POST', `/api/webhooks/${id}/deliveries/${delivery.id}/replay`],
    ] as const) {
      const res = await world.app.inject({ method, url, headers: litware, payload });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.json().error.code).toBe('webhook-not-found');
    }
    expect(receiver.received).toHaveLength(1);
    expect((await deliveries(id))[0].attempts).toHaveLength(1);
  });

  it('delete removes the endpoint and its deliveries, audited', async () => {
    const { id } = (await register()).json();
    await flip();
    const res = await world.app.inject({
      method: 'DELETE',
      url: `/api/webhooks/${id}`,
      headers: await world.as(users.admin),
    });
    expect(res.statusCode).toBe(204);
    expect(await world.handle.db.selectFrom('webhook_deliveries').select('id').execute()).toEqual([]);
    await drain();
    expect(receiver.received).toEqual([]);
    const again = await world.app.inject({
      method: 'DELETE',
      url: `/api/webhooks/${id}`,
      headers: await world.as(users.admin),
    });
    expect(again.statusCode).toBe(404);
  });

  it('a delivery to an address that is private now fails with a clear error in its attempt', async () => {
    const { id } = (await register()).json();
    await flip();
    // The operator no longer allows private addresses: the same URL is refused at delivery.
    await drain({ ...local, allowPrivate: false });
    const [delivery] = await deliveries(id);
    expect(delivery.attempts[0].error).toMatch(/127\.0\.0\.1 is a loopback address/);
    expect(receiver.received).toEqual([]);
    // And a host name resolving to loopback.
    await world.handle.db
      .updateTable('webhook_endpoints')
      .set({ url: `http://localhost:${receiver.port}/hooks` })
      .where('id', '=', id)
      .execute();
    await world.handle.db
      .updateTable('webhook_deliveries')
      .set({ status: 'pending', next_attempt_at: new Date() })
      .execute();
    await deliverDueWebhooks(world.handle.db, { ...local, allowPrivate: false });
    const [again] = await deliveries(id);
    expect(again.attempts.at(-1)?.error).toMatch(/localhost resolves to .*loopback/);
    expect(receiver.received).toEqual([]);
  });

  it('the OpenAPI document has a webhooks entry per event type', async () => {
    const doc = (await world.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    for (const t of eventTypes) {
      const schema = doc.webhooks[t].post.requestBody.content['application/json'].schema;
      expect(schema.properties.type.const).toBe(t);
      expect(Object.keys(schema.properties)).toEqual(['type', 'timestamp', 'data']);
    }
    expect(doc.webhooks['webhook.test']).toBeTruthy();
  });
});

describe('webhook registration by default (no operator allowance)', () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await demoWorld('pglite');
  });
  afterAll(() => world.close());

  it.each([
    ['http://example.com/hooks', 'webhook-url-not-https'],
    ['https://127.0.0.1/hooks', 'webhook-address-not-allowed'],
    ['https://localhost:8443/hooks', 'webhook-address-not-allowed'],
    ['https://10.0.0.5/hooks', 'webhook-address-not-allowed'],
    ['https://169.254.169.254/latest', 'webhook-address-not-allowed'],
    ['https://[::1]/hooks', 'webhook-address-not-allowed'],
    ['https://[fd00::1]/hooks', 'webhook-address-not-allowed'],
    ['https://100.64.1.1/hooks', 'webhook-address-not-allowed'],
    ['https://0.0.0.0/hooks', 'webhook-address-not-allowed'],
  ])('%s is refused (%s)', async (url, code) => {
    const res = await world.app.inject({
      method: 'POST',
      url: '/api/webhooks',
      headers: await world.as(users.admin),
      payload: { url, events: ['commitment.refunded'] },
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.code).toBe(code);
  });
});
