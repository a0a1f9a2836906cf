import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { runAlertChecks } from '../../jobs/alerts.ts';
import { cliSchema, operatorRoute } from './route-options.ts';

export const AlertsRun = Type.Object({
  expiring: Type.Integer({ description: 'commitment.expiring events raised' }),
  underutilized: Type.Integer({ description: 'commitment.underutilized events raised' }),
});

/** `mitra alerts run` beside the embedded server: the scheduled alert checks (B11), now. */
export const alertRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/alerts/run',
    {
      ...operatorRoute,
      schema: { ...cliSchema, summary: 'Run the alert checks now', response: { 200: AlertsRun } },
    },
    async (request) => {
      request.operatorCall();
      return runAlertChecks(app.deps.db);
    },
  );
};
