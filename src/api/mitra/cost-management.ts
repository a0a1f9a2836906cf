import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { costManagementOf, setCostManagement } from '../../services/cost-management.ts';

const tags = ['mitra: cost management'];
const CustomerParams = Type.Object({ id: Type.String() });
const CostManagementBody = Type.Object({ enabled: Type.Boolean() }, { additionalProperties: false });
const CostManagementView = Type.Object({
  enabled: Type.Boolean(),
  changedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  changedBy: Type.Union([Type.String(), Type.Null()]),
});

/** A customer's cost management switch (R17): read by any partner user, set by Admin agents. */
export async function costManagementRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.deps;

  app.get(
    '/customers/:id/cost-management',
    {
      config: { policy: 'partnerRead' },
      schema: {
        tags,
        summary: "Whether the customer's users see their costs (R17); off until an Admin agent enables it",
        params: CustomerParams,
        response: { 200: CostManagementView },
      },
    },
    async (request) => costManagementOf(db, request.call(), request.params.id),
  );

  app.put(
    '/customers/:id/cost-management',
    {
      config: { policy: 'costManagementAttempt' },
      schema: {
        tags,
        summary:
          "Enable or disable the customer's cost management (Admin agents; refusals are recorded; the same value again changes nothing)",
        params: CustomerParams,
        body: CostManagementBody,
        response: { 200: CostManagementView },
      },
    },
    async (request) => setCostManagement(db, request.call(), request.params.id, request.body.enabled),
  );
}
