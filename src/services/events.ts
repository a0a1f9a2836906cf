import { randomBytes, randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { defaultDelivery, type EventType } from '../domain/events.ts';
import type { Db } from '../store/db.ts';
import type { CommitmentsTable, Customer } from '../store/schema.ts';

/**
 * Records an event and fans it out, in the caller's transaction (B1): so the event, its webhook
 * deliveries, feed entries and e-mails commit with the change they report, or not at all. The
 * workers that send (src/jobs/webhook-delivery.ts, src/jobs/email-delivery.ts) only ever read
 * what committed.
 *
 * `conditionKey` makes an alert once-only: a second event of the same type and key for the same
 * partner is not recorded (and nothing is sent); emitEvent then answers null.
 */
export interface PartnerEvent {
  partnerId: string;
  customerId?: string | null;
  type: EventType;
  data: Record<string, unknown>;
  occurredAt?: Date;
  conditionKey?: string;
}

export interface EmittedEvent {
  id: string;
  type: EventType;
  timestamp: Date;
}

/** Standard Webhooks message ids: `msg_` and a random, URL-safe id. */
export const newWebhookId = () => `msg_${randomBytes(16).toString('base64url')}`;

export async function emitEvent(trx: Db, event: PartnerEvent): Promise<EmittedEvent | null> {
  const id = randomUUID();
  const occurredAt = event.occurredAt ?? new Date();
  const inserted = await trx
    .insertInto('partner_events')
    .values({
      id,
      partner_id: event.partnerId,
      customer_id: event.customerId ?? null,
      type: event.type,
      occurred_at: occurredAt,
      data: JSON.stringify(event.data),
      condition_key: event.conditionKey ?? null,
    })
    .onConflict((oc) =>
      oc.columns(['partner_id', 'type', 'condition_key']).where('condition_key', 'is not', null).doNothing(),
    )
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return null;

  const endpoints = await trx
    .selectFrom('webhook_endpoints')
    .select(['id', 'events'])
    .where('partner_id', '=', event.partnerId)
    .where('enabled', '=', true)
    .execute();
  const subscribed = endpoints.filter((e) => e.events.includes(event.type));
  if (subscribed.length)
    await trx
      .insertInto('webhook_deliveries')
      .values(
        subscribed.map((e) => ({
          id: newWebhookId(),
          endpoint_id: e.id,
          event_id: id,
          partner_id: event.partnerId,
          next_attempt_at: occurredAt,
        })),
      )
      .execute();

  const users = await trx
    .selectFrom('partner_users')
    .leftJoin('notification_preferences as p', (join) =>
      join.onRef('p.partner_user_id', '=', 'partner_users.id').on('p.event_type', '=', event.type),
    )
    .select(['partner_users.id', 'partner_users.email', 'p.in_app', 'p.email as by_email'])
    .where('partner_users.partner_id', '=', event.partnerId)
    .execute();
  const feed = users.filter((u) => u.in_app ?? defaultDelivery.inApp);
  if (feed.length)
    await trx
      .insertInto('notifications')
      .values(
        feed.map((u) => ({ id: randomUUID(), partner_user_id: u.id, event_id: id, created_at: occurredAt })),
      )
      .execute();
  const mail = users.filter((u) => u.by_email ?? defaultDelivery.email);
  if (mail.length)
    await trx
      .insertInto('email_outbox')
      .values(
        mail.map((u) => ({
          id: randomUUID(),
          event_id: id,
          partner_user_id: u.id,
          to_address: u.email,
          next_attempt_at: occurredAt,
        })),
      )
      .execute();
  return { id, type: event.type, timestamp: occurredAt };
}

/** How events name a customer and a commitment: enough to act on without another request. */
export const customerRef = (c: Customer) => ({ id: c.id, name: c.company_name });

export const commitmentRef = (c: Selectable<CommitmentsTable>) => ({
  id: c.id,
  kind: c.kind === 'reservation' ? 'reservation' : 'savingsPlan',
  displayName: c.display_name,
  sku: c.sku,
  region: c.region,
  quantity: c.quantity,
  hourlyCommitment: c.hourly_commitment,
  term: c.term,
  billingPlan: c.billing_plan,
  total: c.total_price,
  currency: c.currency,
  boughtBy: c.bought_by,
  purchasedAt: new Date(c.purchased_at).toISOString(),
  expiresAt: new Date(c.expires_at).toISOString(),
  renew: c.renew,
});
