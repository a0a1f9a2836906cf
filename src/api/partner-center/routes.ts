import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { invalid } from '../../domain/errors.ts';
import { isUuid } from '../../domain/ids.ts';
import { listAuditRecords } from '../../services/audit-records.ts';
import { type CartLineInput, checkoutCart, createCart, getCart, updateCart } from '../../services/carts.ts';
import {
  getAvailability,
  getProduct,
  getSku,
  listAvailabilities,
  listProducts,
  listSkus,
} from '../../services/catalog.ts';
import { createCustomer, getCustomer, listCustomers } from '../../services/customers.ts';
import { getOrder, listOrders } from '../../services/orders.ts';
import { getSubscription, listSubscriptions } from '../../services/subscriptions.ts';
import {
  auditRecordResource,
  availabilityResource,
  cartResource,
  collection,
  customerResource,
  orderResource,
  productResource,
  skuResource,
  subscriptionResource,
} from './resources.ts';
import { NewCustomerBody, parseFilter } from './schemas.ts';

const tags = ['partner-center'];
const read = { policy: 'partnerRead' as const };
const Country = Type.Object({
  country: Type.Optional(Type.String()),
  targetView: Type.Optional(Type.String()),
  targetSegment: Type.Optional(Type.String()),
  reservationScope: Type.Optional(Type.String()),
});
const CartLine = Type.Object(
  {
    id: Type.Optional(Type.Integer()),
    catalogItemId: Type.String({ minLength: 1 }),
    quantity: Type.Integer({ minimum: 1 }),
    billingCycle: Type.String({ minLength: 1 }),
    termDuration: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    friendlyName: Type.Optional(Type.String()),
    provisioningContext: Type.Optional(Type.Record(Type.String(), Type.String())),
  },
  { additionalProperties: true },
);
const CartBody = Type.Object(
  { lineItems: Type.Array(CartLine, { minItems: 1, maxItems: 50 }) },
  { additionalProperties: true },
);

/** The continuation token comes in the MS-ContinuationToken header (SDK) or the query (links). */
function continuationOf(request: FastifyRequest): string | undefined {
  const header = request.headers['ms-continuationtoken'];
  if (typeof header === 'string' && header) return header;
  const q = request.query as { continuationToken?: string };
  return q.continuationToken;
}

const p = (request: FastifyRequest) => request.params as Record<string, string>;

/** The partner-center REST dialect over Mitra's services (reference: partner-center-api.md). */
export async function partnerCenterRoutes(app: FastifyInstance) {
  const { db } = app.deps;

  app.get(
    '/customers',
    {
      config: read,
      schema: {
        tags,
        summary: 'List customers',
        querystring: Type.Object({
          size: Type.Optional(Type.Integer({ minimum: 0, maximum: 500 })),
          filter: Type.Optional(Type.String()),
          seekOperation: Type.Optional(Type.String()),
          continuationToken: Type.Optional(Type.String()),
        }),
      },
    },
    async (request) => {
      const q = request.query as { size?: number; filter?: string };
      const search = q.filter ? parseFilter(q.filter, ['CompanyName', 'Domain'], ['starts_with']) : undefined;
      const page = await listCustomers(db, request.call(), {
        size: q.size ? q.size : undefined,
        search: search
          ? { field: search.field === 'Domain' ? 'domain' : 'companyName', prefix: search.value }
          : undefined,
        continuationToken: continuationOf(request),
      });
      const self = `/customers?size=${q.size || 100}${q.filter ? `&filter=${encodeURIComponent(q.filter)}` : ''}`;
      return collection(page.items.map(customerResource), self, page.continuationToken, page.totalCount);
    },
  );

  app.post(
    '/customers',
    {
      config: { policy: 'customersCreate' },
      schema: { tags, summary: 'Create a customer', body: NewCustomerBody },
    },
    async (request, reply) => {
      const body = request.body as typeof NewCustomerBody.static;
      const address = body.billingProfile.defaultAddress;
      const customer = await createCustomer(db, request.call(), {
        companyName: body.billingProfile.companyName,
        domain: body.companyProfile.domain,
        country: address.country,
        culture: body.billingProfile.culture,
        language: body.billingProfile.language,
        email: body.billingProfile.email,
        firstName: address.firstName,
        lastName: address.lastName,
        addressLine1: address.addressLine1,
        city: address.city,
        state: address.state,
        postalCode: address.postalCode,
        phone: address.phoneNumber,
      });
      return reply.status(201).send(customerResource(customer));
    },
  );

  app.get(
    '/customers/:customerId',
    { config: read, schema: { tags, summary: 'Get a customer' } },
    async (request) => customerResource(await getCustomer(db, request.call(), p(request).customerId)),
  );

  app.get(
    '/customers/:customerId/subscriptions',
    {
      config: read,
      schema: {
        tags,
        summary: "A customer's subscriptions",
        querystring: Type.Object({ order_id: Type.Optional(Type.String()) }),
      },
    },
    async (request) => {
      const { customerId } = p(request);
      const orderId = (request.query as { order_id?: string }).order_id;
      const items = await listSubscriptions(db, request.call(), customerId, { orderId });
      return collection(items.map(subscriptionResource), `/customers/${customerId}/subscriptions`);
    },
  );

  app.get(
    '/customers/:customerId/subscriptions/:subscriptionId',
    { config: read, schema: { tags, summary: 'Get a subscription' } },
    async (request) =>
      subscriptionResource(
        await getSubscription(db, request.call(), p(request).customerId, p(request).subscriptionId),
      ),
  );

  // Catalog: global and customer-scoped routes answer the same catalog.
  for (const prefix of ['', '/customers/:customerId']) {
    const scoped = async (request: FastifyRequest) => {
      if (prefix) await getCustomer(db, request.call(), p(request).customerId);
    };
    app.get(
      `${prefix}/products`,
      { config: read, schema: { tags, summary: 'List products', querystring: Country } },
      async (request) => {
        await scoped(request);
        const q = request.query as typeof Country.static;
        const products = await listProducts(db, request.call(), {
          country: q.country,
          targetView: q.targetView,
        });
        return collection(products.map(productResource), `/products?country=${q.country}`);
      },
    );
    app.get(
      `${prefix}/products/:productId`,
      { config: read, schema: { tags, summary: 'Get a product', querystring: Country } },
      async (request) => {
        await scoped(request);
        return productResource(
          await getProduct(
            db,
            request.call(),
            p(request).productId,
            (request.query as typeof Country.static).country,
          ),
        );
      },
    );
    app.get(
      `${prefix}/products/:productId/skus`,
      { config: read, schema: { tags, summary: "A product's SKUs", querystring: Country } },
      async (request) => {
        await scoped(request);
        const skus = await listSkus(
          db,
          request.call(),
          p(request).productId,
          (request.query as typeof Country.static).country,
        );
        return collection(skus.map(skuResource), `/products/${p(request).productId}/skus`);
      },
    );
    app.get(
      `${prefix}/products/:productId/skus/:skuId`,
      { config: read, schema: { tags, summary: 'Get a SKU', querystring: Country } },
      async (request) => {
        await scoped(request);
        return skuResource(
          await getSku(
            db,
            request.call(),
            p(request).productId,
            p(request).skuId,
            (request.query as typeof Country.static).country,
          ),
        );
      },
    );
    app.get(
      `${prefix}/products/:productId/skus/:skuId/availabilities`,
      { config: read, schema: { tags, summary: "A SKU's availabilities", querystring: Country } },
      async (request) => {
        await scoped(request);
        const { productId, skuId } = p(request);
        const items = await listAvailabilities(
          db,
          request.call(),
          productId,
          skuId,
          (request.query as typeof Country.static).country,
        );
        return collection(
          items.map(availabilityResource),
          `/products/${productId}/skus/${skuId}/availabilities`,
        );
      },
    );
    app.get(
      `${prefix}/products/:productId/skus/:skuId/availabilities/:availabilityId`,
      { config: read, schema: { tags, summary: 'Get an availability', querystring: Country } },
      async (request) => {
        await scoped(request);
        const { productId, skuId, availabilityId } = p(request);
        return availabilityResource(
          await getAvailability(
            db,
            request.call(),
            productId,
            skuId,
            availabilityId,
            (request.query as typeof Country.static).country,
          ),
        );
      },
    );
  }

  app.post(
    '/customers/:customerId/carts',
    { config: { policy: 'ordersCreate' }, schema: { tags, summary: 'Create a cart', body: CartBody } },
    async (request, reply) => {
      const cart = await createCart(
        db,
        request.call(),
        p(request).customerId,
        (request.body as { lineItems: CartLineInput[] }).lineItems,
      );
      return reply.status(201).send(cartResource(cart));
    },
  );

  app.get(
    '/customers/:customerId/carts/:cartId',
    { config: read, schema: { tags, summary: 'Get a cart' } },
    async (request) =>
      cartResource(await getCart(db, request.call(), p(request).customerId, p(request).cartId)),
  );

  app.put(
    '/customers/:customerId/carts/:cartId',
    { config: { policy: 'ordersCreate' }, schema: { tags, summary: 'Update a cart', body: CartBody } },
    async (request) =>
      cartResource(
        await updateCart(
          db,
          request.call(),
          p(request).customerId,
          p(request).cartId,
          (request.body as { lineItems: CartLineInput[] }).lineItems,
        ),
      ),
  );

  app.post(
    '/customers/:customerId/carts/:cartId/checkout',
    { config: { policy: 'ordersCreate' }, schema: { tags, summary: 'Check out a cart' } },
    async (request, reply) => {
      const { customerId, cartId } = p(request);
      const call = request.call();
      const { orderIds } = await checkoutCart(db, call, customerId, cartId);
      const orders = await Promise.all(orderIds.map((id) => getOrder(db, call, customerId, id)));
      return reply.status(201).send({
        orders: orders.map((o) => orderResource(o, true)),
        orderErrors: [],
        attributes: { objectType: 'CartCheckoutResult' },
      });
    },
  );

  app.get(
    '/customers/:customerId/orders',
    {
      config: read,
      schema: {
        tags,
        summary: 'Order history',
        querystring: Type.Object({
          include_price: Type.Optional(Type.Boolean()),
          billingType: Type.Optional(Type.String()),
        }),
      },
    },
    async (request) => {
      const { customerId } = p(request);
      const q = request.query as { include_price?: boolean; billingType?: string };
      const orders = await listOrders(db, request.call(), customerId, { billingCycle: q.billingType });
      return collection(
        orders.map((o) => orderResource(o, q.include_price ?? false)),
        `/customers/${customerId}/orders`,
      );
    },
  );

  app.get(
    '/customers/:customerId/orders/:orderId',
    {
      config: read,
      schema: {
        tags,
        summary: 'Get an order',
        querystring: Type.Object({ include_price: Type.Optional(Type.Boolean()) }),
      },
    },
    async (request) =>
      orderResource(
        await getOrder(db, request.call(), p(request).customerId, p(request).orderId),
        (request.query as { include_price?: boolean }).include_price ?? false,
      ),
  );

  app.get(
    '/auditrecords',
    {
      config: { policy: 'auditRead' },
      schema: {
        tags,
        summary: 'Activity log records',
        querystring: Type.Object({
          startDate: Type.Optional(Type.String()),
          endDate: Type.Optional(Type.String()),
          filter: Type.Optional(Type.String()),
          size: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
          seekOperation: Type.Optional(Type.String()),
          continuationToken: Type.Optional(Type.String()),
        }),
      },
    },
    async (request) => {
      const q = request.query as { startDate?: string; endDate?: string; filter?: string; size?: number };
      const filter = q.filter
        ? parseFilter(q.filter, ['CompanyName', 'CustomerId', 'ResourceType'], ['substring', 'equals'])
        : undefined;
      if (filter?.field === 'CustomerId' && !isUuid(filter.value)) {
        throw invalid('invalid-filter', 'The CustomerId filter needs a customer tenant id (a GUID).');
      }
      const page = await listAuditRecords(db, request.call(), {
        startDate: q.startDate,
        endDate: q.endDate,
        size: q.size,
        continuationToken: continuationOf(request),
        companyNameContains: filter?.field === 'CompanyName' ? filter.value : undefined,
        customerId: filter?.field === 'CustomerId' ? filter.value : undefined,
        resourceType: filter?.field === 'ResourceType' ? toSnake(filter.value) : undefined,
      });
      const self = `/auditrecords?size=${q.size ?? 500}${q.startDate ? `&startDate=${q.startDate}` : ''}${q.endDate ? `&endDate=${q.endDate}` : ''}${q.filter ? `&filter=${encodeURIComponent(q.filter)}` : ''}`;
      return collection(page.items.map(auditRecordResource), self, page.continuationToken);
    },
  );
}

/** The SDK sends enum values as PascalCase names or snake_case; the store keeps snake_case. */
const toSnake = (value: string) => value.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
