import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { whatIf } from '../../services/what-if.ts';
import { commitmentRequestOf } from '../commitment-requests.ts';
import { WhatIfBody, WhatIfView } from './what-if-schemas.ts';

const tags = ['mitra: what-if'];

/** Each candidate through the purchase routes' own conversion, so it is refused in their words. */
const requestOf = (body: WhatIfBody) => ({
  lookbackDays: body.lookbackDays,
  candidates: body.candidates.map(({ kind, ...candidate }) =>
    commitmentRequestOf(kind === 'reservation' ? 'reservation' : 'savings_plan', candidate),
  ),
});

/** What-if (B4): candidate commitments replayed over the customer's recent usage; nothing is bought. */
export async function whatIfRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.deps;

  app.post(
    '/customers/:id/what-if',
    {
      config: { policy: 'partnerRead' },
      schema: {
        tags,
        summary:
          "Replay candidate reservations and savings plans over the customer's last 7, 30 or 60 days of usage, with its commitments",
        params: Type.Object({ id: Type.String() }),
        body: WhatIfBody,
        response: { 200: WhatIfView },
      },
    },
    async (request) => whatIf(db, request.call(), request.params.id, requestOf(request.body)),
  );

  app.post(
    '/my/what-if',
    {
      config: { policy: 'customerSelf' },
      schema: {
        tags,
        summary:
          'Replay candidate reservations and savings plans over your last 7, 30 or 60 days of usage (money only with cost management on)',
        body: WhatIfBody,
        response: { 200: WhatIfView },
      },
    },
    async (request) => whatIf(db, request.call(), undefined, requestOf(request.body)),
  );
}
