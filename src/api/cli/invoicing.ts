import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { invalid } from '../../domain/errors.ts';
import { importExchangeRates, issueInvoices } from '../../services/operator-invoicing.ts';
import { cliSchema, operatorRoute } from './route-options.ts';
import { InvoicesIssued, InvoicesIssueRequest, RatesImported, UsageImportQuery } from './schemas.ts';

/** `mitra invoices issue` and `mitra rates import` through the server. */
export const invoicingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;
  // Streamed as for usage: read from the connection by the import itself (scoped to this plugin).
  app.addContentTypeParser('text/csv', (_request, _payload, done) => done(null));

  app.post(
    '/invoices/issue',
    {
      ...operatorRoute,
      schema: {
        ...cliSchema,
        summary: '`mitra invoices issue`: close a month for every partner (or one) and issue its invoices',
        body: InvoicesIssueRequest,
        response: { 200: InvoicesIssued },
      },
    },
    async (request) => ({
      items: await issueInvoices(db, request.operatorCall(), request.body.month, request.body.partnerId),
    }),
  );

  app.post(
    '/rates/import',
    {
      ...operatorRoute,
      schema: {
        ...cliSchema,
        summary: '`mitra rates import`: the operator’s exchange rates (docs/rates-csv.md), all or nothing',
        querystring: UsageImportQuery,
        response: { 200: RatesImported },
      },
    },
    async (request) => {
      const call = request.operatorCall();
      if (!/^text\/csv\b/i.test(request.headers['content-type'] ?? ''))
        throw invalid('unsupported-media-type', 'Send the rates file as text/csv.');
      return importExchangeRates(db, call, request.raw, request.query.file);
    },
  );
};
