import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { partnerActionRequired } from '../../domain/commitments.ts';
import { invalid } from '../../domain/errors.ts';
import { renameCommitment } from '../../services/commitment-lifecycle.ts';
import { buyWithIdempotencyKey, quoteCommitment } from '../../services/commitment-purchase.ts';
import { customerOf, getCommitment, listCommitments } from '../../services/commitments.ts';
import { retailShownTo } from '../../services/customer-prices.ts';
import { type ApprovalView, myApprovals } from '../../services/purchase-approvals.ts';
import { utilizationOf } from '../../services/utilization.ts';
import type { CommitmentKind } from '../../store/schema.ts';
import { CommitmentBody, commitmentRequestOf, commitmentView } from '../commitment-requests.ts';
import { reservationCatalog } from './reservation-catalog.ts';

const tags = ['mitra: customer purchases'];
const kinds: [string, CommitmentKind][] = [
  ['reservations', 'reservation'],
  ['savings-plans', 'savings_plan'],
];
const PatchBody = Type.Object({
  displayName: Type.Optional(Type.String()),
  appliedScopeType: Type.Optional(Type.String()),
  renew: Type.Optional(Type.Boolean()),
});

/** A held purchase in the customer's lists: `status` says it is not bought (B2). */
function heldView(a: ApprovalView) {
  return {
    id: a.id,
    approvalId: a.id,
    orderId: a.orderId,
    kind: a.kind === 'reservation' ? 'reservation' : 'savings_plan',
    displayName: a.displayName ?? '',
    sku: a.sku,
    region: a.region,
    quantity: a.quantity,
    hourlyCommitment: a.hourlyCommitment,
    term: a.term,
    billingPlan: a.billingPlan,
    appliedScopeType: a.appliedScopeType,
    status:
      a.status === 'pending'
        ? 'awaiting-approval'
        : a.status === 'declined'
          ? 'declined'
          : 'awaiting-confirmation',
    boughtBy: 'customer',
    boughtByPrincipal: a.requestedBy,
    billingSubscriptionId: a.billingSubscriptionId,
    currency: a.currency,
    unitPrice: a.unitPrice,
    totalPrice: a.total,
    requestedAt: a.requestedAt,
    reason: a.reason,
    newPrice: a.newPrice,
  };
}

/** The customer portal's purchases (R6, R12, R13): browse, price, buy, list, view, rename. */
export async function myCommitmentRoutes(app: FastifyInstance) {
  const { db } = app.deps;
  const config = { policy: 'customerSelf' as const };

  // Typed from its schema (the rest of this file still awaits the contract issue's conversion).
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/my/reservation-catalog',
    {
      config,
      schema: {
        tags,
        summary: 'VM reservations on sale, with the price you pay and the retail price',
        querystring: Type.Object({ region: Type.Optional(Type.String()) }),
      },
    },
    async (request) => {
      const call = request.call();
      const customer = await customerOf(db, call.actor);
      const includeRetail = await retailShownTo(db, call.actor);
      return {
        items: await reservationCatalog(db, customer, request.query.region, { includeRetail }),
      };
    },
  );

  for (const [path, kind] of kinds) {
    app.post(
      `/my/${path}/quote`,
      {
        config,
        schema: { tags, summary: `Price a ${kind.replace('_', ' ')} before buying`, body: CommitmentBody },
      },
      async (request) => {
        const call = request.call();
        const customer = await customerOf(db, call.actor);
        const quote = await quoteCommitment(
          db,
          call,
          customer,
          commitmentRequestOf(kind, request.body as CommitmentBody),
        );
        const { retailUnitPrice, retailTotal, ...price } = quote.price;
        const retail = (await retailShownTo(db, call.actor)) ? { retailUnitPrice, retailTotal } : {};
        return { quoteId: quote.quoteId, expiresAt: quote.expiresAt.toISOString(), ...price, ...retail };
      },
    );

    app.post(
      `/my/${path}`,
      {
        config,
        schema: {
          tags,
          summary: `Buy a ${kind.replace('_', ' ')} (send an Idempotency-Key header)`,
          body: CommitmentBody,
        },
      },
      async (request, reply) => {
        const call = request.call();
        const customer = await customerOf(db, call.actor);
        const key = String(request.headers['idempotency-key'] ?? '');
        const outcome = await buyWithIdempotencyKey(
          db,
          call,
          customer,
          commitmentRequestOf(kind, request.body as CommitmentBody),
          key,
        );
        // Above the approval threshold (B2): held for the partner's Admin agents, nothing bought yet.
        if (outcome.kind === 'held')
          return reply.status(202).send({
            status: outcome.approval.status === 'pending' ? 'awaiting-approval' : 'awaiting-confirmation',
            approvalId: outcome.approval.id,
          });
        return reply
          .status(201)
          .send(commitmentView(outcome.commitment, { retail: await retailShownTo(db, call.actor) }));
      },
    );

    app.get(`/my/${path}`, { config, schema: { tags, summary: `Your ${path}` } }, async (request) => {
      const call = request.call();
      const customer = await customerOf(db, call.actor);
      const retail = await retailShownTo(db, call.actor);
      // Held purchases first, marked as such: never shown as bought (B2).
      const held = (await myApprovals(db, call, kind)).filter((a) => a.status !== 'approved').map(heldView);
      return {
        items: [
          ...held,
          ...(await listCommitments(db, call, customer, { kind })).map((c) => commitmentView(c, { retail })),
        ],
      };
    });

    app.get(
      `/my/${path}/:id`,
      { config, schema: { tags, summary: `One of your ${path}` } },
      async (request) => {
        const call = request.call();
        const customer = await customerOf(db, call.actor);
        return commitmentView(
          await getCommitment(db, call, customer, kind, (request.params as { id: string }).id),
          { retail: await retailShownTo(db, call.actor) },
        );
      },
    );

    app.get(
      `/my/${path}/:id/utilization`,
      { config, schema: { tags, summary: 'Utilisation over 1, 7 and 30 days and per day' } },
      async (request) => {
        const call = request.call();
        const customer = await customerOf(db, call.actor);
        const c = await getCommitment(db, call, customer, kind, (request.params as { id: string }).id);
        return (await utilizationOf(db, [c.id])).get(c.id);
      },
    );

    app.patch(
      `/my/${path}/:id`,
      {
        config,
        schema: { tags, summary: "Rename (scope and renewal are your partner's to change)", body: PatchBody },
      },
      async (request: FastifyRequest) => {
        const call = request.call();
        const customer = await customerOf(db, call.actor);
        const body = request.body as typeof PatchBody.static;
        const c = await getCommitment(db, call, customer, kind, (request.params as { id: string }).id);
        if (body.appliedScopeType !== undefined) throw partnerActionRequired('change the scope of');
        if (body.renew !== undefined) throw partnerActionRequired('turn renewal on or off for');
        if (body.displayName === undefined) throw invalid('nothing-to-change', 'Send displayName to rename.');
        return commitmentView(await renameCommitment(db, call, customer, c, body.displayName), {
          retail: await retailShownTo(db, call.actor),
        });
      },
    );

    for (const action of ['refund', 'exchange', 'cancel']) {
      app.post(
        `/my/${path}/:id/${action}`,
        { config, schema: { tags, summary: `Not allowed to customers (${action}): ask your partner` } },
        async (request) => {
          const call = request.call();
          const customer = await customerOf(db, call.actor);
          await getCommitment(db, call, customer, kind, (request.params as { id: string }).id);
          throw partnerActionRequired(action === 'cancel' ? 'cancel' : action);
        },
      );
    }
  }
}
