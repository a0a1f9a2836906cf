import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { customerCosts, partnerCosts } from '../../services/partner-costs.ts';
import { customerCostsCsv, partnerCostsCsv } from '../../services/partner-costs-csv.ts';
import {
  CustomerCostsQuery,
  CustomerCostsView,
  PartnerCostsQuery,
  PartnerCostsView,
} from './partner-costs-schemas.ts';

const tags = ['mitra: partner costs'];

/** A CSV download; typed apart from the route, whose response schema describes the JSON. */
const sendCsv = (reply: FastifyReply, fileName: string, body: string) =>
  reply
    .type('text/csv; charset=utf-8')
    .header('Content-Disposition', `attachment; filename="${fileName}"`)
    .send(body);

/** `?format=` wins; otherwise `Accept: text/csv` asks for CSV; JSON by default. */
const wantsCsv = (request: FastifyRequest, format?: 'json' | 'csv') =>
  format ? format === 'csv' : String(request.headers.accept ?? '').includes('text/csv');

/** The partner's cost views (issue 9): across customers per month, and per customer per month. */
export async function partnerCostRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.deps;

  app.get(
    '/costs',
    {
      config: { policy: 'pricesRead' },
      schema: {
        tags,
        summary:
          'What the partner pays, bills and earns per customer for a month (default: this one); CSV with format=csv or Accept: text/csv',
        querystring: PartnerCostsQuery,
        response: { 200: PartnerCostsView },
      },
    },
    async (request, reply) => {
      const { month, view = 'actual', format } = request.query;
      const costs = await partnerCosts(db, request.call(), month, view);
      if (!wantsCsv(request, format)) return costs;
      return sendCsv(reply, `mitra-costs-${costs.month}-${view}.csv`, partnerCostsCsv(costs));
    },
  );

  app.get(
    '/customers/:id/costs',
    {
      config: { policy: 'pricesRead' },
      schema: {
        tags,
        summary:
          "One customer's costs per month from `from` to `to` (default: the last six months); CSV with format=csv or Accept: text/csv",
        params: Type.Object({ id: Type.String() }),
        querystring: CustomerCostsQuery,
        response: { 200: CustomerCostsView },
      },
    },
    async (request, reply) => {
      const { from, to, view = 'actual', format } = request.query;
      const costs = await customerCosts(db, request.call(), request.params.id, { from, to }, view);
      if (!wantsCsv(request, format)) return costs;
      return sendCsv(
        reply,
        `mitra-costs-${costs.customerDomain}-${costs.from}-${costs.to}-${view}.csv`,
        customerCostsCsv(costs),
      );
    },
  );
}
