import Big from 'big.js';
import type { Insertable } from 'kysely';
import { MitraError } from '../domain/errors.ts';
import { isUuid } from '../domain/ids.ts';
import { readCsv } from '../engine/csv.ts';
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

const bad = (line: number, column: string, problem: string) =>
  new MitraError(
    'invalid',
    'invalid-usage-row',
    `Line ${line}, column ${column}: ${problem}. Nothing was imported; fix the file and import it again.`,
    800002,
    { line, column },
  );

/** Plain decimals of up to six places, the common case, normalised without big.js. */
const plainDecimal = /^(\d{1,14})(?:\.(\d{0,6}))?$/;

function decimal(value: string, line: number, column: string, optional = false): string | null {
  if (value === '' && optional) return null;
  const plain = plainDecimal.exec(value);
  if (plain) return `${plain[1]}.${(plain[2] ?? '').padEnd(6, '0')}`;
  try {
    const d = new Big(value);
    if (d.lt(0)) throw new Error('negative');
    return d.toFixed(6);
  } catch {
    throw bad(line, column, `"${value}" is not a non-negative number`);
  }
}

export interface ImportedUsage {
  rows: number;
  /** Per customer: its partner and the hours [from, to) its rows cover. */
  customers: { customerId: string; partnerId: string; rows: number; from: Date; to: Date }[];
}

/**
 * Imports usage rows, all or nothing: rows are read as a stream, checked (known customer, a
 * subscription of that customer, a whole UTC hour, numbers) and written in batches inside one
 * transaction, so the first bad row rolls everything back. Returns what to re-run.
 */
export async function importUsageCsv(
  db: Db,
  source: AsyncIterable<string | Buffer> | string,
  options: {
    partnerId?: string;
    /** Work that must commit with the rows or not at all (audit records, queued re-runs). */
    beforeCommit?: (trx: Db, imported: ImportedUsage) => Promise<void>;
  } = {},
): Promise<ImportedUsage> {
  const chunks = typeof source === 'string' ? [source] : source;
  let q = db
    .selectFrom('subscriptions')
    .select(['id', 'customer_id', 'entitlement_id', 'partner_id'])
    .where('product_type', 'in', ['azure_plan', 'azure_global']);
  if (options.partnerId) q = q.where('partner_id', '=', options.partnerId);
  const subs = await q.execute();
  const byAzure = new Map(
    subs.flatMap((s) => [
      [`${s.customer_id}|${s.entitlement_id}`, s],
      [`${s.customer_id}|${s.id}`, s],
    ]),
  );
  const partnerOf = new Map(subs.map((s) => [s.customer_id, s.partner_id]));
  // Months outside this window still import, into the default partition (src/store/partitions.ts).
  const window = usagePartitionWindow(new Date());
  await ensureUsagePartitions(db, window.from, window.to);
  const affected = new Map<string, { from: Date; to: Date; rows: number }>();
  let count = 0;
  let imported: ImportedUsage | undefined;
  await db.transaction().execute(async (trx) => {
    let index: Record<string, number> | undefined;
    let batch: Insertable<UsageRecordsTable>[] = [];
    const flush = async () => {
      if (batch.length) await writeUsageRows(trx, batch);
      batch = [];
    };
    for await (const { line, cells } of readCsv(chunks as AsyncIterable<string | Buffer>)) {
      if (!index) {
        const header = cells.map((h) => h.trim());
        index = Object.fromEntries(usageCsvColumns.map((c) => [c, header.indexOf(c)]));
        const missing = requiredColumns.filter((c) => index![c] < 0);
        if (missing.length) throw bad(line, missing[0], `the header lacks ${missing.join(', ')}`);
        continue;
      }
      if (cells.length === 1 && cells[0].trim() === '') continue;
      const row = parseRow(cells, index, line, byAzure);
      batch.push(row);
      count += 1;
      const a = affected.get(row.customer_id) ?? { from: row.hour as Date, to: row.hour as Date, rows: 0 };
      if ((row.hour as Date) < a.from) a.from = row.hour as Date;
      if ((row.hour as Date) > a.to) a.to = row.hour as Date;
      a.rows += 1;
      affected.set(row.customer_id, a);
      if (batch.length >= 10_000) await flush();
    }
    if (!index) throw bad(1, 'header', 'the file is empty');
    await flush();
    imported = {
      rows: count,
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
  index: Record<string, number>,
  line: number,
  byAzure: Map<string, { id: string }>,
): Insertable<UsageRecordsTable> {
  const get = (c: (typeof usageCsvColumns)[number]) => (index[c] >= 0 ? (cells[index[c]] ?? '').trim() : '');
  const customerId = get('customerId').toLowerCase();
  if (!isUuid(customerId)) throw bad(line, 'customerId', 'not a customer tenant id');
  const sub = byAzure.get(`${customerId}|${get('subscriptionId').toLowerCase()}`);
  if (!sub) throw bad(line, 'subscriptionId', 'not an Azure subscription of that customer');
  const hour = hourOf(get('hour'));
  if (Number.isNaN(hour.getTime()) || hour.getTime() % 3_600_000 !== 0)
    throw bad(line, 'hour', 'must be a whole UTC hour such as 2026-11-01T10:00:00Z');
  for (const c of ['resourceGroup', 'region', 'sku', 'meterCategory', 'resourceId'] as const) {
    if (get(c).includes('\u0000')) throw bad(line, c, 'contains a NUL character');
  }
  const eligible = get('benefitEligible').toLowerCase();
  return {
    customer_id: customerId,
    subscription_id: sub.id,
    hour,
    resource_group: get('resourceGroup') || 'default',
    region: get('region'),
    meter_category: get('meterCategory') || 'Virtual Machines',
    reserved_resource_type: get('reservedResourceType') || null,
    sku: get('sku'),
    quantity: decimal(get('quantity'), line, 'quantity')!,
    payg_unit_price: decimal(get('paygUnitPrice'), line, 'paygUnitPrice')!,
    sp_unit_price_p1y: decimal(get('spUnitPriceP1Y'), line, 'spUnitPriceP1Y', true),
    sp_unit_price_p3y: decimal(get('spUnitPriceP3Y'), line, 'spUnitPriceP3Y', true),
    benefit_eligible: eligible === '' ? true : eligible === 'true' || eligible === '1',
    resource_id: get('resourceId') || null,
  };
}
