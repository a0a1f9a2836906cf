import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { buyAzurePlan } from '../../services/azure-plan.ts';
import { quoteCommitment } from '../../services/commitment-purchase.ts';
import { customerOf } from '../../services/commitments.ts';
import type { CommitmentKind } from '../../store/schema.ts';
import { CommitmentBody, commitmentRequestOf } from '../commitment-requests.ts';
import { CustomerParams, ErrorAnswer } from './account-schemas.ts';
import { subscriptionView } from './views.ts';

const tags = ['mitra: partner jobs'];
const errors = { 400: ErrorAnswer, 403: ErrorAnswer, 404: ErrorAnswer, 409: ErrorAnswer };

const SubscriptionAnswer = Type.Object({
  id: Type.String(),
  entitlementId: Type.Union([Type.String(), Type.Null()]),
  offerId: Type.String(),
  offerName: Type.String(),
  friendlyName: Type.String(),
  productType: Type.String(),
  status: Type.String(),
  quantity: Type.Integer(),
  unitType: Type.String(),
  billingCycle: Type.String(),
  termDuration: Type.Union([Type.String(), Type.Null()]),
  autoRenew: Type.Boolean(),
  createdAt: Type.Union([Type.String(), Type.Null()]),
  orderId: Type.String({ description: 'The order in the order history' }),
});

const QuoteAnswer = Type.Object({
  quoteId: Type.String(),
  expiresAt: Type.String(),
  catalogItemId: Type.String(),
  skuTitle: Type.String(),
  currency: Type.String(),
  unitPrice: Type.String(),
  retailUnitPrice: Type.String(),
  units: Type.String(),
  total: Type.String(),
  retailTotal: Type.String(),
});

/**
 * What the partner buys for its customers in the portal (R20): an Azure plan when the customer has
 * none, and the price of a reservation or savings plan before buying it on the customer's behalf
 * (the purchase itself is `POST /api/customers/{id}/reservations`, in customer-commitments.ts).
 */
export const partnerPurchaseRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;

  app.post(
    '/customers/:id/azure-plan',
    {
      config: { policy: 'ordersCreate' },
      schema: {
        tags,
        summary: 'Buy an Azure plan for a customer that has none (a cart checked out at once)',
        params: CustomerParams,
        body: Type.Object(
          { friendlyName: Type.Optional(Type.String({ maxLength: 200 })) },
          { additionalProperties: false },
        ),
        response: { 201: SubscriptionAnswer, ...errors },
      },
    },
    async (request, reply) => {
      const { subscription, orderId } = await buyAzurePlan(db, request.call(), request.params.id, {
        friendlyName: request.body?.friendlyName,
      });
      return reply.status(201).send({ ...subscriptionView(subscription), orderId });
    },
  );

  for (const [path, kind] of [
    ['reservations', 'reservation'],
    ['savings-plans', 'savings_plan'],
  ] as [string, CommitmentKind][]) {
    app.post(
      `/customers/:id/${path}/quote`,
      {
        config: { policy: 'ordersCreate' },
        schema: {
          tags,
          summary: `Price a ${kind.replace('_', ' ')} for the customer before buying it on its behalf`,
          params: CustomerParams,
          body: CommitmentBody,
          response: { 200: QuoteAnswer, ...errors },
        },
      },
      async (request) => {
        const call = request.call();
        const customer = await customerOf(db, call.actor, request.params.id);
        const quote = await quoteCommitment(db, call, customer, commitmentRequestOf(kind, request.body));
        return { quoteId: quote.quoteId, expiresAt: quote.expiresAt.toISOString(), ...quote.price };
      },
    );
  }
};
