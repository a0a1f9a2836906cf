import type { Insertable } from 'kysely';
import { isUuid } from '../domain/ids.ts';
import {
  invalidUsageRow,
  nonNegativeDecimal,
  type RowPlace,
  refuseNul,
  type UsageRowIn,
} from '../domain/usage-rows.ts';
import { type CsvRecord, readCsv } from '../engine/csv.ts';
import type { Db } from '../store/db.ts';
import { ensureUsagePartitions, usagePartitionWindow } from '../store/partitions.ts';
import type { UsageRecordsTable } from '../store/schema.ts';
import { writeUsageRows } from '../store/usage-rows.ts';

/**
 * Hourly usage as CSV, one row per meter per hour: the columns of the engine contract's usage row
 * plus the customer. Documented in docs/usage-csv.md.
 */
export const usageCsvColumns = [
  'customerId',
  'subscriptionId',
  'hour',
  'resourceGroup',
  'region',
  'meterCategory',
  'reservedResourceType',
  'sku',
  'quantity',
  'paygUnitPrice',
  'spUnitPriceP1Y',
  'spUnitPriceP3Y',
  'benefitEligible',
  'resourceId',
] as const;

/** Rows of a file that are not usage and were passed over (FOCUS: commitment purchases and unused hours). */
export interface SkippedRows {
  purchases: number;
  unused: number;
  /** Tax, credit and adjustment rows: money, not metered usage. */
  other: number;
}

/**
 * A file's usage rows, whatever its format: read as a stream while the import's transaction is
 * open, so a bad row anywhere stops everything before commit.
 */
export interface UsageRowSource {
  /** The file's own names for the customer and subscription, for errors about them. */
  columns: { customer: string; subscription: string };
  rows: AsyncIterable<{ place: RowPlace; row: UsageRowIn }>;
  /** Counted while `rows` is read. */
  skipped: SkippedRows;
}

export const noneSkipped = (): SkippedRows => ({ purchases: 0, unused: 0, other: 0 });

export interface ImportedUsage {
  rows: number;
  skipped: SkippedRows;
  /** Per customer: its partner and the hours [from, to) its rows cover. */
  customers: { customerId: string; partnerId: string; rows: number; from: Date; to: Date }[];
}

const batchSize = 1000;

/**
 * Writes one batch of checked rows. The only place rows reach usage_records, so a faster bulk
 * path (COPY on PostgreSQL) replaces this function and nothing else.
 */
async function writeUsageBatch(trx: Db, batch: Insertable<UsageRecordsTable>[]): Promise<void> {
  if (batch.length) await writeUsageRows(trx, batch);
}

/**
 * Imports usage rows, all or nothing: rows are read from the source as a stream, checked (a known
 * customer — of the partner when `partnerId` is given —, an Azure subscription of that customer)
 * and written in batches inside one transaction, so the first bad row rolls everything back.
 * Rows may come in any order. Returns what to re-run.
 */
export async function importUsageRows(
  db: Db,
  source: UsageRowSource,
  options: {
    partnerId?: string;
    /** Work that must commit with the rows or not at all (audit records, queued re-runs). */
    beforeCommit?: (trx: Db, imported: ImportedUsage) => Promise<void>;
  } = {},
): Promise<ImportedUsage> {
  let q = db
    .selectFrom('subscriptions')
    .select(['id', 'customer_id', 'entitlement_id', 'partner_id'])
    .where('product_type', 'in', ['azure_plan', 'azure_global']);
  if (options.partnerId) q = q.where('partner_id', '=', options.partnerId);
  const subs = await q.execute();
  const ofCustomer = new Map(
    subs.flatMap((s) => [
      [`${s.customer_id}|${s.entitlement_id?.toLowerCase()}`, s],
      [`${s.customer_id}|${s.id}`, s],
    ]),
  );
  const bySubscription = new Map(
    subs.flatMap((s) => [
      [s.entitlement_id?.toLowerCase() ?? s.id, s],
      [s.id, s],
    ]),
  );
  const partnerOf = new Map(subs.map((s) => [s.customer_id, s.partner_id]));
  const { columns } = source;
  // Another partner's customer reads exactly like one that does not exist.
  const unknownCustomer = options.partnerId
    ? 'not a customer of yours'
    : 'not a customer with an Azure subscription';

  // Months outside this window still import, into the default partition (src/store/partitions.ts).
  const window = usagePartitionWindow(new Date());
  await ensureUsagePartitions(db, window.from, window.to);
  const affected = new Map<string, { from: Date; to: Date; rows: number }>();
  let count = 0;
  let imported: ImportedUsage | undefined;
  await db.transaction().execute(async (trx) => {
    let batch: Insertable<UsageRecordsTable>[] = [];
    for await (const { place, row } of source.rows) {
      let sub: (typeof subs)[number] | undefined;
      if (row.customerId !== null) {
        if (!isUuid(row.customerId))
          throw invalidUsageRow(place, columns.customer, 'not a customer tenant id');
        if (!partnerOf.has(row.customerId)) throw invalidUsageRow(place, columns.customer, unknownCustomer);
        sub = ofCustomer.get(`${row.customerId}|${row.subscription}`);
        if (!sub)
          throw invalidUsageRow(place, columns.subscription, 'not an Azure subscription of that customer');
      } else {
        sub = bySubscription.get(row.subscription);
        if (!sub)
          throw invalidUsageRow(
            place,
            columns.subscription,
            `not an Azure subscription of ${options.partnerId ? 'a customer of yours' : 'any customer'}`,
          );
      }
      batch.push(recordOf(row, sub));
      count += 1;
      const a = affected.get(sub.customer_id) ?? { from: row.hour, to: row.hour, rows: 0 };
      if (row.hour < a.from) a.from = row.hour;
      if (row.hour > a.to) a.to = row.hour;
      a.rows += 1;
      affected.set(sub.customer_id, a);
      if (batch.length >= batchSize) {
        await writeUsageBatch(trx, batch);
        batch = [];
      }
    }
    await writeUsageBatch(trx, batch);
    imported = {
      rows: count,
      skipped: source.skipped,
      customers: [...affected].map(([customerId, a]) => ({
        customerId,
        partnerId: partnerOf.get(customerId)!,
        rows: a.rows,
        from: a.from,
        to: new Date(a.to.getTime() + 3_600_000),
      })),
    };
    await options.beforeCommit?.(trx, imported);
  });
  return imported!;
}

const recordOf = (
  row: UsageRowIn,
  sub: { id: string; customer_id: string },
): Insertable<UsageRecordsTable> => ({
  customer_id: sub.customer_id,
  subscription_id: sub.id,
  hour: row.hour,
  resource_group: row.resourceGroup,
  region: row.region,
  meter_category: row.meterCategory,
  reserved_resource_type: row.reservedResourceType,
  sku: row.sku,
  quantity: row.quantity,
  payg_unit_price: row.paygUnitPrice,
  sp_unit_price_p1y: row.spUnitPriceP1Y,
  sp_unit_price_p3y: row.spUnitPriceP3Y,
  benefit_eligible: row.benefitEligible,
  resource_id: row.resourceId,
});

/** Mitra's usage CSV (docs/usage-csv.md) as a source, given its header and the records after it. */
export function mitraCsvSource(header: CsvRecord, records: AsyncIterable<CsvRecord>): UsageRowSource {
  const names = header.cells.map((h) => h.trim());
  const index = Object.fromEntries(usageCsvColumns.map((c) => [c, names.indexOf(c)])) as Record<
    (typeof usageCsvColumns)[number],
    number
  >;
  const missing = requiredColumns.filter((c) => index[c] < 0);
  if (missing.length)
    throw invalidUsageRow(
      { kind: 'Line', at: header.line },
      missing[0],
      `the header lacks ${missing.join(', ')}`,
    );
  return {
    columns: { customer: 'customerId', subscription: 'subscriptionId' },
    skipped: noneSkipped(),
    rows: (async function* () {
      for await (const { line, cells } of records) {
        if (cells.length === 1 && cells[0].trim() === '') continue;
        const place: RowPlace = { kind: 'Line', at: line };
        yield { place, row: parseRow(cells, index, place) };
      }
    })(),
  };
}

/** The CSV's first record and the rest, from one stream of chunks. */
export async function splitHeader(
  chunks: AsyncIterable<string | Buffer>,
): Promise<{ header: CsvRecord; records: AsyncIterable<CsvRecord> }> {
  const reader = readCsv(chunks)[Symbol.asyncIterator]();
  const first = await reader.next();
  if (first.done) throw invalidUsageRow({ kind: 'Line', at: 1 }, 'header', 'the file is empty');
  return { header: first.value, records: { [Symbol.asyncIterator]: () => reader } };
}

/**
 * Imports Mitra's usage CSV (docs/usage-csv.md): `importUsageRows` over `mitraCsvSource`. Kept for
 * callers that hold the CSV itself; files of either format go through `usageFileSource`.
 */
export async function importUsageCsv(
  db: Db,
  source: AsyncIterable<string | Buffer> | string,
  options: Parameters<typeof importUsageRows>[2] = {},
): Promise<ImportedUsage> {
  const chunks =
    typeof source === 'string'
      ? (async function* () {
          yield source;
        })()
      : source;
  const { header, records } = await splitHeader(chunks);
  return importUsageRows(db, mitraCsvSource(header, records), options);
}

const requiredColumns = usageCsvColumns.filter(
  (c) =>
    ![
      'spUnitPriceP1Y',
      'spUnitPriceP3Y',
      'benefitEligible',
      'reservedResourceType',
      'meterCategory',
      'resourceId',
    ].includes(c),
);

/** Rows of one hour share its text: parse it once (the cache is small, an import spans months). */
const hours = new Map<string, Date>();
function hourOf(text: string): Date {
  let d = hours.get(text);
  if (!d) {
    if (hours.size > 100_000) hours.clear();
    d = new Date(text);
    hours.set(text, d);
  }
  return d;
}

function parseRow(
  cells: string[],
  index: Record<(typeof usageCsvColumns)[number], number>,
  place: RowPlace,
): UsageRowIn {
  const get = (c: (typeof usageCsvColumns)[number]) => (index[c] >= 0 ? (cells[index[c]] ?? '').trim() : '');
  const customerId = get('customerId').toLowerCase();
  if (!isUuid(customerId)) throw invalidUsageRow(place, 'customerId', 'not a customer tenant id');
  const hour = hourOf(get('hour'));
  if (Number.isNaN(hour.getTime()) || hour.getTime() % 3_600_000 !== 0)
    throw invalidUsageRow(place, 'hour', 'must be a whole UTC hour such as 2026-11-01T10:00:00Z');
  refuseNul(place, {
    resourceGroup: get('resourceGroup'),
    region: get('region'),
    sku: get('sku'),
    meterCategory: get('meterCategory'),
    resourceId: get('resourceId'),
  });
  const eligible = get('benefitEligible').toLowerCase();
  return {
    customerId,
    subscription: get('subscriptionId').toLowerCase(),
    hour,
    resourceGroup: get('resourceGroup') || 'default',
    region: get('region'),
    meterCategory: get('meterCategory') || 'Virtual Machines',
    reservedResourceType: get('reservedResourceType') || null,
    sku: get('sku'),
    quantity: nonNegativeDecimal(get('quantity'), place, 'quantity')!,
    paygUnitPrice: nonNegativeDecimal(get('paygUnitPrice'), place, 'paygUnitPrice')!,
    spUnitPriceP1Y: nonNegativeDecimal(get('spUnitPriceP1Y'), place, 'spUnitPriceP1Y', true),
    spUnitPriceP3Y: nonNegativeDecimal(get('spUnitPriceP3Y'), place, 'spUnitPriceP3Y', true),
    benefitEligible: eligible === '' ? true : eligible === 'true' || eligible === '1',
    resourceId: get('resourceId') || null,
  };
}
