import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { planOperatorFocusExport } from '../../services/focus-export.ts';
import { sendFocusFile } from '../mitra/focus-exports.ts';
import { cliSchema, operatorRoute } from './route-options.ts';
import { FocusExportCliQuery } from './schemas.ts';

/** `mitra export focus` through the server: the file streams back to the command, which writes it. */
export const exportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;
  app.get(
    '/exports/focus',
    {
      ...operatorRoute,
      schema: {
        ...cliSchema,
        summary:
          '`mitra export focus`: one customer’s FOCUS 1.2 rows, partner or customer view, CSV or Parquet',
        querystring: FocusExportCliQuery,
      },
    },
    async (request, reply) => {
      const plan = await planOperatorFocusExport(db, request.operatorCall(), request.query);
      return sendFocusFile(reply, db, plan, request.query.format);
    },
  );
};
