import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { partnerActionRequired } from '../../domain/commitments.ts';
import { invalid } from '../../domain/errors.ts';
import { renameCommitment } from '../../services/commitment-lifecycle.ts';
import { buyFromQuote, quoteCommitment } from '../../services/commitment-purchase.ts';
import { getCommitment, listCommitments } from '../../services/commitments.ts';
import { retailShownTo } from '../../services/customer-prices.ts';
import { visibleSubscription } from '../../services/role-assignments.ts';
import { utilizationOf } from '../../services/utilization.ts';
import { reservationCatalog } from '../mitra/reservation-catalog.ts';
import { heldPurchaseAnswer } from './approval-operations.ts';
import { armCustomerContext } from './common.ts';
import {
  type ArmPurchaseBody,
  armReservation,
  armReservationOrder,
  money,
  reservationRequestFromArm,
} from './shapes.ts';

const tags = ['arm: Microsoft.Capacity'];
const P = '/providers/Microsoft.Capacity';
const Body = Type.Object({}, { additionalProperties: true });

/** Microsoft.Capacity for customer users (reference §3), driven by @azure/arm-reservations. */
export async function capacityRoutes(app: FastifyInstance) {
  const { db } = app.deps;
  const config = { policy: 'customerSelf' as const };
  const context = (request: FastifyRequest) => armCustomerContext(db, request);
  const usage = async (ids: string[]) => utilizationOf(db, ids);
  const reservationOf = async (request: FastifyRequest) => {
    const ctx = await context(request);
    const { orderId, reservationId } = request.params as { orderId: string; reservationId?: string };
    const c = await getCommitment(db, ctx.call, ctx.customer, 'reservation', reservationId ?? orderId);
    if (c.order_id !== orderId.toLowerCase())
      throw invalid(
        'reservation-id-not-in-reservation-order',
        'That reservation is not part of this reservation order.',
      );
    return { ...ctx, c, u: (await usage([c.id])).get(c.id) };
  };

  app.get(
    '/subscriptions/:subscriptionId/providers/Microsoft.Capacity/catalogs',
    { config, schema: { tags, summary: 'Reservation catalog' } },
    async (request) => {
      const { call, customer } = await context(request);
      await visibleSubscription(db, call.actor, {
        azureSubscriptionId: (request.params as { subscriptionId: string }).subscriptionId,
      });
      const q = request.query as { reservedResourceType?: string; location?: string };
      if (q.reservedResourceType && q.reservedResourceType.toLowerCase() !== 'virtualmachines')
        return { value: [], nextLink: null, totalItems: 0 };
      const includeRetail = await retailShownTo(db, call.actor);
      const items = await reservationCatalog(db, customer, q.location, { includeRetail });
      const value = items.map((i) => ({
        resourceType: 'virtualMachines',
        name: i.sku,
        terms: [...new Set(i.terms.map((t) => t.term))],
        billingPlans: Object.fromEntries(
          [...new Set(i.terms.map((t) => t.term))].map((t) => [t, ['Upfront', 'Monthly']]),
        ),
        locations: [i.region],
        skuProperties: [
          { name: 'InstanceSizeFlexibilityGroup', value: i.isfGroup ?? '' },
          { name: 'Title', value: i.title },
        ],
        // msrp is the retail price; what the customer is charged is the partner's price (calculatePrice).
        // Left out when the partner hides retail from its customers (B9).
        ...(includeRetail
          ? {
              msrp: Object.fromEntries(
                i.terms
                  .filter((t) => t.billingPlan === 'Upfront')
                  .map((t) => [t.term === 'P1Y' ? 'p1Y' : 'p3Y', money(t.currency, t.retailUnitPrice!)]),
              ),
            }
          : {}),
        restrictions: [],
      }));
      return { value, nextLink: null, totalItems: value.length };
    },
  );

  app.post(
    `${P}/calculatePrice`,
    { config, schema: { tags, summary: 'Price a reservation (step 1 of 2)', body: Body } },
    async (request) => {
      const { call, customer } = await context(request);
      const r = reservationRequestFromArm(request.body as ArmPurchaseBody);
      const { quoteId, price } = await quoteCommitment(db, call, customer, r);
      const charged = money(price.currency, price.total);
      return {
        properties: {
          billingCurrencyTotal: charged,
          netTotal: charged.amount,
          taxTotal: 0,
          grandTotal: charged.amount,
          isTaxIncluded: false,
          isBillingPartnerManaged: true,
          reservationOrderId: quoteId,
          skuTitle: price.skuTitle,
          skuDescription: `${r.sku} ${r.region}`,
          // Retail price for comparison; billingCurrencyTotal is what your partner charges (R14).
          // When the partner hides retail (B9) the pricing total is the charged one, not retail.
          pricingCurrencyTotal: (await retailShownTo(db, call.actor))
            ? money(price.currency, price.retailTotal)
            : charged,
          paymentSchedule: [],
        },
      };
    },
  );

  app.put(
    `${P}/reservationOrders/:orderId`,
    {
      config,
      schema: {
        tags,
        summary: 'Purchase (step 2 of 2: PUT to the order id from calculatePrice)',
        body: Body,
      },
    },
    async (request, reply) => {
      const { call, customer, azureId } = await context(request);
      const r = reservationRequestFromArm(request.body as ArmPurchaseBody);
      const { orderId } = request.params as { orderId: string };
      const outcome = await buyFromQuote(db, call, customer, orderId, r);
      // Above the customer's approval threshold (B2): 202 and a status URL the SDK's poller follows.
      if (outcome.kind === 'held')
        return heldPurchaseAnswer(request, reply, 'Microsoft.Capacity', outcome.approval, {
          id: `/providers/microsoft.capacity/reservationOrders/${outcome.approval.order_id}`,
          name: outcome.approval.order_id,
          type: 'microsoft.capacity/reservationOrders',
          properties: { displayName: r.displayName ?? null, provisioningState: 'PendingApproval' },
        });
      const c = outcome.commitment;
      return reply.status(200).send(armReservationOrder(c, azureId(c.billing_subscription_id)));
    },
  );

  app.get(
    `${P}/reservationOrders`,
    { config, schema: { tags, summary: 'Reservation orders' } },
    async (request) => {
      const { call, customer, azureId } = await context(request);
      const items = await listCommitments(db, call, customer, { kind: 'reservation' });
      return {
        value: items.map((c) => armReservationOrder(c, azureId(c.billing_subscription_id))),
        nextLink: null,
      };
    },
  );

  app.get(
    `${P}/reservationOrders/:orderId`,
    { config, schema: { tags, summary: 'A reservation order' } },
    async (request) => {
      const { c, azureId, u } = await reservationOf(request);
      return armReservationOrder(c, azureId(c.billing_subscription_id), u);
    },
  );

  app.get(
    `${P}/reservationOrders/:orderId/reservations`,
    { config, schema: { tags, summary: 'Reservations in an order' } },
    async (request) => {
      const { c, azureId, u } = await reservationOf(request);
      return { value: [armReservation(c, azureId(c.billing_subscription_id), true, u)], nextLink: null };
    },
  );

  app.get(
    `${P}/reservationOrders/:orderId/reservations/:reservationId`,
    { config, schema: { tags, summary: 'A reservation' } },
    async (request) => {
      const { c, azureId, u } = await reservationOf(request);
      return armReservation(c, azureId(c.billing_subscription_id), false, u);
    },
  );

  app.get(`${P}/reservations`, { config, schema: { tags, summary: 'All reservations' } }, async (request) => {
    const { call, customer, azureId } = await context(request);
    const items = await listCommitments(db, call, customer, { kind: 'reservation' });
    const count = (s: string) => items.filter((c) => c.status === s).length;
    const utilization = await usage(items.map((c) => c.id));
    return {
      value: items.map((c) =>
        armReservation(c, azureId(c.billing_subscription_id), true, utilization.get(c.id)),
      ),
      nextLink: null,
      summary: {
        succeededCount: count('Succeeded'),
        cancelledCount: count('Cancelled') + count('Exchanged'),
        expiredCount: count('Expired'),
        failedCount: 0,
        expiringCount: 0,
        pendingCount: 0,
        processingCount: 0,
        warningCount: 0,
        noBenefitCount: 0,
      },
    };
  });

  app.patch(
    `${P}/reservationOrders/:orderId/reservations/:reservationId`,
    {
      config,
      schema: {
        tags,
        summary: 'Rename a reservation (scope, renewal, flexibility: ask your partner)',
        body: Body,
      },
    },
    async (request) => {
      const { call, customer, c, azureId } = await reservationOf(request);
      const p = ((request.body as { properties?: Record<string, unknown> }).properties ?? {}) as Record<
        string,
        unknown
      >;
      if (
        p.appliedScopeType !== undefined ||
        p.appliedScopes !== undefined ||
        p.appliedScopeProperties !== undefined
      )
        throw partnerActionRequired('change the scope of');
      if (p.renew !== undefined || p.renewProperties !== undefined)
        throw partnerActionRequired('turn renewal on or off for');
      if (p.instanceFlexibility !== undefined)
        throw partnerActionRequired('change instance size flexibility of');
      if (typeof p.name !== 'string')
        throw invalid('patch-values-same-as-existing', 'Send properties.name to rename the reservation.');
      const renamed = await renameCommitment(db, call, customer, c, p.name);
      return armReservation(renamed, azureId(renamed.billing_subscription_id));
    },
  );

  // Refund, exchange, split and merge are the partner's (R12); the customer is told so.
  const refused: [string, string][] = [
    [`${P}/reservationOrders/:orderId/calculateRefund`, 'refund'],
    [`${P}/reservationOrders/:orderId/return`, 'refund'],
    [`${P}/reservationOrders/:orderId/split`, 'split'],
    [`${P}/reservationOrders/:orderId/merge`, 'merge'],
    [`${P}/calculateExchange`, 'exchange'],
    [`${P}/exchange`, 'exchange'],
  ];
  for (const [path, action] of refused) {
    app.post(
      path,
      {
        config,
        schema: {
          tags,
          summary: `Refused to customers (${action}): ask your partner`,
          body: Type.Optional(Body),
        },
      },
      async (request) => {
        const { call, customer } = await context(request);
        const { orderId } = request.params as { orderId?: string };
        if (orderId) await getCommitment(db, call, customer, 'reservation', orderId);
        throw partnerActionRequired(action);
      },
    );
  }
}
