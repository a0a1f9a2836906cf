import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type TSchema, Type } from '@sinclair/typebox';
import { languageFromHeader, languageOf } from '../../domain/event-sentences.ts';
import { eventTypes } from '../../domain/events.ts';
import {
  type FeedEntry,
  getNotificationPreferences,
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  setNotificationPreferences,
  unreadCount,
} from '../../services/notifications.ts';

const tags = ['mitra: notifications'];
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
// An enum of strings: validated and documented as the event types; the service narrows it.
const EventTypeSchema = Type.String({ enum: [...eventTypes], description: 'An event type (B1, B11)' });
const Lang = Type.Optional(
  Type.Union([Type.Literal('en'), Type.Literal('id')], {
    description: "The language of labels and sentences; absent: the request's Accept-Language, else English",
  }),
);

const Entry = Type.Object({
  id: Type.String({ format: 'uuid' }),
  eventId: Type.String({ format: 'uuid' }),
  type: EventTypeSchema,
  label: Type.String(),
  occurredAt: Type.String({ format: 'date-time' }),
  read: Type.Boolean(),
  readAt: Nullable(Type.String({ format: 'date-time' })),
  sentence: Type.String({
    description: "A short sentence built from the event's data, in the asked language",
  }),
  link: Type.String({ description: 'The partner-portal path of the object: a reservation, an approval…' }),
  customer: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
  beyondPartnerCenter: Type.Boolean({
    description:
      'A savings plan a customer bought itself: the partner-center dialect does not show it (R11, B3)',
  }),
  data: Type.Record(Type.String(), Type.Unknown(), {
    description: "The event's data, as webhooks receive it (see the OpenAPI `webhooks` section)",
  }),
});
const Unread = Type.Object({ unreadCount: Type.Integer() });
const Preference = Type.Object({
  type: EventTypeSchema,
  label: Type.String(),
  inApp: Type.Boolean({ description: 'In the feed' }),
  email: Type.Boolean({ description: 'By e-mail (when the server has MITRA_SMTP_URL)' }),
});
const PreferenceInput = Type.Object(
  { type: EventTypeSchema, inApp: Type.Boolean(), email: Type.Boolean() },
  { additionalProperties: false },
);

const entryView = (e: FeedEntry) => ({
  ...e,
  occurredAt: e.occurredAt.toISOString(),
  readAt: e.readAt ? e.readAt.toISOString() : null,
});

/**
 * The signed-in partner user's notification feed and delivery choices (B1). Every partner role has
 * a feed; customer users and application-only tokens have none. A user sees only their own entries:
 * another user's id answers 404, like a missing one.
 */
export const notificationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;
  const language = (lang: string | undefined, header: string | undefined) =>
    lang ? languageOf(lang) : languageFromHeader(header);

  app.get(
    '/notifications',
    {
      config: { policy: 'partnerUserSelf' },
      schema: {
        tags,
        summary: 'Your notification feed, newest first',
        querystring: Type.Object({
          unread: Type.Optional(Type.Boolean({ description: 'Only entries not read yet' })),
          lang: Lang,
          size: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
          continuationToken: Type.Optional(Type.String({ maxLength: 500 })),
        }),
        response: {
          200: Type.Object({ items: Type.Array(Entry), continuationToken: Nullable(Type.String()) }),
        },
      },
    },
    async (request) => {
      const { lang, ...q } = request.query;
      const page = await listNotifications(db, request.call(), {
        ...q,
        language: language(lang, request.headers['accept-language']),
      });
      return { items: page.items.map(entryView), continuationToken: page.continuationToken };
    },
  );

  app.get(
    '/notifications/unread-count',
    {
      config: { policy: 'partnerUserSelf' },
      schema: { tags, summary: 'How many entries of your feed are not read yet', response: { 200: Unread } },
    },
    async (request) => ({ unreadCount: await unreadCount(db, request.call()) }),
  );

  app.post(
    '/notifications/:id/read',
    {
      config: { policy: 'partnerUserSelf' },
      schema: {
        tags,
        summary: 'Mark one entry of your feed read',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: Unread },
      },
    },
    async (request) => markNotificationRead(db, request.call(), request.params.id),
  );

  app.post(
    '/notifications/read-all',
    {
      config: { policy: 'partnerUserSelf' },
      schema: {
        tags,
        summary: 'Mark every entry of your feed read',
        response: { 200: Type.Object({ marked: Type.Integer(), unreadCount: Type.Integer() }) },
      },
    },
    async (request) => markAllNotificationsRead(db, request.call()),
  );

  app.get(
    '/notification-preferences',
    {
      config: { policy: 'partnerUserSelf' },
      schema: {
        tags,
        summary: 'How each event type reaches you: in the feed, by e-mail (defaults filled in)',
        querystring: Type.Object({ lang: Lang }),
        response: { 200: Type.Object({ items: Type.Array(Preference) }) },
      },
    },
    async (request) => ({
      items: await getNotificationPreferences(
        db,
        request.call(),
        language(request.query.lang, request.headers['accept-language']),
      ),
    }),
  );

  app.put(
    '/notification-preferences',
    {
      config: { policy: 'partnerUserSelf' },
      schema: {
        tags,
        summary: 'Choose how event types reach you; types left out keep their setting',
        querystring: Type.Object({ lang: Lang }),
        body: Type.Object(
          { items: Type.Array(PreferenceInput, { maxItems: 100 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Preference) }) },
      },
    },
    async (request) => ({
      items: await setNotificationPreferences(
        db,
        request.call(),
        request.body.items,
        language(request.query.lang, request.headers['accept-language']),
      ),
    }),
  );
};
