import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { operationTypes } from '../../domain/audit.ts';
import { listAuditRecords } from '../../services/audit-records.ts';
import { listPrices } from '../../services/catalog.ts';
import { getCustomer, listCustomers } from '../../services/customers.ts';
import {
  authenticateUser,
  closeSession,
  describeActor,
  openSession,
  registerApplication,
} from '../../services/identity.ts';
import { listOrders } from '../../services/orders.ts';
import { listMySubscriptions, listSubscriptions } from '../../services/subscriptions.ts';
import { sessionCookie } from '../auth-plugin.ts';
import { activityView, customerDetail, customerSummary, orderView, subscriptionView } from './views.ts';

const CustomerParams = Type.Object({ id: Type.String() });
const tags = ['mitra'];

/** Mitra's own API: what the portal uses, over the same services as the partner-center dialect. */
export async function mitraRoutes(app: FastifyInstance) {
  const { db } = app.deps;

  app.post(
    '/session',
    {
      config: { policy: 'public' },
      schema: {
        tags,
        summary: 'Sign in to the portal',
        body: Type.Object({ email: Type.String({ minLength: 1 }), password: Type.String({ minLength: 1 }) }),
      },
    },
    async (request, reply) => {
      const { email, password } = request.body as { email: string; password: string };
      const actor = await authenticateUser(db, email, password);
      const token = await openSession(db, actor);
      reply.setCookie(sessionCookie, token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: app.deps.secureCookies,
        path: '/',
        maxAge: 12 * 3600,
      });
      return describeActor(db, actor);
    },
  );

  app.delete(
    '/session',
    { config: { policy: 'signedIn' }, schema: { tags, summary: 'Sign out' } },
    async (request, reply) => {
      const token = request.cookies[sessionCookie];
      if (token) await closeSession(db, token);
      reply.clearCookie(sessionCookie, { path: '/' });
      return reply.status(204).send();
    },
  );

  app.get(
    '/me',
    { config: { policy: 'signedIn' }, schema: { tags, summary: 'Who is signed in' } },
    async (request) => describeActor(db, request.call().actor),
  );

  app.get(
    '/customers',
    {
      config: { policy: 'partnerRead' },
      schema: {
        tags,
        summary: "List the partner's customers",
        querystring: Type.Object({
          search: Type.Optional(Type.String()),
          size: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
          continuationToken: Type.Optional(Type.String()),
        }),
      },
    },
    async (request) => {
      const q = request.query as { search?: string; size?: number; continuationToken?: string };
      const page = await listCustomers(db, request.call(), {
        search: q.search ? { field: 'companyName', prefix: q.search } : undefined,
        size: q.size,
        continuationToken: q.continuationToken,
      });
      return {
        items: page.items.map(customerSummary),
        totalCount: page.totalCount,
        continuationToken: page.continuationToken,
      };
    },
  );

  app.get(
    '/customers/:id',
    { config: { policy: 'partnerRead' }, schema: { tags, summary: 'One customer', params: CustomerParams } },
    async (request) =>
      customerDetail(await getCustomer(db, request.call(), (request.params as { id: string }).id)),
  );

  app.get(
    '/customers/:id/subscriptions',
    {
      config: { policy: 'partnerRead' },
      schema: { tags, summary: "A customer's subscriptions", params: CustomerParams },
    },
    async (request) => ({
      items: (await listSubscriptions(db, request.call(), (request.params as { id: string }).id)).map(
        subscriptionView,
      ),
    }),
  );

  app.get(
    '/customers/:id/orders',
    {
      config: { policy: 'partnerRead' },
      schema: { tags, summary: "A customer's order history", params: CustomerParams },
    },
    async (request) => ({
      items: (await listOrders(db, request.call(), (request.params as { id: string }).id)).map(orderView),
    }),
  );

  app.get(
    '/activity',
    {
      config: { policy: 'auditRead' },
      schema: {
        tags,
        summary: "The partner's activity log, newest first",
        querystring: Type.Object({
          startDate: Type.Optional(Type.String()),
          endDate: Type.Optional(Type.String()),
          customerId: Type.Optional(Type.String({ format: 'uuid' })),
          operationType: Type.Optional(Type.Union(operationTypes.map((t) => Type.Literal(t)))),
          size: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
          continuationToken: Type.Optional(Type.String()),
        }),
      },
    },
    async (request) => {
      const q = request.query as Record<string, string | number | undefined>;
      const page = await listAuditRecords(db, request.call(), {
        includeBeyondPartnerCenter: true,
        startDate: q.startDate as string | undefined,
        endDate: q.endDate as string | undefined,
        customerId: q.customerId as string | undefined,
        operationType: q.operationType as string | undefined,
        size: (q.size as number | undefined) ?? 100,
        continuationToken: q.continuationToken as string | undefined,
      });
      return { items: page.items.map(activityView), continuationToken: page.continuationToken };
    },
  );

  app.get(
    '/prices',
    {
      config: { policy: 'pricesRead' },
      schema: {
        tags,
        summary: 'Retail or partner price list',
        querystring: Type.Object({ kind: Type.Union([Type.Literal('retail'), Type.Literal('partner')]) }),
      },
    },
    async (request) => {
      const { priceList, items } = await listPrices(
        db,
        request.call(),
        (request.query as { kind: 'retail' | 'partner' }).kind,
      );
      return {
        priceList: {
          id: priceList.id,
          name: priceList.name,
          kind: priceList.kind,
          currency: priceList.currency,
        },
        items: items.map((p) => ({
          catalogItemId: p.catalog_item_id,
          productTitle: p.product_title,
          skuTitle: p.sku_title,
          termDuration: p.term_duration,
          billingPlan: p.billing_plan,
          unitPrice: p.unit_price,
          unit: p.unit,
        })),
      };
    },
  );

  app.post(
    '/applications',
    {
      config: { policy: 'applicationsManage' },
      schema: {
        tags,
        summary: 'Register an application (client credentials)',
        body: Type.Object({ displayName: Type.String({ minLength: 1, maxLength: 200 }) }),
      },
    },
    async (request, reply) => {
      const result = await registerApplication(
        db,
        request.call(),
        (request.body as { displayName: string }).displayName,
      );
      return reply.status(201).send(result);
    },
  );

  app.get(
    '/my/subscriptions',
    {
      config: { policy: 'customerSelf' },
      schema: { tags, summary: "The signed-in customer user's subscriptions" },
    },
    async (request) => ({
      items: (await listMySubscriptions(db, request.call())).map((s) => ({
        ...subscriptionView(s),
        roles: s.roles,
      })),
    }),
  );
}
