import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { invalid } from '../../domain/errors.ts';
import { billCsv, billingMonths, monthlyBill } from '../../services/bills.ts';
import {
  calculateExchange,
  calculateRefund,
  changeScope,
  exchangeCommitment,
  refundCommitment,
  renameCommitment,
  setRenewal,
} from '../../services/commitment-lifecycle.ts';
import { purchaseWithIdempotencyKey } from '../../services/commitment-purchase.ts';
import { customerOf, getCommitment, listCommitments } from '../../services/commitments.ts';
import { utilizationOf } from '../../services/utilization.ts';
import type { CommitmentKind } from '../../store/schema.ts';
import {
  AppliedScopeBody,
  CommitmentBody,
  commitmentRequestOf,
  commitmentView,
} from '../commitment-requests.ts';
import { BillMonths, ExchangeQuote, RefundQuote } from './billing-schemas.ts';
import { reservationCatalog } from './reservation-catalog.ts';

const tags = ['mitra: customer reservations (partner side)'];
const PatchBody = Type.Object({
  displayName: Type.Optional(Type.String()),
  appliedScopeType: Type.Optional(Type.String()),
  appliedScope: Type.Optional(AppliedScopeBody),
  renew: Type.Optional(Type.Boolean()),
});

/**
 * The partner's view of a customer's commitments and its post-purchase actions (R10, R12): list,
 * buy for the customer, rename, scope, renewal, refund and exchange; and the monthly bill (R8).
 */
/** A commitment as its partner sees it: a customer's own savings plan is marked (R11, B3). */
const partnerCommitmentView = (c: Parameters<typeof commitmentView>[0]) => ({
  ...commitmentView(c),
  beyondPartnerCenter: c.kind === 'savings_plan' && c.bought_by === 'customer',
});

export async function customerCommitmentRoutes(app: FastifyInstance) {
  const { db } = app.deps;
  const ids = (request: FastifyRequest) => request.params as { id: string; commitmentId: string };

  for (const [path, kind] of [
    ['reservations', 'reservation'],
    ['savings-plans', 'savings_plan'],
  ] as [string, CommitmentKind][]) {
    app.get(
      `/customers/:id/${path}`,
      {
        config: { policy: 'partnerRead' },
        schema: {
          tags,
          summary:
            kind === 'reservation'
              ? "The customer's reservations, bought by you or by the customer"
              : "The customer's savings plans — including the customer's own, which partner center does not show (beyond partner center)",
        },
      },
      async (request) => {
        const call = request.call();
        const customer = await customerOf(db, call.actor, ids(request).id);
        const items = await listCommitments(db, call, customer, { kind, includeCustomerSavingsPlans: true });
        return {
          items: items.map(partnerCommitmentView),
          ...(kind === 'savings_plan' ? { beyondPartnerCenter: true } : {}),
        };
      },
    );

    app.get(
      `/customers/:id/${path}/:commitmentId`,
      { config: { policy: 'partnerRead' }, schema: { tags, summary: `One ${kind.replace('_', ' ')}` } },
      async (request) => {
        const call = request.call();
        const customer = await customerOf(db, call.actor, ids(request).id);
        return partnerCommitmentView(
          await getCommitment(db, call, customer, kind, ids(request).commitmentId, {
            includeCustomerSavingsPlans: true,
          }),
        );
      },
    );

    app.get(
      `/customers/:id/${path}/:commitmentId/utilization`,
      {
        config: { policy: 'partnerRead' },
        schema: { tags, summary: 'Utilisation over 1, 7 and 30 days and per day' },
      },
      async (request) => {
        const call = request.call();
        const customer = await customerOf(db, call.actor, ids(request).id);
        const c = await getCommitment(db, call, customer, kind, ids(request).commitmentId, {
          includeCustomerSavingsPlans: true,
        });
        return (await utilizationOf(db, [c.id])).get(c.id);
      },
    );

    app.post(
      `/customers/:id/${path}`,
      {
        config: { policy: 'ordersCreate' },
        schema: {
          tags,
          summary: `Buy a ${kind.replace('_', ' ')} for the customer (Idempotency-Key header)`,
          body: CommitmentBody,
        },
      },
      async (request, reply) => {
        const call = request.call();
        const customer = await customerOf(db, call.actor, ids(request).id);
        const c = await purchaseWithIdempotencyKey(
          db,
          call,
          customer,
          commitmentRequestOf(kind, request.body as CommitmentBody),
          String(request.headers['idempotency-key'] ?? ''),
        );
        return reply.status(201).send(partnerCommitmentView(c));
      },
    );

    app.patch(
      `/customers/:id/${path}/:commitmentId`,
      {
        config: { policy: 'commitmentsManage' },
        schema: { tags, summary: 'Rename, change scope or turn renewal on/off', body: PatchBody },
      },
      async (request) => {
        const call = request.call();
        const customer = await customerOf(db, call.actor, ids(request).id);
        const body = request.body as typeof PatchBody.static;
        let c = await getCommitment(db, call, customer, kind, ids(request).commitmentId, {
          includeCustomerSavingsPlans: true,
        });
        if (
          body.displayName === undefined &&
          body.appliedScopeType === undefined &&
          body.renew === undefined
        ) {
          throw invalid(
            'nothing-to-change',
            'Send displayName, appliedScopeType (with appliedScope) or renew.',
          );
        }
        if (body.displayName !== undefined)
          c = await renameCommitment(db, call, customer, c, body.displayName);
        if (body.appliedScopeType !== undefined)
          c = await changeScope(db, call, customer, c, body.appliedScopeType, body.appliedScope ?? {});
        if (body.renew !== undefined) c = await setRenewal(db, call, customer, c, body.renew);
        return partnerCommitmentView(c);
      },
    );
  }

  app.post(
    '/customers/:id/reservations/:commitmentId/refund-quote',
    {
      config: { policy: 'commitmentsManage' },
      schema: {
        tags,
        summary: 'What a refund would give back and cancel, and the bill lines it would write',
        response: { 200: RefundQuote },
      },
    },
    async (request) => {
      const call = request.call();
      const customer = await customerOf(db, call.actor, ids(request).id);
      const c = await getCommitment(db, call, customer, 'reservation', ids(request).commitmentId);
      return calculateRefund(db, call, c);
    },
  );

  app.post(
    '/customers/:id/reservations/:commitmentId/refund',
    {
      config: { policy: 'commitmentsManage' },
      schema: {
        tags,
        summary: 'Refund (cancel) a reservation',
        body: Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) }),
      },
    },
    async (request) => {
      const call = request.call();
      const customer = await customerOf(db, call.actor, ids(request).id);
      const c = await getCommitment(db, call, customer, 'reservation', ids(request).commitmentId);
      const { commitment, refund } = await refundCommitment(
        db,
        call,
        customer,
        c,
        (request.body as { reason?: string }).reason,
      );
      return { reservation: commitmentView(commitment), refund };
    },
  );

  app.post(
    '/customers/:id/reservations/:commitmentId/exchange-quote',
    {
      config: { policy: 'commitmentsManage' },
      schema: {
        tags,
        summary: 'What an exchange would credit and cost, and the bill lines it would write',
        body: CommitmentBody,
        response: { 200: ExchangeQuote },
      },
    },
    async (request) => {
      const call = request.call();
      const customer = await customerOf(db, call.actor, ids(request).id);
      const c = await getCommitment(db, call, customer, 'reservation', ids(request).commitmentId);
      return calculateExchange(
        db,
        call,
        customer,
        c,
        commitmentRequestOf('reservation', request.body as CommitmentBody),
      );
    },
  );

  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/customers/:id/reservation-catalog',
    {
      config: { policy: 'partnerRead' },
      schema: {
        tags,
        summary: 'VM reservations on sale for this customer, with your price and the retail price',
        params: Type.Object({ id: Type.String() }),
        querystring: Type.Object({ region: Type.Optional(Type.String()) }),
      },
    },
    async (request) => {
      const call = request.call();
      const customer = await customerOf(db, call.actor, request.params.id);
      return { items: await reservationCatalog(db, customer, request.query.region) };
    },
  );

  app.post(
    '/customers/:id/reservations/:commitmentId/exchange',
    {
      config: { policy: 'commitmentsManage' },
      schema: { tags, summary: 'Exchange a reservation for a new one', body: CommitmentBody },
    },
    async (request) => {
      const call = request.call();
      const customer = await customerOf(db, call.actor, ids(request).id);
      const c = await getCommitment(db, call, customer, 'reservation', ids(request).commitmentId);
      const result = await exchangeCommitment(
        db,
        call,
        customer,
        c,
        commitmentRequestOf('reservation', request.body as CommitmentBody),
      );
      return {
        returned: commitmentView(result.returned),
        created: commitmentView(result.created),
        credit: result.credit,
        newTotal: result.newTotal,
        netPayable: result.netPayable,
        currency: result.created.currency,
        entries: result.entries,
      };
    },
  );

  app.get(
    '/customers/:id/bills',
    {
      config: { policy: 'pricesRead' },
      schema: {
        tags,
        summary: 'Months with charges for this customer; months ahead apart, as forecasts',
        response: { 200: BillMonths },
      },
    },
    async (request) => billingMonths(db, request.call(), ids(request).id),
  );

  app.get(
    '/customers/:id/bills/:month',
    {
      config: { policy: 'pricesRead' },
      schema: {
        tags,
        summary: 'The monthly bill for this customer (add .csv for a CSV export)',
        params: Type.Object({ id: Type.String(), month: Type.String() }),
      },
    },
    async (request, reply) => {
      const { id, month } = request.params as { id: string; month: string };
      const csv = month.endsWith('.csv');
      const bill = await monthlyBill(db, request.call(), id, csv ? month.slice(0, -4) : month);
      if (csv) {
        return reply
          .type('text/csv; charset=utf-8')
          .header(
            'Content-Disposition',
            `attachment; filename="mitra-bill-${bill.customer.domain}-${bill.month}.csv"`,
          )
          .send(billCsv(bill));
      }
      const { customer: _customer, ...view } = bill;
      return view;
    },
  );
}
