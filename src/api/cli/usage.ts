import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { invalid } from '../../domain/errors.ts';
import { importUsage, usageSubscriptions } from '../../services/operator-usage.ts';
import { usageFileTypes } from '../mitra/usage-imports.ts';
import { cliSchema, operatorRoute } from './route-options.ts';
import { UsageImported, UsageImportQuery, UsageSubscriptions } from './schemas.ts';

export const usageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;

  // The file is read from the connection as it arrives, never held whole: a file of any size goes
  // through the same one-transaction import as on the database, so it stays all or nothing.
  // (Scoped to this plugin; bodyLimit does not apply to a stream nobody buffers.)
  for (const type of usageFileTypes) app.addContentTypeParser(type, (_request, _payload, done) => done(null));

  app.post(
    '/usage/import',
    {
      ...operatorRoute,
      schema: {
        ...cliSchema,
        summary:
          '`mitra usage import`: hourly usage as Mitra CSV (docs/usage-csv.md) or a FOCUS export (docs/usage-focus.md), all or nothing',
        querystring: UsageImportQuery,
        response: { 200: UsageImported },
      },
    },
    async (request) => {
      const call = request.operatorCall();
      const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      if (!(usageFileTypes as readonly string[]).includes(type))
        throw invalid(
          'unsupported-media-type',
          'Send the usage file as text/csv, application/gzip or Parquet.',
        );
      const imported = await importUsage(db, call, { stream: request.raw }, request.query);
      return {
        rows: imported.rows,
        customers: imported.customers.length,
        benefitRunsQueued: imported.benefitRunsQueued,
        format: imported.format,
        skipped: imported.skipped,
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
