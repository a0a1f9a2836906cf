import { type Static, Type } from '@sinclair/typebox';

/**
 * The contract between the `mitra` command and the server's `/api/cli/…` routes: the routes
 * validate and serialise with these schemas, and the command's client (src/cli/server-client.ts)
 * checks answers against the same ones, so both sides change together.
 */

export const ServerStatus = Type.Object({
  pid: Type.Integer(),
  /** The migrations this server's code knows, all applied at its start. */
  migrations: Type.Array(Type.String()),
  /** The server drains queued benefit runs itself (embedded database), with this many threads. */
  benefitWorker: Type.Union([Type.Object({ threads: Type.Integer() }), Type.Null()]),
});
export type ServerStatus = Static<typeof ServerStatus>;

/** The query of a file upload (usage, rates). */
export const UsageImportQuery = Type.Object({
  /** The file's name, for the activity record. */
  file: Type.Optional(Type.String({ maxLength: 200 })),
  /** `mitra usage import --format`; omitted: told by the file. */
  format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('focus')])),
});

export const UsageImported = Type.Object({
  rows: Type.Integer(),
  customers: Type.Integer(),
  benefitRunsQueued: Type.Integer(),
  // Optional: a server running older code answers without them.
  format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('focus')])),
  skipped: Type.Optional(
    Type.Object({ purchases: Type.Integer(), unused: Type.Integer(), other: Type.Integer() }),
  ),
});
export type UsageImported = Static<typeof UsageImported>;

export const UsageSubscriptions = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      customerId: Type.String(),
      entitlementId: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
});
export type UsageSubscriptions = Static<typeof UsageSubscriptions>;

export const BenefitRunsRequest = Type.Object({
  from: Type.String({ format: 'date', description: 'First day, UTC (inclusive)' }),
  to: Type.String({ format: 'date', description: 'Last day, UTC (exclusive)' }),
  customerIds: Type.Optional(Type.Array(Type.String(), { maxItems: 100_000 })),
});
export type BenefitRunsRequest = Static<typeof BenefitRunsRequest>;

export const BenefitRunBatch = Type.Object({
  batch: Type.String({ format: 'uuid' }),
  firstJob: Type.Integer(),
  lastJob: Type.Integer(),
  customers: Type.Integer(),
});
export type BenefitRunBatch = Static<typeof BenefitRunBatch>;

export const BenefitRunBatchParams = Type.Object({ batch: Type.String({ format: 'uuid' }) });
export const BenefitRunBatchQuery = Type.Object({
  firstJob: Type.Integer({ minimum: 0 }),
  lastJob: Type.Integer({ minimum: 0 }),
});

export const BenefitRunProgress = Type.Object({
  total: Type.Integer(),
  queued: Type.Integer(),
  running: Type.Integer(),
  done: Type.Integer(),
  failed: Type.Integer(),
  errors: Type.Array(Type.String()),
  usageRows: Type.Union([Type.Integer(), Type.Null()]),
});
export type BenefitRunProgress = Static<typeof BenefitRunProgress>;

export const InvoicesIssueRequest = Type.Object({
  month: Type.String({ pattern: '^\\d{4}-\\d{2}$', description: 'The month to close, such as 2026-11' }),
  partnerId: Type.Optional(Type.String()),
});

export const InvoicesIssued = Type.Object({
  items: Type.Array(
    Type.Object({
      partnerId: Type.String(),
      partnerName: Type.String(),
      alreadyClosed: Type.Boolean(),
      invoices: Type.Array(Type.Union([Type.String(), Type.Null()])),
    }),
  ),
});
export type InvoicesIssued = Static<typeof InvoicesIssued>;

export const RatesImported = Type.Object({ rates: Type.Integer() });

export const PriceSheetImported = Type.Object({
  partnerName: Type.String(),
  imported: Type.Integer(),
  skipped: Type.Integer(),
  currency: Type.Union([Type.String(), Type.Null()]),
  effectiveStarts: Type.Array(Type.String()),
});

export const FocusExportCliQuery = Type.Object({
  customerId: Type.String(),
  subscriptionId: Type.Optional(Type.String()),
  view: Type.Union([Type.Literal('partner'), Type.Literal('customer')]),
  from: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'First day, UTC (inclusive)' }),
  to: Type.String({
    pattern: '^\\d{4}-\\d{2}-\\d{2}$',
    description: 'Day after the last one, UTC (exclusive)',
  }),
  format: Type.Union([Type.Literal('csv'), Type.Literal('parquet')]),
});
export type FocusExportCliQuery = Static<typeof FocusExportCliQuery>;
