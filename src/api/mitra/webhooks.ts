import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type TSchema, Type } from '@sinclair/typebox';
import { eventLabels, eventTypes } from '../../domain/events.ts';
import { strictWebhookSettings, testEventType } from '../../domain/webhooks.ts';
import {
  createWebhook,
  deleteWebhook,
  listDeliveries,
  listWebhooks,
  replayDelivery,
  rotateWebhookSecret,
  sendTestEvent,
  updateWebhook,
} from '../../services/webhooks.ts';
import { ErrorAnswer } from './account-schemas.ts';
import { webhookPayload } from './event-schemas.ts';

const tags = ['mitra: webhooks'];
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const errors = { 400: ErrorAnswer, 403: ErrorAnswer, 404: ErrorAnswer, 409: ErrorAnswer };

const EventName = Type.String({
  maxLength: 100,
  description: `One of: ${eventTypes.join(', ')}`,
});
const Events = Type.Array(EventName, { minItems: 1, maxItems: 50 });
const Url = Type.String({ minLength: 1, maxLength: 2000, description: 'https URL of the receiver' });
const Description = Type.String({ maxLength: 500 });

const Endpoint = Type.Object({
  id: Type.String({ format: 'uuid' }),
  url: Type.String(),
  description: Type.String(),
  events: Type.Array(Type.String()),
  enabled: Type.Boolean(),
  disabledReason: Nullable(
    Type.String({ description: 'Why deliveries stopped (a 410 answer, or an Admin agent)' }),
  ),
  previousSecretValidUntil: Nullable(
    Type.String({
      format: 'date-time',
      description: 'After a rotation: the old secret still signs until then',
    }),
  ),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
const WithSecret = Type.Intersect([
  Endpoint,
  Type.Object({
    secret: Type.String({ description: 'whsec_… (base64): shown this once; keep it to verify signatures' }),
  }),
]);
const Attempt = Type.Object({
  attemptedAt: Type.String({ format: 'date-time' }),
  responseStatus: Nullable(Type.Integer({ description: "The receiver's HTTP status; null when none came" })),
  error: Nullable(Type.String()),
  durationMs: Type.Integer(),
  replay: Type.Boolean({ description: 'Sent by a replay' }),
});
const Delivery = Type.Object({
  id: Type.String({ description: 'The webhook-id header: the same on every attempt and replay' }),
  eventId: Type.String(),
  eventType: Type.String(),
  occurredAt: Type.String({ format: 'date-time' }),
  status: Type.Union([Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('failed')]),
  attemptCount: Type.Integer(),
  nextAttemptAt: Nullable(Type.String({ format: 'date-time' })),
  deliveredAt: Nullable(Type.String({ format: 'date-time' })),
  lastResponseStatus: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()),
  attempts: Type.Array(Attempt),
});
const IdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });
const DeliveryParams = Type.Object({
  id: Type.String({ maxLength: 100 }),
  deliveryId: Type.String({ maxLength: 100 }),
});

/** Webhook endpoints (B1): Admin agents only; Sales and Helpdesk agents are refused and recorded. */
export const webhookRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;
  const settings = app.deps.webhooks ?? strictWebhookSettings;

  app.get(
    '/webhooks',
    {
      config: { policy: 'webhooksRead' },
      schema: {
        tags,
        summary: "The partner's webhook endpoints (secrets are never shown again)",
        response: { 200: Type.Object({ items: Type.Array(Endpoint) }), 403: ErrorAnswer },
      },
    },
    async (request) => ({ items: await listWebhooks(db, request.call()) }),
  );

  app.post(
    '/webhooks',
    {
      config: { policy: 'webhooksAttempt' },
      schema: {
        tags,
        summary:
          'Register an endpoint for some event types; answers its signing secret once (Admin agents; refusals are recorded)',
        body: Type.Object(
          { url: Url, events: Events, description: Type.Optional(Description) },
          { additionalProperties: false },
        ),
        response: { 201: WithSecret, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createWebhook(db, request.call(), settings, request.body)),
  );

  app.patch(
    '/webhooks/:id',
    {
      config: { policy: 'webhooksAttempt' },
      schema: {
        tags,
        summary: 'Change an endpoint; `enabled: true` re-enables one that a 410 answer disabled',
        params: IdParams,
        body: Type.Object(
          {
            url: Type.Optional(Url),
            events: Type.Optional(Events),
            description: Type.Optional(Description),
            enabled: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 200: Endpoint, ...errors },
      },
    },
    async (request) => updateWebhook(db, request.call(), settings, request.params.id, request.body),
  );

  app.delete(
    '/webhooks/:id',
    {
      config: { policy: 'webhooksAttempt' },
      schema: {
        tags,
        summary: 'Delete an endpoint with its deliveries',
        params: IdParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await deleteWebhook(db, request.call(), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/webhooks/:id/rotate-secret',
    {
      config: { policy: 'webhooksAttempt' },
      schema: {
        tags,
        summary:
          'A new signing secret, answered once; the old one keeps signing too (a second signature) for 24 hours',
        params: IdParams,
        response: { 200: WithSecret, ...errors },
      },
    },
    async (request) => rotateWebhookSecret(db, request.call(), request.params.id),
  );

  app.get(
    '/webhooks/:id/deliveries',
    {
      config: { policy: 'webhooksRead' },
      schema: {
        tags,
        summary: "An endpoint's deliveries, newest first, each with its attempts",
        params: IdParams,
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) }),
        response: { 200: Type.Object({ items: Type.Array(Delivery) }), 403: ErrorAnswer, 404: ErrorAnswer },
      },
    },
    async (request) => ({
      items: await listDeliveries(db, request.call(), request.params.id, request.query.limit),
    }),
  );

  app.post(
    '/webhooks/:id/deliveries/:deliveryId/replay',
    {
      config: { policy: 'webhooksAttempt' },
      schema: {
        tags,
        summary: 'Send a delivery again now, with the same webhook-id; answers it with the new attempt',
        params: DeliveryParams,
        response: { 200: Delivery, ...errors },
      },
    },
    async (request) =>
      replayDelivery(db, request.call(), settings, request.params.id, request.params.deliveryId),
  );

  app.post(
    '/webhooks/:id/test',
    {
      config: { policy: 'webhooksAttempt' },
      schema: {
        tags,
        summary: `Send a \`${testEventType}\` event now (once, no retries; even to a disabled endpoint); answers the delivery with its attempt`,
        params: IdParams,
        response: { 200: Delivery, ...errors },
      },
    },
    async (request) => sendTestEvent(db, request.call(), settings, request.params.id),
  );
};

/** The test event's payload, documented beside the real ones. */
export const testWebhookPayload = Type.Object(
  {
    type: Type.Literal(testEventType),
    timestamp: Type.String({ format: 'date-time' }),
    data: Type.Object({
      endpoint: Type.Object({ id: Type.String({ format: 'uuid' }), url: Type.String() }),
      sentBy: Type.String(),
      message: Type.String(),
    }),
  },
  {
    title: testEventType,
    description: 'Sent only by POST /api/webhooks/{id}/test, to check an endpoint; never subscribed to.',
  },
);

const signatureHeaders = {
  'webhook-id': 'The delivery id (msg_…): the same on every retry and replay; use it to ignore duplicates.',
  'webhook-timestamp': 'Unix seconds when this attempt was signed.',
  'webhook-signature':
    'Space-separated `v1,<base64>` signatures (HMAC-SHA256 of `id.timestamp.body`); two during a secret rotation.',
};

/** The OpenAPI 3.1 `webhooks` section: one entry per event type, with its payload schema. */
export function openApiWebhooks() {
  const entry = (name: string, summary: string, schema: TSchema) => [
    name,
    {
      post: {
        summary,
        description:
          'Standard Webhooks: verify the signature with the endpoint secret (e.g. the `standardwebhooks` package) before trusting the body.',
        parameters: Object.entries(signatureHeaders).map(([header, description]) => ({
          name: header,
          in: 'header',
          required: true,
          description,
          schema: { type: 'string' },
        })),
        requestBody: { required: true, content: { 'application/json': { schema } } },
        responses: {
          '2XX': { description: 'Received: the delivery succeeded.' },
          '410': { description: 'Gone: Mitra disables the endpoint and stops sending.' },
          '429': { description: 'Too many: retried after Retry-After (seconds or HTTP date) when given.' },
          '5XX': { description: 'Retried on the schedule (or after Retry-After when given).' },
        },
      },
    },
  ];
  return Object.fromEntries([
    ...eventTypes.map((t) => entry(t, eventLabels[t], webhookPayload(t))),
    entry(testEventType, 'A test event (POST /api/webhooks/{id}/test)', testWebhookPayload),
  ]);
}
