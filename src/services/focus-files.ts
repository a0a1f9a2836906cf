import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import {
  type CommitmentFact,
  type FocusContext,
  ledgerRow,
  type UsageFact,
  unusedRow,
  usageRows,
} from '../domain/focus.ts';
import { exportColumns, type FocusRow, parquetTypeOf } from '../domain/focus-columns.ts';
import type { Db } from '../store/db.ts';
import type { FocusCustomerPlan, FocusExportPlan } from './focus-export.ts';

/**
 * Writes an export plan's rows, streaming: usage is read in keyset pages of `CHUNK` rows (by hour
 * and id, along the `usage_records(customer_id, hour)` index) joined with their benefit results,
 * turned into FOCUS rows and written before the next page is read — a month is never held in
 * memory. Parquet is written by DuckDB from the CSV, with every column's type explicit.
 */
const CHUNK = 5000;

export type FocusFormat = 'csv' | 'parquet';

/** Counts what an export will read, so a progress bar knows its total. */
export async function focusSourceRows(db: Db, plan: FocusExportPlan): Promise<number> {
  let total = 0;
  for (const c of plan.customers) {
    if (c.subscriptionIds?.length === 0) continue;
    let q = db
      .selectFrom('usage_records')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('customer_id', '=', c.customer.id)
      .where('hour', '>=', plan.from)
      .where('hour', '<', plan.to);
    if (c.subscriptionIds) q = q.where('subscription_id', 'in', c.subscriptionIds);
    total += Number((await q.executeTakeFirstOrThrow()).n);
  }
  return total;
}

async function commitmentsOf(
  db: Db,
  customerId: string,
): Promise<Map<string, CommitmentFact & { subscriptionId: string | null }>> {
  const rows = await db
    .selectFrom('commitments as c')
    .leftJoin('subscriptions as s', (join) =>
      join
        .on('s.customer_id', '=', customerId)
        .on((eb) =>
          eb.or([
            eb('s.entitlement_id', '=', eb.ref('c.billing_subscription_id')),
            eb('s.id', '=', eb.ref('c.billing_subscription_id')),
          ]),
        ),
    )
    .select([
      'c.id',
      'c.order_id',
      'c.kind',
      'c.display_name',
      'c.sku',
      'c.region',
      'c.reserved_resource_type',
      'c.quantity',
      'c.hourly_commitment',
      'c.unit_price',
      'c.retail_unit_price',
      'c.currency',
      'c.term',
      'c.billing_plan',
      'c.purchased_at',
      'c.expires_at',
      'c.billing_subscription_id',
      's.id as subscription_id',
      's.entitlement_id',
      's.friendly_name',
    ])
    .where('c.customer_id', '=', customerId)
    .execute();
  return new Map(
    rows.map((c) => [
      c.id,
      {
        id: c.id,
        orderId: c.order_id,
        kind: c.kind,
        displayName: c.display_name,
        sku: c.sku,
        region: c.region,
        reservedResourceType: c.reserved_resource_type,
        quantity: c.quantity,
        hourlyCommitment: c.hourly_commitment,
        unitPrice: c.unit_price,
        retailUnitPrice: c.retail_unit_price,
        currency: c.currency,
        term: c.term,
        billingPlan: c.billing_plan,
        purchasedAt: new Date(c.purchased_at),
        expiresAt: new Date(c.expires_at),
        billingSubscription: c.subscription_id
          ? { azureId: c.entitlement_id ?? c.billing_subscription_id, name: c.friendly_name ?? '' }
          : { azureId: c.billing_subscription_id, name: c.billing_subscription_id },
        subscriptionId: c.subscription_id ?? null,
      },
    ]),
  );
}

const monthOf = (d: Date) => d.toISOString().slice(0, 7);

/** One customer's FOCUS rows, a page at a time; `onSourceRows` counts usage rows read. */
async function* customerRows(
  db: Db,
  plan: FocusExportPlan,
  c: FocusCustomerPlan,
  onSourceRows?: (n: number) => void,
): AsyncGenerator<FocusRow[]> {
  if (c.subscriptionIds?.length === 0) return;
  const ctx: FocusContext = {
    view: plan.view,
    partnerId: plan.partner.id,
    partnerName: plan.partner.name,
    customerId: c.customer.id,
    customerName: c.customer.company_name,
    billingCurrency: c.billingCurrency,
    pricingCurrency: plan.pricingCurrency,
  };
  const commitments = await commitmentsOf(db, c.customer.id);
  let after: { hour: Date; id: number } | null = null;
  for (;;) {
    let q = db
      .selectFrom('usage_records as u')
      .innerJoin('subscriptions as s', 's.id', 'u.subscription_id')
      .leftJoin('usage_benefits as b', (j) =>
        j.onRef('b.usage_id', '=', 'u.id').onRef('b.hour', '=', 'u.hour'),
      )
      .select([
        'u.id',
        'u.hour',
        'u.subscription_id',
        's.entitlement_id',
        's.friendly_name',
        'u.resource_group',
        'u.region',
        'u.meter_category',
        'u.sku',
        'u.quantity',
        'u.payg_unit_price',
        'u.resource_id',
        'b.usage_id as benefit_usage_id',
        'b.coverage',
        'b.payg_quantity',
        'b.actual_cost',
        'b.amortized_cost',
      ])
      .where('u.customer_id', '=', c.customer.id)
      .where('u.hour', '>=', plan.from)
      .where('u.hour', '<', plan.to);
    if (c.subscriptionIds) q = q.where('u.subscription_id', 'in', c.subscriptionIds);
    if (after) {
      const { hour, id } = after;
      q = q.where((eb) =>
        eb.or([eb('u.hour', '>', hour), eb.and([eb('u.hour', '=', hour), eb('u.id', '>', id)])]),
      );
    }
    const page = await q.orderBy('u.hour').orderBy('u.id').limit(CHUNK).execute();
    if (page.length === 0) break;
    const out: FocusRow[] = [];
    for (const r of page) {
      const hour = new Date(r.hour);
      const fact: UsageFact = {
        id: Number(r.id),
        hour,
        azureSubscriptionId: r.entitlement_id ?? r.subscription_id,
        subscriptionName: r.friendly_name,
        resourceGroup: r.resource_group,
        region: r.region,
        meterCategory: r.meter_category,
        sku: r.sku,
        quantity: r.quantity,
        paygUnitPrice: r.payg_unit_price,
        resourceId: r.resource_id,
        benefit:
          r.benefit_usage_id == null
            ? null
            : {
                coverage: r.coverage ?? [],
                paygQuantity: r.payg_quantity!,
                actualCost: r.actual_cost!,
                amortizedCost: r.amortized_cost!,
              },
      };
      out.push(...usageRows(ctx, fact, commitments, c.rates.get(monthOf(hour))!));
    }
    yield out;
    onSourceRows?.(page.length);
    const last = page[page.length - 1];
    after = { hour: new Date(last.hour), id: Number(last.id) };
    if (page.length < CHUNK) break;
  }
  if (plan.view !== 'partner') return;

  // A subscription's export carries the commitments billed to it.
  const inScope = [...commitments.values()].filter(
    (m) => !c.subscriptionIds || (m.subscriptionId !== null && c.subscriptionIds.includes(m.subscriptionId)),
  );
  const ids = inScope.map((m) => m.id);
  if (ids.length === 0) return;
  const days = { from: plan.from.toISOString().slice(0, 10), to: plan.to.toISOString().slice(0, 10) };
  const utilization = await db
    .selectFrom('commitment_utilization')
    .select(['commitment_id', sql<string>`day::text`.as('day'), 'capacity', 'consumed', 'unused_cost'])
    .where('customer_id', '=', c.customer.id)
    .where('commitment_id', 'in', ids)
    .where('day', '>=', days.from)
    .where('day', '<', days.to)
    .orderBy('day')
    .orderBy('commitment_id')
    .execute();
  const unused: FocusRow[] = [];
  for (const u of utilization) {
    const row = unusedRow(
      ctx,
      {
        commitmentId: u.commitment_id,
        day: u.day,
        capacity: u.capacity,
        consumed: u.consumed,
        unusedCost: u.unused_cost,
      },
      commitments.get(u.commitment_id)!,
    );
    if (row) unused.push(row);
  }
  if (unused.length) yield unused;
  const ledger = await db
    .selectFrom('ledger_entries')
    .select([
      'id',
      'commitment_id',
      'entry_type',
      sql<string>`entry_date::text`.as('entry_date'),
      'amount',
      'description',
    ])
    .where('customer_id', '=', c.customer.id)
    .where('commitment_id', 'in', ids)
    .where('entry_type', '!=', 'usage')
    .where('entry_date', '>=', days.from)
    .where('entry_date', '<', days.to)
    .orderBy('entry_date')
    .orderBy('id')
    .execute();
  const charges = ledger.map((e) =>
    ledgerRow(
      ctx,
      {
        id: Number(e.id),
        commitmentId: e.commitment_id,
        type: e.entry_type as Exclude<typeof e.entry_type, 'usage'>,
        date: e.entry_date,
        amount: e.amount,
        description: e.description,
      },
      e.commitment_id ? commitments.get(e.commitment_id) : undefined,
    ),
  );
  if (charges.length) yield charges;
}

/** Every row of the plan, customer by customer, a page at a time. */
export async function* focusRows(
  db: Db,
  plan: FocusExportPlan,
  onSourceRows?: (n: number) => void,
): AsyncGenerator<FocusRow[]> {
  for (const c of plan.customers) yield* customerRows(db, plan, c, onSourceRows);
}

const names = exportColumns.map((c) => c.name);

/** RFC 4180 field: NULL is an empty unquoted field; text is quoted only when it must be. */
function csvField(v: string | null): string {
  if (v === null) return '';
  return /[",\r\n]|^\s|\s$/.test(v) || v === '' ? `"${v.replaceAll('"', '""')}"` : v;
}

export const csvLine = (row: FocusRow) => `${names.map((n) => csvField(row[n] ?? null)).join(',')}\r\n`;

/** The CSV as text chunks: the header, then one chunk per page of rows. */
export async function* focusCsv(
  db: Db,
  plan: FocusExportPlan,
  onSourceRows?: (n: number) => void,
): AsyncGenerator<string> {
  yield `${names.join(',')}\r\n`;
  for await (const rows of focusRows(db, plan, onSourceRows)) {
    let text = '';
    for (const row of rows) text += csvLine(row);
    yield text;
  }
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
const quoteText = (text: string) => `'${text.replaceAll("'", "''")}'`;

/**
 * CSV → Parquet with DuckDB: read as text (every column named and typed VARCHAR, no sniffing,
 * empty unquoted field = NULL), cast each column to its published type (DECIMAL(38,10),
 * TIMESTAMPTZ, VARCHAR) and COPY to the file.
 */
export async function csvToParquet(csvPath: string, parquetPath: string): Promise<void> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(`SET TimeZone = 'UTC'`);
    const columns = exportColumns.map((c) => `${quoteText(c.name)}: 'VARCHAR'`).join(', ');
    const select = exportColumns
      .map((c) => `CAST(${quoteIdent(c.name)} AS ${parquetTypeOf(c.type)}) AS ${quoteIdent(c.name)}`)
      .join(', ');
    await connection.run(
      `COPY (SELECT ${select} FROM read_csv(${quoteText(csvPath)}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', nullstr = '', allow_quoted_nulls = false, columns = {${columns}})) TO ${quoteText(parquetPath)} (FORMAT parquet, COMPRESSION zstd)`,
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Writes the export to a file (CSV, or Parquet through a temporary CSV that is removed after). */
export async function writeFocusFile(
  db: Db,
  plan: FocusExportPlan,
  format: FocusFormat,
  file: string,
  onSourceRows?: (n: number) => void,
): Promise<{ bytes: number }> {
  if (format === 'csv') {
    await pipeline(Readable.from(focusCsv(db, plan, onSourceRows)), createWriteStream(file));
    return { bytes: (await stat(file)).size };
  }
  const csv = join(tmpdir(), `mitra-focus-${randomUUID()}.csv`);
  try {
    await pipeline(Readable.from(focusCsv(db, plan, onSourceRows)), createWriteStream(csv));
    await csvToParquet(csv, file);
  } finally {
    await rm(csv, { force: true });
  }
  return { bytes: (await stat(file)).size };
}

/**
 * The export as a stream for an HTTP answer. CSV flows as it is read; Parquet is built in a
 * temporary file first (its footer comes last) and streamed from there, then removed.
 */
export async function focusExportStream(
  db: Db,
  plan: FocusExportPlan,
  format: FocusFormat,
): Promise<Readable> {
  if (format === 'csv') return Readable.from(focusCsv(db, plan));
  const file = join(tmpdir(), `mitra-focus-${randomUUID()}.parquet`);
  try {
    await writeFocusFile(db, plan, 'parquet', file);
  } catch (error) {
    await rm(file, { force: true });
    throw error;
  }
  const stream = createReadStream(file);
  stream.on('close', () => void rm(file, { force: true }));
  return stream;
}

/** The file name a download suggests: `focus-<who>-<from>-<to>.<ext>`. */
export function focusFileName(plan: FocusExportPlan, format: FocusFormat): string {
  const who = plan.customers.length === 1 ? plan.customers[0].customer.domain : plan.partner.name;
  const slug =
    who
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'export';
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return `focus-${plan.view}-${slug}-${day(plan.from)}-${day(plan.to)}.${format}`;
}
