import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import type { FocusExportPlan } from '../../services/focus-export.ts';
import { planMyFocusExport, planPartnerFocusExport } from '../../services/focus-export.ts';
import { type FocusFormat, focusExportStream, focusFileName } from '../../services/focus-files.ts';
import type { Db } from '../../store/db.ts';
import { ErrorAnswer } from './account-schemas.ts';

const tags = ['mitra: cost exports'];
const errors = { 400: ErrorAnswer, 403: ErrorAnswer, 404: ErrorAnswer, 409: ErrorAnswer };

const day = (description: string) => Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description });
export const FocusExportQuery = Type.Object({
  from: day('First day, UTC (inclusive), yyyy-mm-dd'),
  to: day('Day after the last one, UTC (exclusive), yyyy-mm-dd'),
  customerId: Type.Optional(Type.String({ description: 'One customer; all of yours when absent' })),
  subscriptionId: Type.Optional(
    Type.String({ description: "One subscription (Mitra's id or the Azure subscription id)" }),
  ),
  format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('parquet')], { default: 'csv' })),
});
const MyFocusExportQuery = Type.Omit(FocusExportQuery, ['customerId']);

const FocusFile = Type.Unsafe<unknown>({
  type: 'string',
  format: 'binary',
  description: 'FOCUS 1.2 cost and usage rows (docs/focus.md): text/csv or application/vnd.apache.parquet',
});

export const contentTypeOf = (format: FocusFormat) =>
  format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.apache.parquet';

/** The file as a download: CSV streams as it is read; Parquet once DuckDB has written it. */
export async function sendFocusFile(reply: FastifyReply, db: Db, plan: FocusExportPlan, format: FocusFormat) {
  const stream = await focusExportStream(db, plan, format);
  return reply
    .type(contentTypeOf(format))
    .header('Content-Disposition', `attachment; filename="${focusFileName(plan, format)}"`)
    .header('Cache-Control', 'no-store')
    .send(stream);
}

/**
 * FOCUS 1.2 exports (issue 9, B6) through the API, so a server on the embedded database never has
 * to stop for one: partner users get the partner view (purchases and unused commitment
 * included), customer users the customer view (R17–R18), only while cost management is on.
 */
export const focusExportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;

  app.get(
    '/exports/focus',
    {
      config: { policy: 'partnerRead' },
      schema: {
        tags,
        summary:
          "FOCUS 1.2 cost and usage of one customer or all of yours (partner view: the engine's actual and amortized cost, purchases, unused commitment), CSV or Parquet",
        querystring: FocusExportQuery,
        response: { 200: FocusFile, ...errors },
      },
    },
    async (request, reply) => {
      const plan = await planPartnerFocusExport(db, request.call(), request.query);
      return sendFocusFile(reply, db, plan, request.query.format ?? 'csv');
    },
  );

  app.get(
    '/my/exports/focus',
    {
      config: { policy: 'customerSelf' },
      schema: {
        tags,
        summary:
          'FOCUS 1.2 cost and usage of the subscriptions you hold a role on, at pay-as-you-go retail in your billing currency (R17–R18), CSV or Parquet',
        querystring: MyFocusExportQuery,
        response: { 200: FocusFile, ...errors },
      },
    },
    async (request, reply) => {
      const plan = await planMyFocusExport(db, request.call(), request.query);
      return sendFocusFile(reply, db, plan, request.query.format ?? 'csv');
    },
  );
};
