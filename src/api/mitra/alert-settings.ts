import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { getAlertSettings, setAlertSettings } from '../../services/alert-settings.ts';

const tags = ['mitra: alerts'];
const Settings = Type.Object(
  {
    underutilization: Type.Object(
      {
        thresholdPercent: Type.Number({
          minimum: 1,
          maximum: 100,
          description:
            'A commitment used less than this, in percent, over the window raises commitment.underutilized',
        }),
        windowDays: Type.Integer({
          minimum: 1,
          maximum: 90,
          description: 'The last days of utilisation counted',
        }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

/** The partner's alert settings (B11): everybody reads, Admin agents change (audited, refusals recorded). */
export const alertSettingsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;
  app.get(
    '/alert-settings',
    {
      config: { policy: 'partnerRead' },
      schema: {
        tags,
        summary: 'When a commitment counts as under-used (default: under 80 % over 7 days)',
        response: { 200: Settings },
      },
    },
    async (request) => getAlertSettings(db, request.call()),
  );
  app.put(
    '/alert-settings',
    {
      config: { policy: 'alertSettingsAttempt' },
      schema: {
        tags,
        summary: 'Change when a commitment counts as under-used (Admin agents)',
        body: Settings,
        response: { 200: Settings },
      },
    },
    async (request) => setAlertSettings(db, request.call(), request.body),
  );
};
