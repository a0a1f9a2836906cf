import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { benefitRunProgress, requestBenefitRuns } from '../../services/benefit-run-requests.ts';
import { cliSchema, operatorRoute } from './route-options.ts';
import {
  BenefitRunBatch,
  BenefitRunBatchParams,
  BenefitRunBatchQuery,
  BenefitRunProgress,
  BenefitRunsRequest,
} from './schemas.ts';

const day = (value: string) => new Date(`${value}T00:00:00Z`);

/**
 * `mitra benefits run` through the server: a long operation, so the request answers 202 with the
 * batch and its status address (as ARM does), and the command polls that while the server's own
 * benefit worker drains the queue.
 */
export const benefitRunRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;

  app.post(
    '/benefit-runs',
    {
      ...operatorRoute,
      schema: {
        ...cliSchema,
        summary: "Queue benefit runs for a period: every customer's, or the named ones'",
        body: BenefitRunsRequest,
        response: { 202: BenefitRunBatch },
      },
    },
    async (request, reply) => {
      const { from, to, customerIds } = request.body;
      const batch = await requestBenefitRuns(
        db,
        request.operatorCall(),
        { from: day(from), to: day(to) },
        customerIds,
      );
      return reply
        .status(202)
        .header(
          'Location',
          `/api/cli/benefit-runs/${batch.batch}?firstJob=${batch.firstJob}&lastJob=${batch.lastJob}`,
        )
        .send(batch);
    },
  );

  app.get(
    '/benefit-runs/:batch',
    {
      ...operatorRoute,
      schema: {
        ...cliSchema,
        summary: 'Where a batch of benefit runs stands',
        params: BenefitRunBatchParams,
        querystring: BenefitRunBatchQuery,
        response: { 200: BenefitRunProgress },
      },
    },
    async (request) =>
      benefitRunProgress(db, request.operatorCall(), { batch: request.params.batch, ...request.query }),
  );
};
