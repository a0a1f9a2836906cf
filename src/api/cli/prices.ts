import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { invalid } from '../../domain/errors.ts';
import { importPartnerPriceSheet } from '../../services/operator-prices.ts';
import { cliSchema, operatorRoute } from './route-options.ts';
import { PriceSheetImported } from './schemas.ts';

/** `mitra prices import` through the server: the file streamed, all or nothing. */
export const priceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;
  // Read from the connection by the import itself (scoped to this plugin).
  app.addContentTypeParser('text/csv', (_request, _payload, done) => done(null));

  app.post(
    '/prices/import',
    {
      ...operatorRoute,
      schema: {
        ...cliSchema,
        summary: "`mitra prices import`: a partner's own cost from its price sheet (docs/prices-csv.md)",
        querystring: Type.Object({
          file: Type.Optional(Type.String({ maxLength: 200 })),
          partner: Type.Optional(Type.String({ maxLength: 200 })),
        }),
        response: { 200: PriceSheetImported },
      },
    },
    async (request) => {
      if (!/^text\/csv\b/i.test(request.headers['content-type'] ?? ''))
        throw invalid('unsupported-media-type', 'Send the price sheet as text/csv.');
      return importPartnerPriceSheet(
        db,
        request.operatorCall(),
        request.query.partner,
        request.raw,
        request.query.file,
      );
    },
  );
};
