import { randomBytes, randomUUID } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { principalName } from '../domain/actor.ts';
import type { OperationType } from '../domain/audit.ts';
import { conflict, invalid, type MitraError, notFound } from '../domain/errors.ts';
import { isUuid } from '../domain/ids.ts';
import { authorize, policies } from '../domain/policies.ts';
import {
  blockedAddressReason,
  checkEventTypes,
  checkWebhookUrlShape,
  secretGraceMs,
  testEventType,
  type WebhookSettings,
} from '../domain/webhooks.ts';
import type { Db } from '../store/db.ts';
import { writeAudit } from './audit-log.ts';
import { type Call, inTransaction } from './call.ts';
import { newWebhookId } from './events.ts';
import { type AttemptReport, claimDelivery, deliver } from './webhook-dispatch.ts';

/**
 * Webhook endpoints (B1), the partner's Admin agents' to manage: register one with the event types
 * it hears, change, disable or enable it, rotate its secret, look at its deliveries and their
 * attempts, replay one, send a test event. Sales and Helpdesk agents are refused, and the refusal
 * recorded, as for every Admin-only change. Another partner's endpoint is not found.
 */

export interface EndpointView {
  id: string;
  url: string;
  description: string;
  events: string[];
  enabled: boolean;
  disabledReason: string | null;
  /** While set, deliveries are signed with the previous secret too, until this moment. */
  previousSecretValidUntil: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface AttemptView {
  attemptedAt: string;
  responseStatus: number | null;
  error: string | null;
  durationMs: number;
  replay: boolean;
}

export interface DeliveryView {
  id: string;
  eventId: string;
  eventType: string;
  occurredAt: string;
  status: 'pending' | 'succeeded' | 'failed';
  attemptCount: number;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  lastResponseStatus: number | null;
  lastError: string | null;
  attempts: AttemptView[];
}

const iso = (d: Date | string | null) => (d == null ? null : new Date(d).toISOString());

type EndpointRow = {
  id: string;
  url: string;
  description: string;
  events: string[];
  enabled: boolean;
  disabled_reason: string | null;
  previous_secret_until: Date | null;
  created_at: Date;
  updated_at: Date;
};

const view = (e: EndpointRow, now = new Date()): EndpointView => ({
  id: e.id,
  url: e.url,
  description: e.description,
  events: e.events,
  enabled: e.enabled,
  disabledReason: e.disabled_reason,
  previousSecretValidUntil:
    e.previous_secret_until && new Date(e.previous_secret_until) > now ? iso(e.previous_secret_until) : null,
  createdAt: iso(e.created_at)!,
  updatedAt: iso(e.updated_at)!,
});

/** What the activity log keeps of an endpoint: never its secret. */
const audited = (e: EndpointView) => ({
  id: e.id,
  url: e.url,
  description: e.description,
  events: e.events,
  enabled: e.enabled,
});

const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

const endpointNotFound = (id: string) =>
  notFound(
    'webhook-not-found',
    `No webhook endpoint with id ${id} exists; list yours with GET /api/webhooks.`,
  );

const columns = [
  'id',
  'url',
  'description',
  'events',
  'enabled',
  'disabled_reason',
  'previous_secret_until',
  'created_at',
  'updated_at',
] as const;

async function loadEndpoint(db: Db, call: Call, id: string, lock = false): Promise<EndpointRow> {
  if (!isUuid(id)) throw endpointNotFound(id);
  let q = db
    .selectFrom('webhook_endpoints')
    .select(columns)
    .where('id', '=', id)
    .where('partner_id', '=', call.actor.partnerId);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw endpointNotFound(id);
  return row;
}

/** A refused attempt is a fact worth keeping: one record, in its own transaction. */
async function refuseUnlessManager(db: Db, call: Call, operationType: OperationType, endpointId?: string) {
  if (policies.webhooksManage.allows(call.actor)) return;
  const refusal: MitraError = policies.webhooksManage.refusal(call.actor);
  await inTransaction(db, (trx) =>
    writeAudit(trx, call, {
      partnerId: call.actor.partnerId,
      resourceType: 'webhook_endpoint',
      operationType,
      status: 'decline',
      details: {
        refusedWith: refusal.code,
        reason: refusal.message,
        ...(endpointId ? { endpointId } : {}),
      },
    }),
  );
  throw refusal;
}

/**
 * The URL's rules at registration: its shape, then every address its host resolves to (none may be
 * loopback, private, link-local… unless the operator allows it). Deliveries check again.
 */
export async function checkWebhookUrl(text: string, settings: WebhookSettings): Promise<string> {
  const url = checkWebhookUrlShape(text, settings);
  if (settings.allowPrivate) return url.toString();
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: { address: string }[];
  try {
    addresses = await lookup(host, { all: true });
  } catch {
    throw invalid(
      'webhook-host-unresolvable',
      `The host ${host} does not resolve to any address; check the URL (the endpoint must be reachable from Mitra).`,
    );
  }
  for (const { address } of addresses) {
    const reason = blockedAddressReason(address);
    if (reason)
      throw invalid(
        'webhook-address-not-allowed',
        `${host} resolves to ${address}, a ${reason} address; webhooks reach public addresses only (the operator may allow private ones with MITRA_WEBHOOK_ALLOW_PRIVATE=true).`,
      );
  }
  return url.toString();
}

export async function listWebhooks(db: Db, call: Call): Promise<EndpointView[]> {
  authorize(call.actor, 'webhooksRead');
  const rows = await db
    .selectFrom('webhook_endpoints')
    .select(columns)
    .where('partner_id', '=', call.actor.partnerId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => view(r));
}

export async function getWebhook(db: Db, call: Call, id: string): Promise<EndpointView> {
  authorize(call.actor, 'webhooksRead');
  return view(await loadEndpoint(db, call, id));
}

export interface NewEndpoint {
  url: string;
  events: string[];
  description?: string;
}

/** Registers an endpoint; its secret is answered this once and never again. */
export async function createWebhook(
  db: Db,
  call: Call,
  settings: WebhookSettings,
  input: NewEndpoint,
): Promise<EndpointView & { secret: string }> {
  authorize(call.actor, 'webhooksAttempt');
  await refuseUnlessManager(db, call, 'create_webhook_endpoint');
  const events = checkEventTypes(input.events);
  const url = await checkWebhookUrl(input.url, settings);
  const secret = newSecret();
  return inTransaction(db, async (trx) => {
    const now = new Date();
    const row = await trx
      .insertInto('webhook_endpoints')
      .values({
        id: randomUUID(),
        partner_id: call.actor.partnerId,
        url,
        description: input.description ?? '',
        events: JSON.stringify(events),
        secret,
        updated_at: now,
      })
      .returning(columns)
      .executeTakeFirstOrThrow();
    const created = view(row);
    await writeAudit(trx, call, {
      partnerId: call.actor.partnerId,
      resourceType: 'webhook_endpoint',
      operationType: 'create_webhook_endpoint',
      newValue: audited(created),
      details: { endpointId: created.id },
    });
    return { ...created, secret };
  });
}

export interface EndpointChange {
  url?: string;
  events?: string[];
  description?: string;
  enabled?: boolean;
}

/** Changes an endpoint; `enabled: true` brings back one that a 410 (or an Admin agent) disabled. */
export async function updateWebhook(
  db: Db,
  call: Call,
  settings: WebhookSettings,
  id: string,
  change: EndpointChange,
): Promise<EndpointView> {
  authorize(call.actor, 'webhooksAttempt');
  await loadEndpoint(db, call, id);
  await refuseUnlessManager(db, call, 'update_webhook_endpoint', id);
  const events = change.events === undefined ? undefined : checkEventTypes(change.events);
  const url = change.url === undefined ? undefined : await checkWebhookUrl(change.url, settings);
  return inTransaction(db, async (trx) => {
    const before = view(await loadEndpoint(trx, call, id, true));
    const set = {
      ...(url !== undefined ? { url } : {}),
      ...(events !== undefined ? { events: JSON.stringify(events) } : {}),
      ...(change.description !== undefined ? { description: change.description } : {}),
      ...(change.enabled !== undefined
        ? {
            enabled: change.enabled,
            disabled_reason: change.enabled
              ? null
              : `Disabled by ${principalName(call.actor) ?? 'an application'}.`,
          }
        : {}),
    };
    const same =
      (url === undefined || url === before.url) &&
      (events === undefined || JSON.stringify(events) === JSON.stringify(before.events)) &&
      (change.description === undefined || change.description === before.description) &&
      (change.enabled === undefined || change.enabled === before.enabled);
    if (same) return before;
    const row = await trx
      .updateTable('webhook_endpoints')
      .set({ ...set, updated_at: new Date() })
      .where('id', '=', id)
      .returning(columns)
      .executeTakeFirstOrThrow();
    const after = view(row);
    await writeAudit(trx, call, {
      partnerId: call.actor.partnerId,
      resourceType: 'webhook_endpoint',
      operationType: 'update_webhook_endpoint',
      oldValue: audited(before),
      newValue: audited(after),
      details: { endpointId: id },
    });
    return after;
  });
}

/** Deletes an endpoint with its deliveries and their attempts; the events themselves stay. */
export async function deleteWebhook(db: Db, call: Call, id: string): Promise<void> {
  authorize(call.actor, 'webhooksAttempt');
  await loadEndpoint(db, call, id);
  await refuseUnlessManager(db, call, 'delete_webhook_endpoint', id);
  await inTransaction(db, async (trx) => {
    const before = view(await loadEndpoint(trx, call, id, true));
    const deliveries = trx.selectFrom('webhook_deliveries').select('id').where('endpoint_id', '=', id);
    await trx.deleteFrom('webhook_attempts').where('delivery_id', 'in', deliveries).execute();
    await trx.deleteFrom('webhook_deliveries').where('endpoint_id', '=', id).execute();
    await trx.deleteFrom('webhook_endpoints').where('id', '=', id).execute();
    await writeAudit(trx, call, {
      partnerId: call.actor.partnerId,
      resourceType: 'webhook_endpoint',
      operationType: 'delete_webhook_endpoint',
      oldValue: audited(before),
      details: { endpointId: id },
    });
  });
}

/**
 * A new secret, answered once. The previous one keeps signing deliveries (a second signature in
 * `webhook-signature`) for 24 hours, so receivers can switch without missing one.
 */
export async function rotateWebhookSecret(
  db: Db,
  call: Call,
  id: string,
): Promise<EndpointView & { secret: string }> {
  authorize(call.actor, 'webhooksAttempt');
  await loadEndpoint(db, call, id);
  await refuseUnlessManager(db, call, 'rotate_webhook_secret', id);
  const secret = newSecret();
  return inTransaction(db, async (trx) => {
    await loadEndpoint(trx, call, id, true);
    const now = new Date();
    const until = new Date(now.getTime() + secretGraceMs);
    const current = await trx
      .selectFrom('webhook_endpoints')
      .select('secret')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const row = await trx
      .updateTable('webhook_endpoints')
      .set({ secret, previous_secret: current.secret, previous_secret_until: until, updated_at: now })
      .where('id', '=', id)
      .returning(columns)
      .executeTakeFirstOrThrow();
    await writeAudit(trx, call, {
      partnerId: call.actor.partnerId,
      resourceType: 'webhook_endpoint',
      operationType: 'rotate_webhook_secret',
      details: { endpointId: id, previousSecretValidUntil: until.toISOString() },
    });
    return { ...view(row, now), secret };
  });
}

async function deliveryViews(db: Db, where: { endpointId: string; deliveryId?: string; limit: number }) {
  let q = db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('partner_events as ev', 'ev.id', 'd.event_id')
    .select([
      'd.id',
      'd.event_id',
      'ev.type',
      'ev.occurred_at',
      'd.status',
      'd.attempts',
      'd.next_attempt_at',
      'd.delivered_at',
      'd.last_response_status',
      'd.last_error',
      'd.created_at',
    ])
    .where('d.endpoint_id', '=', where.endpointId);
  if (where.deliveryId) q = q.where('d.id', '=', where.deliveryId);
  const rows = await q.orderBy('d.created_at', 'desc').orderBy('d.id', 'desc').limit(where.limit).execute();
  const attempts = rows.length
    ? await db
        .selectFrom('webhook_attempts')
        .selectAll()
        .where(
          'delivery_id',
          'in',
          rows.map((r) => r.id),
        )
        .orderBy('id')
        .execute()
    : [];
  return rows.map(
    (r): DeliveryView => ({
      id: r.id,
      eventId: r.event_id,
      eventType: r.type,
      occurredAt: iso(r.occurred_at)!,
      status: r.status,
      attemptCount: r.attempts,
      nextAttemptAt: r.status === 'pending' ? iso(r.next_attempt_at) : null,
      deliveredAt: iso(r.delivered_at),
      lastResponseStatus: r.last_response_status,
      lastError: r.last_error,
      attempts: attempts
        .filter((a) => a.delivery_id === r.id)
        .map((a) => ({
          attemptedAt: iso(a.attempted_at)!,
          responseStatus: a.response_status,
          error: a.error,
          durationMs: a.duration_ms,
          replay: a.replay,
        })),
    }),
  );
}

/** An endpoint's deliveries, newest first, each with its attempts. */
export async function listDeliveries(db: Db, call: Call, id: string, limit = 50): Promise<DeliveryView[]> {
  authorize(call.actor, 'webhooksRead');
  await loadEndpoint(db, call, id);
  return deliveryViews(db, { endpointId: id, limit });
}

const deliveryNotFound = (id: string) =>
  notFound(
    'webhook-delivery-not-found',
    `No delivery ${id} exists for this endpoint; list them with GET /api/webhooks/{id}/deliveries.`,
  );

async function replayNow(db: Db, settings: WebhookSettings, deliveryId: string): Promise<AttemptReport> {
  const claim = await claimDelivery(db, settings, deliveryId);
  if (!claim)
    throw conflict(
      'webhook-delivery-in-progress',
      'This delivery is being sent right now; look at its attempts in a moment.',
    );
  const report = await deliver(db, settings, claim, { replay: true });
  if (!report) throw deliveryNotFound(deliveryId);
  return report;
}

/**
 * Sends a delivery again now, with the same `webhook-id` (receivers recognise it). The attempt is
 * marked as a replay; one that succeeds delivers it, one that fails leaves its course as it was.
 */
export async function replayDelivery(
  db: Db,
  call: Call,
  settings: WebhookSettings,
  id: string,
  deliveryId: string,
): Promise<DeliveryView> {
  authorize(call.actor, 'webhooksAttempt');
  await loadEndpoint(db, call, id);
  await refuseUnlessManager(db, call, 'replay_webhook_delivery', id);
  await inTransaction(db, async (trx) => {
    const found = await trx
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('id', '=', deliveryId)
      .where('endpoint_id', '=', id)
      .executeTakeFirst();
    if (!found) throw deliveryNotFound(deliveryId);
    await writeAudit(trx, call, {
      partnerId: call.actor.partnerId,
      resourceType: 'webhook_endpoint',
      operationType: 'replay_webhook_delivery',
      details: { endpointId: id, deliveryId },
    });
  });
  await replayNow(db, settings, deliveryId);
  return (await deliveryViews(db, { endpointId: id, deliveryId, limit: 1 }))[0];
}

/**
 * Sends a `webhook.test` event to the endpoint now (even a disabled one, to check it before
 * enabling it again), once, without retries; answers the delivery with its attempt.
 */
export async function sendTestEvent(
  db: Db,
  call: Call,
  settings: WebhookSettings,
  id: string,
): Promise<DeliveryView> {
  authorize(call.actor, 'webhooksAttempt');
  await loadEndpoint(db, call, id);
  await refuseUnlessManager(db, call, 'test_webhook_endpoint', id);
  // Inserted already claimed, so no worker sends it before this call does.
  const lockedUntil = new Date(Date.now() + settings.leaseMs);
  const deliveryId = await inTransaction(db, async (trx) => {
    const endpoint = await loadEndpoint(trx, call, id);
    const eventId = randomUUID();
    const now = new Date();
    await trx
      .insertInto('partner_events')
      .values({
        id: eventId,
        partner_id: call.actor.partnerId,
        type: testEventType,
        occurred_at: now,
        data: JSON.stringify({
          endpoint: { id: endpoint.id, url: endpoint.url },
          sentBy:
            principalName(call.actor) ??
            (call.actor.kind === 'application' ? call.actor.applicationId : 'system'),
          message: 'A test event from Mitra: your endpoint is reachable and can verify the signature.',
        }),
      })
      .execute();
    const deliveryId = newWebhookId();
    await trx
      .insertInto('webhook_deliveries')
      .values({
        id: deliveryId,
        endpoint_id: id,
        event_id: eventId,
        partner_id: call.actor.partnerId,
        next_attempt_at: now,
        locked_until: lockedUntil,
      })
      .execute();
    await writeAudit(trx, call, {
      partnerId: call.actor.partnerId,
      resourceType: 'webhook_endpoint',
      operationType: 'test_webhook_endpoint',
      details: { endpointId: id, deliveryId },
    });
    return deliveryId;
  });
  await deliver(db, settings, { id: deliveryId, lockedUntil });
  return (await deliveryViews(db, { endpointId: id, deliveryId, limit: 1 }))[0];
}
