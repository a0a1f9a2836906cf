import { sql } from 'kysely';
import type { Actor } from '../domain/actor.ts';
import { invalid, notFound } from '../domain/errors.ts';
import {
  eventLabelsByLanguage,
  eventLink,
  eventSentence,
  type SentenceLanguage,
} from '../domain/event-sentences.ts';
import { defaultDelivery, type EventType, eventTypes, isEventType } from '../domain/events.ts';
import { authorize } from '../domain/policies.ts';
import type { Db } from '../store/db.ts';
import { type Call, inTransaction, nowOf } from './call.ts';
import { decodeContinuation, encodeContinuation, pageSize } from './paging.ts';

/**
 * The in-app feed (B1): one `notifications` row per partner user and event, written by emitEvent
 * in the event's transaction. A user reads and marks only their own rows. Marking read and
 * choosing one's own deliveries are a user's view of the feed, not the partner's business state,
 * so they write no activity record (docs/architecture.md, "Audit").
 */
export interface FeedEntry {
  id: string;
  eventId: string;
  type: EventType;
  label: string;
  occurredAt: Date;
  read: boolean;
  readAt: Date | null;
  sentence: string;
  link: string;
  customer: { id: string; name: string } | null;
  /** Savings plans a customer bought itself: shown here, hidden from the partner-center dialect (B3, R11). */
  beyondPartnerCenter: boolean;
  data: Record<string, unknown>;
}

function userOf(actor: Actor): string {
  // partnerUserSelf admits partner users only; this narrows the type for the queries below.
  if (actor.kind !== 'partner_user')
    throw new Error('unreachable: partnerUserSelf admits partner users only');
  return actor.userId;
}

const notificationNotFound = (id: string) =>
  notFound(
    'notification-not-found',
    `No notification with id ${id} is in your feed. List your feed with GET /api/notifications.`,
  );

const isBeyondPartnerCenter = (type: string, data: Record<string, unknown>) => {
  const kindOf = (v: unknown) => (v && typeof v === 'object' ? (v as { kind?: unknown }).kind : undefined);
  const commitment = data.commitment ?? data.created ?? data.approval;
  return type === 'customer.savingsplan.purchased' || kindOf(commitment) === 'savingsPlan';
};

export async function listNotifications(
  db: Db,
  call: Call,
  query: { size?: number; continuationToken?: string; unread?: boolean; language: SentenceLanguage },
): Promise<{ items: FeedEntry[]; continuationToken: string | null }> {
  authorize(call.actor, 'partnerUserSelf');
  const userId = userOf(call.actor);
  const size = pageSize(query.size, 50, 200);
  const after = query.continuationToken
    ? decodeContinuation<{ t: string; id: string }>(query.continuationToken, { t: 'string', id: 'uuid' })
    : null;
  const afterTime = after ? new Date(after.t) : null;
  if (afterTime && Number.isNaN(afterTime.getTime()))
    throw invalid(
      'invalid-continuation-token',
      'The continuation token is not one this server issued; start again from the first page.',
    );
  let q = db
    .selectFrom('notifications as n')
    .innerJoin('partner_events as e', 'e.id', 'n.event_id')
    .leftJoin('customers as c', 'c.id', 'e.customer_id')
    .select([
      'n.id',
      'n.event_id',
      'n.created_at',
      'n.read_at',
      'e.type',
      'e.occurred_at',
      'e.data',
      'e.customer_id',
      'c.company_name',
    ])
    .where('n.partner_user_id', '=', userId)
    .orderBy('n.created_at', 'desc')
    .orderBy('n.id', 'desc')
    .limit(size + 1);
  if (query.unread) q = q.where('n.read_at', 'is', null);
  if (after && afterTime)
    q = q.where((eb) =>
      eb.or([
        eb('n.created_at', '<', afterTime),
        eb.and([eb('n.created_at', '=', afterTime), eb('n.id', '<', after.id)]),
      ]),
    );
  const rows = await q.execute();
  const page = rows.slice(0, size);
  const labels = eventLabelsByLanguage[query.language];
  const items = page
    .filter((r) => isEventType(r.type))
    .map((r): FeedEntry => {
      const data = (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, unknown>;
      const type = r.type as EventType;
      return {
        id: r.id,
        eventId: r.event_id,
        type,
        label: labels[type],
        occurredAt: new Date(r.occurred_at),
        read: r.read_at !== null,
        readAt: r.read_at ? new Date(r.read_at) : null,
        sentence: eventSentence(type, data, query.language),
        link: eventLink(type, data, r.customer_id),
        customer: r.customer_id ? { id: r.customer_id, name: r.company_name ?? '' } : null,
        beyondPartnerCenter: isBeyondPartnerCenter(type, data),
        data,
      };
    });
  const last = page.at(-1);
  return {
    items,
    continuationToken:
      rows.length > size && last
        ? encodeContinuation({ t: new Date(last.created_at).toISOString(), id: last.id })
        : null,
  };
}

export async function unreadCount(db: Db, call: Call): Promise<number> {
  authorize(call.actor, 'partnerUserSelf');
  const row = await db
    .selectFrom('notifications')
    .select(sql<string>`count(*)`.as('n'))
    .where('partner_user_id', '=', userOf(call.actor))
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks one of the caller's own entries read; another user's (or another partner's) is not found. */
export async function markNotificationRead(db: Db, call: Call, id: string): Promise<{ unreadCount: number }> {
  authorize(call.actor, 'partnerUserSelf');
  const userId = userOf(call.actor);
  const mine = await db
    .selectFrom('notifications')
    .select(['id', 'read_at'])
    .where('id', '=', id)
    .where('partner_user_id', '=', userId)
    .executeTakeFirst();
  if (!mine) throw notificationNotFound(id);
  if (mine.read_at === null)
    await db
      .updateTable('notifications')
      .set({ read_at: nowOf(call) })
      .where('id', '=', id)
      .where('read_at', 'is', null)
      .execute();
  return { unreadCount: await unreadCount(db, call) };
}

export async function markAllNotificationsRead(
  db: Db,
  call: Call,
): Promise<{ marked: number; unreadCount: number }> {
  authorize(call.actor, 'partnerUserSelf');
  const result = await db
    .updateTable('notifications')
    .set({ read_at: nowOf(call) })
    .where('partner_user_id', '=', userOf(call.actor))
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return { marked: Number(result.numUpdatedRows), unreadCount: 0 };
}

export interface PreferenceView {
  type: EventType;
  label: string;
  inApp: boolean;
  email: boolean;
}

export async function getNotificationPreferences(
  db: Db,
  call: Call,
  language: SentenceLanguage,
): Promise<PreferenceView[]> {
  authorize(call.actor, 'partnerUserSelf');
  const rows = await db
    .selectFrom('notification_preferences')
    .select(['event_type', 'in_app', 'email'])
    .where('partner_user_id', '=', userOf(call.actor))
    .execute();
  const chosen = new Map(rows.map((r) => [r.event_type, r]));
  return eventTypes.map((type) => {
    const row = chosen.get(type);
    return {
      type,
      label: eventLabelsByLanguage[language][type],
      inApp: row?.in_app ?? defaultDelivery.inApp,
      email: row?.email ?? defaultDelivery.email,
    };
  });
}

/** Sets the caller's deliveries for the types listed; types left out keep what they had. */
export async function setNotificationPreferences(
  db: Db,
  call: Call,
  items: { type: string; inApp: boolean; email: boolean }[],
  language: SentenceLanguage,
): Promise<PreferenceView[]> {
  authorize(call.actor, 'partnerUserSelf');
  const unknown = items.find((i) => !isEventType(i.type));
  if (unknown)
    throw invalid(
      'unknown-event-type',
      `There is no event type ${unknown.type}; GET /api/notification-preferences lists them.`,
    );
  const userId = userOf(call.actor);
  const byType = new Map(items.map((i) => [i.type, i])); // the last one listed for a type wins
  if (byType.size)
    await inTransaction(db, (trx) =>
      trx
        .insertInto('notification_preferences')
        .values(
          [...byType.values()].map((i) => ({
            partner_user_id: userId,
            event_type: i.type,
            in_app: i.inApp,
            email: i.email,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['partner_user_id', 'event_type']).doUpdateSet((eb) => ({
            in_app: eb.ref('excluded.in_app'),
            email: eb.ref('excluded.email'),
          })),
        )
        .execute(),
    );
  return getNotificationPreferences(db, call, language);
}
