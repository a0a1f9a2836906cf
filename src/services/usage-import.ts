import Big from 'big.js';
import { MitraError } from '../domain/errors.ts';
import { isUuid } from '../domain/ids.ts';
import type { Db } from '../store/db.ts';

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
] as const;

function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

const bad = (line: number, column: string, problem: string) =>
  new MitraError(
    'invalid',
    'invalid-usage-row',
    `Line ${line}, column ${column}: ${problem}. Nothing was imported; fix the file and import it again.`,
    800002,
    { line, column },
  );

function decimal(value: string, line: number, column: string, optional = false): string | null {
  if (value === '' && optional) return null;
  try {
    const d = new Big(value);
    if (d.lt(0)) throw new Error('negative');
    return d.toFixed(6);
  } catch {
    throw bad(line, column, `"${value}" is not a non-negative number`);
  }
}

/**
 * Imports usage rows, all or nothing: every row is checked (known customer, a subscription of that
 * customer, a whole UTC hour, numbers) before one transaction writes them. Returns what to re-run.
 */
export async function importUsageCsv(db: Db, text: string, options: { partnerId?: string } = {}) {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) throw bad(1, 'header', 'the file is empty');
  const header = splitCsvLine(lines[0]).map((h) => h.trim());
  const index = Object.fromEntries(usageCsvColumns.map((c) => [c, header.indexOf(c)]));
  const missing = usageCsvColumns.filter(
    (c) =>
      index[c] < 0 &&
      ![
        'spUnitPriceP1Y',
        'spUnitPriceP3Y',
        'benefitEligible',
        'reservedResourceType',
        'meterCategory',
      ].includes(c),
  );
  if (missing.length) throw bad(1, missing[0], `the header lacks ${missing.join(', ')}`);
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
  const rows = lines.slice(1).map((raw, i) => {
    const line = i + 2;
    const f = splitCsvLine(raw);
    const get = (c: (typeof usageCsvColumns)[number]) => (index[c] >= 0 ? (f[index[c]] ?? '').trim() : '');
    const customerId = get('customerId').toLowerCase();
    if (!isUuid(customerId)) throw bad(line, 'customerId', 'not a customer tenant id');
    const sub = byAzure.get(`${customerId}|${get('subscriptionId').toLowerCase()}`);
    if (!sub) throw bad(line, 'subscriptionId', 'not an Azure subscription of that customer');
    const hour = new Date(get('hour'));
    if (Number.isNaN(hour.getTime()) || hour.getTime() % 3_600_000 !== 0)
      throw bad(line, 'hour', 'must be a whole UTC hour such as 2026-11-01T10:00:00Z');
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
    };
  });
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += 1000)
      await trx
        .insertInto('usage_records')
        .values(rows.slice(i, i + 1000))
        .execute();
  });
  const affected = new Map<string, { from: Date; to: Date }>();
  for (const r of rows) {
    const a = affected.get(r.customer_id) ?? { from: r.hour, to: r.hour };
    if (r.hour < a.from) a.from = r.hour;
    if (r.hour > a.to) a.to = r.hour;
    affected.set(r.customer_id, a);
  }
  return {
    rows: rows.length,
    customers: [...affected].map(([customerId, a]) => ({
      customerId,
      from: a.from,
      to: new Date(a.to.getTime() + 3_600_000),
    })),
  };
}
