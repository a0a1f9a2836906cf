import { randomUUID } from 'node:crypto';
import { lookup as dnsLookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { sql } from 'kysely';
import { Webhook } from 'standardwebhooks';
import {
  type AttemptOutcome,
  blockedAddressReason,
  decideAfterAttempt,
  testEventType,
  type WebhookSettings,
} from '../domain/webhooks.ts';
import type { Db } from '../store/db.ts';
import { writeAudit } from './audit-log.ts';
import { inTransaction } from './call.ts';

/**
 * Sending one webhook delivery (B1): sign it (Standard Webhooks, `standardwebhooks`), POST it with
 * a bounded timeout to an address checked again at this moment, record the attempt and decide
 * what comes next, all under the delivery's lease so no two processes send it at once. The worker
 * (src/jobs/webhook-delivery.ts), the replay and the test event all come through here.
 */

export interface Claim {
  id: string;
  /** The lease this process holds; the outcome is written only while it is still ours. */
  lockedUntil: Date;
}

/** Claims up to `limit` due pending deliveries (a dead process's expired leases included). */
export async function claimDueDeliveries(db: Db, settings: WebhookSettings, limit: number): Promise<Claim[]> {
  const until = new Date(Date.now() + settings.leaseMs);
  const { rows } = await sql<{ id: string; locked_until: Date }>`
    update webhook_deliveries set locked_until = ${until}
    where id in (
      select id from webhook_deliveries
      where status = 'pending' and next_attempt_at <= now()
        and (locked_until is null or locked_until < now())
      order by next_attempt_at
      limit ${limit}
      for update skip locked
    )
    returning id, locked_until`.execute(db);
  return rows.map((r) => ({ id: r.id, lockedUntil: new Date(r.locked_until) }));
}

/** Claims one delivery whatever its status (a replay, a test), unless a worker holds it right now. */
export async function claimDelivery(db: Db, settings: WebhookSettings, id: string): Promise<Claim | null> {
  const until = new Date(Date.now() + settings.leaseMs);
  const { rows } = await sql<{ id: string; locked_until: Date }>`
    update webhook_deliveries set locked_until = ${until}
    where id = ${id} and (locked_until is null or locked_until < now())
    returning id, locked_until`.execute(db);
  return rows[0] ? { id: rows[0].id, lockedUntil: new Date(rows[0].locked_until) } : null;
}

/** The signatures a delivery carries: the current secret's, and the previous one's during its grace. */
export function signatures(
  endpoint: { secret: string; previous_secret: string | null; previous_secret_until: Date | null },
  id: string,
  at: Date,
  body: string,
): string {
  const sigs = [new Webhook(endpoint.secret).sign(id, at, body)];
  if (
    endpoint.previous_secret &&
    endpoint.previous_secret_until &&
    new Date(endpoint.previous_secret_until) > at
  )
    sigs.push(new Webhook(endpoint.previous_secret).sign(id, at, body));
  return sigs.join(' ');
}

/** A DNS lookup that refuses private addresses: the check happens on the very address connected to. */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as { address: string; family: number }[];
      if (!allowPrivate) {
        const bad = list.map((a) => [a.address, blockedAddressReason(a.address)] as const).find(([, r]) => r);
        if (bad)
          return callback(
            Object.assign(
              new Error(
                `${hostname} resolves to ${bad[0]}, a ${bad[1]} address; webhooks reach public addresses only (the operator may set MITRA_WEBHOOK_ALLOW_PRIVATE=true).`,
              ),
              { code: 'EWEBHOOKPRIVATE' },
            ),
            '',
            0,
          );
      }
      if (options.all) return (callback as unknown as (e: null, a: typeof list) => void)(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
}

export interface SendResult {
  outcome: AttemptOutcome;
  durationMs: number;
}

/** One POST, bounded by the timeout from connection to the last byte of the answer. */
export function send(
  url: string,
  headers: Record<string, string>,
  body: string,
  settings: WebhookSettings,
  signal?: AbortSignal,
): Promise<SendResult> {
  const started = performance.now();
  const target = new URL(url);
  const literal = target.hostname.replace(/^\[|\]$/g, '');
  const done = (outcome: AttemptOutcome): SendResult => ({
    outcome,
    durationMs: Math.round(performance.now() - started),
  });
  if (!settings.allowPrivate) {
    const reason = blockedAddressReason(literal);
    if (reason && reason !== 'not an IP address')
      return Promise.resolve(
        done({
          kind: 'error',
          message: `${literal} is a ${reason} address; webhooks reach public addresses only (the operator may set MITRA_WEBHOOK_ALLOW_PRIVATE=true).`,
        }),
      );
  }
  if (target.protocol === 'http:' && !settings.allowHttp)
    return Promise.resolve(
      done({
        kind: 'error',
        message: 'Plain http is not allowed (MITRA_WEBHOOK_ALLOW_HTTP is not set); use https.',
      }),
    );
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: AttemptOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(done(outcome));
    };
    const client = target.protocol === 'https:' ? https : http;
    const request = client.request(
      target,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
        lookup: guardedLookup(settings.allowPrivate),
        signal,
      },
      (response) => {
        // The answer's body is not needed; read it (bounded) so the socket is freed.
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > 64 * 1024) response.destroy();
        });
        const answered = () =>
          finish({
            kind: 'answered',
            status: response.statusCode ?? 0,
            retryAfter: (response.headers['retry-after'] as string | undefined) ?? null,
          });
        response.on('end', answered);
        response.on('close', answered);
        response.on('error', answered);
      },
    );
    const timer = setTimeout(() => {
      request.destroy(new Error(`no answer within ${settings.timeoutMs} ms`));
    }, settings.timeoutMs);
    request.on('error', (error) => finish({ kind: 'error', message: error.message }));
    request.end(body);
  });
}

/** The body of a delivery: Standard Webhooks' `{ type, timestamp, data }`. */
export const payloadOf = (event: { type: string; occurred_at: Date; data: unknown }) =>
  JSON.stringify({
    type: event.type,
    timestamp: new Date(event.occurred_at).toISOString(),
    data: event.data,
  });

export interface AttemptReport {
  status: 'pending' | 'succeeded' | 'failed';
  responseStatus: number | null;
  error: string | null;
  durationMs: number;
}

/**
 * Sends a claimed delivery once and writes what happened. `replay`: an Admin agent asked for it
 * again; a failed replay leaves the delivery as it was. Answers null when the delivery is gone (its
 * endpoint deleted) or the lease was lost; then nothing is written.
 */
export async function deliver(
  db: Db,
  settings: WebhookSettings,
  claim: Claim,
  options: { replay?: boolean; signal?: AbortSignal } = {},
): Promise<AttemptReport | null> {
  const row = await db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
    .innerJoin('partner_events as ev', 'ev.id', 'd.event_id')
    .select([
      'd.id',
      'd.status',
      'd.attempts',
      'd.partner_id',
      'e.id as endpoint_id',
      'e.url',
      'e.enabled',
      'e.secret',
      'e.previous_secret',
      'e.previous_secret_until',
      'ev.type',
      'ev.occurred_at',
      'ev.data',
    ])
    .where('d.id', '=', claim.id)
    .executeTakeFirst();
  if (!row) return null;
  if (!row.enabled && !options.replay && row.type !== testEventType) {
    // Nothing is sent to a disabled endpoint; the delivery stays listed, failed, and can be replayed.
    await db
      .updateTable('webhook_deliveries')
      .set({
        status: 'failed',
        locked_until: null,
        last_error: 'The endpoint is disabled; nothing was sent.',
      })
      .where('id', '=', row.id)
      .where('locked_until', '=', claim.lockedUntil)
      .execute();
    return { status: 'failed', responseStatus: null, error: 'endpoint disabled', durationMs: 0 };
  }
  const body = payloadOf(row);
  const at = new Date();
  const headers = {
    'webhook-id': row.id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signatures(row, row.id, at, body),
    'user-agent': 'Mitra-Webhooks/1',
  };
  const attemptedAt = new Date();
  const { outcome, durationMs } = await send(row.url, headers, body, settings, options.signal);
  if (options.signal?.aborted) {
    // Stopping: the next process sends it again (the receiver may see the id twice, as the spec allows).
    await db
      .updateTable('webhook_deliveries')
      .set({ locked_until: null })
      .where('id', '=', row.id)
      .where('locked_until', '=', claim.lockedUntil)
      .execute();
    return null;
  }
  const attempts = row.attempts + 1;
  const decision = decideAfterAttempt(
    outcome,
    attempts,
    settings.retrySchedule,
    new Date(),
    row.type !== testEventType,
  );
  const responseStatus = outcome.kind === 'answered' ? outcome.status : null;
  const error =
    outcome.kind === 'error'
      ? outcome.message.slice(0, 1000)
      : responseStatus !== null && (responseStatus < 200 || responseStatus >= 300)
        ? `The endpoint answered ${responseStatus}.`
        : null;

  return inTransaction(db, async (trx) => {
    const current = await trx
      .selectFrom('webhook_deliveries')
      .select(['id', 'status', 'locked_until'])
      .where('id', '=', row.id)
      .forUpdate()
      .executeTakeFirst();
    if (!current) return null;
    await trx
      .insertInto('webhook_attempts')
      .values({
        delivery_id: row.id,
        attempted_at: attemptedAt,
        response_status: responseStatus,
        error,
        duration_ms: durationMs,
        replay: options.replay ?? false,
      })
      .execute();
    const ours =
      current.locked_until && new Date(current.locked_until).getTime() === claim.lockedUntil.getTime();
    if (!ours) return null;
    let status = decision.status;
    // A replay that fails changes nothing of the delivery's course; one that succeeds delivers it.
    if (options.replay && decision.status !== 'succeeded') status = current.status;
    await trx
      .updateTable('webhook_deliveries')
      .set({
        status,
        // Replays are extra: they do not use up the schedule's retries.
        attempts: options.replay ? row.attempts : attempts,
        locked_until: null,
        last_response_status: responseStatus,
        last_error: error,
        ...(decision.status === 'succeeded' ? { delivered_at: new Date() } : {}),
        ...(decision.status === 'pending' && !options.replay
          ? { next_attempt_at: new Date(Date.now() + decision.delayMs) }
          : {}),
      })
      .where('id', '=', row.id)
      .execute();
    if (decision.status === 'failed' && decision.disableEndpoint) {
      const reason = `The endpoint answered 410 Gone on ${attemptedAt.toISOString()}; deliveries stopped. Re-enable it when it is back.`;
      const disabled = await trx
        .updateTable('webhook_endpoints')
        .set({ enabled: false, disabled_reason: reason, updated_at: new Date() })
        .where('id', '=', row.endpoint_id)
        .where('enabled', '=', true)
        .returning('id')
        .executeTakeFirst();
      if (disabled)
        await writeAudit(
          trx,
          { actor: { kind: 'system', partnerId: row.partner_id }, correlationId: randomUUID() },
          {
            partnerId: row.partner_id,
            resourceType: 'webhook_endpoint',
            operationType: 'update_webhook_endpoint',
            oldValue: { id: row.endpoint_id, enabled: true },
            newValue: { id: row.endpoint_id, enabled: false, disabledReason: reason },
            details: { endpointId: row.endpoint_id, reason: 'gone-410' },
          },
        );
    }
    return { status, responseStatus, error, durationMs };
  });
}
