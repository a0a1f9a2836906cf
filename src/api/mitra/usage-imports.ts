import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { invalid } from '../../domain/errors.ts';
import { importPartnerUsage } from '../../services/usage-imports.ts';

const tags = ['mitra: usage'];

/** Bodies read from the connection as they arrive: a file of any size, never held whole. */
export const usageFileTypes = [
  'text/csv',
  'application/gzip',
  'application/vnd.apache.parquet',
  'application/octet-stream',
] as const;

export const UsageImportQuery = Type.Object({
  /** Omitted: told by the file (Parquet is FOCUS; a CSV by its header). */
  format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('focus')])),
  /** The file's name, for the activity record. */
  file: Type.Optional(Type.String({ maxLength: 200 })),
});

export const SkippedRows = Type.Object({
  purchases: Type.Integer({ description: 'FOCUS Purchase rows (commitment purchases)' }),
  unused: Type.Integer({ description: 'FOCUS rows of unused commitment hours' }),
  other: Type.Integer({ description: 'FOCUS Tax, Credit and Adjustment rows' }),
});

const UsageImportResult = Type.Object({
  format: Type.Union([Type.Literal('csv'), Type.Literal('focus')]),
  rows: Type.Integer({ description: 'usage rows stored (a daily FOCUS row is 24 hourly rows)' }),
  skipped: SkippedRows,
  customers: Type.Array(
    Type.Object({
      customerId: Type.String(),
      rows: Type.Integer(),
      from: Type.String({ format: 'date-time' }),
      to: Type.String({ format: 'date-time', description: 'exclusive: the hour after the last row' }),
    }),
  ),
  runsQueued: Type.Integer({ description: 'benefit re-runs queued for the affected customers and days' }),
});

/** `POST /api/usage/imports`: usage in, through the API, for a partner's Admin agents. */
export async function usageImportRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.deps;
  for (const type of usageFileTypes) app.addContentTypeParser(type, (_request, _payload, done) => done(null));

  app.post(
    '/usage/imports',
    {
      config: { policy: 'usageImport' },
      schema: {
        tags,
        summary:
          "Import usage of the partner's customers, all or nothing: Mitra's usage CSV (docs/usage-csv.md) or the cloud's FOCUS cost export as CSV, gzip or Parquet (docs/usage-focus.md); the affected days' benefit runs are queued",
        querystring: UsageImportQuery,
        response: { 201: UsageImportResult },
      },
    },
    async (request, reply) => {
      const call = request.call();
      const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      if (!(usageFileTypes as readonly string[]).includes(type))
        throw invalid(
          'unsupported-media-type',
          'Send the usage file as the body: text/csv (Mitra CSV or FOCUS CSV), application/gzip, or application/vnd.apache.parquet.',
        );
      const imported = await importPartnerUsage(db, call, { stream: request.raw }, request.query);
      return reply.status(201).send({
        format: imported.format,
        rows: imported.rows,
        skipped: imported.skipped,
        customers: imported.customers.map((c) => ({
          customerId: c.customerId,
          rows: c.rows,
          from: c.from.toISOString(),
          to: c.to.toISOString(),
        })),
        runsQueued: imported.runsQueued,
      });
    },
  );
}
