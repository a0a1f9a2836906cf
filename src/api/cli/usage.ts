import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { invalid } from '../../domain/errors.ts';
import { importUsage, usageSubscriptions } from '../../services/operator-usage.ts';
import { cliSchema, operatorRoute } from './route-options.ts';
import { UsageImported, UsageImportQuery, UsageSubscriptions } from './schemas.ts';

export const usageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;

  // The CSV is read from the connection as it arrives, never held whole: a file of any size goes
  // through the same one-transaction import as on the database, so it stays all or nothing.
  // (Scoped to this plugin; bodyLimit does not apply to a stream nobody buffers.)
  app.addContentTypeParser('text/csv', (_request, _payload, done) => done(null));

  app.post(
    '/usage/import',
    {
      ...operatorRoute,
      schema: {
        ...cliSchema,
        summary: '`mitra usage import`: hourly usage as CSV (docs/usage-csv.md), all or nothing',
        querystring: UsageImportQuery,
        response: { 200: UsageImported },
      },
    },
    async (request) => {
      const call = request.operatorCall();
      if (!/^text\/csv\b/i.test(request.headers['content-type'] ?? ''))
        throw invalid('unsupported-media-type', 'Send the usage file as text/csv.');
      const imported = await importUsage(db, call, request.raw, request.query.file);
      return {
        rows: imported.rows,
        customers: imported.customers.length,
        benefitRunsQueued: imported.benefitRunsQueued,
      };
    },
  );

  app.get(
    '/usage/subscriptions',
    {
      ...operatorRoute,
      schema: {
        ...cliSchema,
        summary: '`mitra usage generate`: the Azure subscriptions usage is generated for',
        response: { 200: UsageSubscriptions },
      },
    },
    async (request) => ({ items: await usageSubscriptions(db, request.operatorCall()) }),
  );
};
