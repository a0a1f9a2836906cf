import Big from 'big.js';
import { sql } from 'kysely';
import { MitraError } from '../domain/errors.ts';
import type { ConversionRate } from '../domain/invoices.ts';
import { readCsv } from '../engine/csv.ts';
import type { Db } from '../store/db.ts';
import { writeAudit } from './audit-log.ts';
import type { Call } from './call.ts';

/**
 * Exchange rates: imported from a CSV (docs/rates-csv.md) and looked up per day. A converted
 * amount always names the rate it used and that rate's day, so an invoice can be checked by hand.
 */
export const rateCsvColumns = ['date', 'base', 'quote', 'rate'] as const;

const bad = (line: number, column: string, problem: string) =>
  new MitraError(
    'invalid',
    'invalid-rate-row',
    `Line ${line}, column ${column}: ${problem}. Nothing was imported; fix the file and import it again.`,
    undefined,
    { line, column },
  );

const currencyCode = /^[A-Z]{3}$/;

/**
 * Imports rates, all or nothing; a rate already stored for the same day, pair and scope is
 * replaced. The operator's rates (CLI, demo) are 'global'; a partner's own serve only it.
 */
export async function importRatesCsv(
  db: Db,
  source: AsyncIterable<string | Buffer> | string,
  options: {
    source: string;
    scope: 'global' | { partnerId: string };
    /** Whose activity logs record the import: the partner's (its own rates), or every partner's. */
    recordFor?: (partnerId: string) => Call;
  },
) {
  const defaultSource = options.source;
  const scope = options.scope === 'global' ? 'global' : options.scope.partnerId;
  const chunks = (typeof source === 'string' ? [source] : source) as AsyncIterable<string | Buffer>;
  const rows: {
    scope: string;
    base_currency: string;
    quote_currency: string;
    rate_date: string;
    rate: string;
    source: string;
  }[] = [];
  let index: Record<string, number> | undefined;
  for await (const { line, cells } of readCsv(chunks)) {
    if (!index) {
      const header = cells.map((h) => h.trim().toLowerCase());
      index = Object.fromEntries([...rateCsvColumns, 'source'].map((c) => [c, header.indexOf(c)]));
      const missing = rateCsvColumns.filter((c) => index![c] < 0);
      if (missing.length) throw bad(line, missing[0], `the header lacks ${missing.join(', ')}`);
      continue;
    }
    if (cells.length === 1 && cells[0].trim() === '') continue;
    const cell = (c: string) => (cells[index![c]] ?? '').trim();
    const date = cell('date');
    if (
      !/^\d{4}-\d{2}-\d{2}$/.test(date) ||
      new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date
    )
      throw bad(line, 'date', `"${date}" is not a day like 2026-11-30`);
    const base = cell('base').toUpperCase();
    const quote = cell('quote').toUpperCase();
    if (!currencyCode.test(base)) throw bad(line, 'base', `"${base}" is not an ISO 4217 currency code`);
    if (!currencyCode.test(quote)) throw bad(line, 'quote', `"${quote}" is not an ISO 4217 currency code`);
    if (base === quote) throw bad(line, 'quote', 'base and quote are the same currency');
    let rate: Big;
    try {
      rate = new Big(cell('rate'));
    } catch {
      throw bad(line, 'rate', `"${cell('rate')}" is not a number`);
    }
    if (rate.lte(0)) throw bad(line, 'rate', 'a rate is above 0');
    rows.push({
      scope,
      base_currency: base,
      quote_currency: quote,
      rate_date: date,
      rate: rate.toFixed(10),
      source: (index.source >= 0 && cell('source')) || defaultSource,
    });
  }
  if (!index) throw bad(1, 'header', 'the file is empty');
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += 500) {
      await trx
        .insertInto('exchange_rates')
        .values(rows.slice(i, i + 500))
        .onConflict((oc) =>
          oc.columns(['scope', 'base_currency', 'quote_currency', 'rate_date']).doUpdateSet((eb) => ({
            rate: eb.ref('excluded.rate'),
            source: eb.ref('excluded.source'),
          })),
        )
        .execute();
    }
    if (options.recordFor) {
      // Global rates price every partner's invoices, so every partner's log says they changed.
      const partners =
        options.scope === 'global'
          ? (await trx.selectFrom('partners').select('id').execute()).map((p) => p.id)
          : [options.scope.partnerId];
      const days = rows.map((r) => r.rate_date).sort();
      for (const partnerId of partners) {
        await writeAudit(trx, options.recordFor(partnerId), {
          partnerId,
          resourceType: 'exchange_rate',
          operationType: 'import_exchange_rates',
          newValue: { scope, rates: rows.length, from: days[0] ?? null, to: days.at(-1) ?? null },
        });
      }
    }
  });
  return { rates: rows.length };
}

/**
 * The latest rate from `base` to `quote` dated on or before `day`, the partner's own before the
 * operator's on the same day; null when none is stored.
 */
export async function rateOnOrBefore(
  db: Db,
  partnerId: string,
  base: string,
  quote: string,
  day: string,
): Promise<ConversionRate | null> {
  const row = await db
    .selectFrom('exchange_rates')
    .select(['rate', 'rate_date'])
    .where('scope', 'in', [partnerId, 'global'])
    .where('base_currency', '=', base)
    .where('quote_currency', '=', quote)
    .where('rate_date', '<=', day)
    .orderBy('rate_date', 'desc')
    .orderBy(sql`scope = 'global'`)
    .limit(1)
    .executeTakeFirst();
  return row ? { base, quote, rate: row.rate, date: row.rate_date } : null;
}

export const rateMissing = (base: string, quote: string, day: string) =>
  new MitraError(
    'conflict',
    'exchange-rate-missing',
    `No ${base}→${quote} exchange rate is stored for ${day} or before; import one (mitra rates import FILE.csv, see docs/rates-csv.md) and try again.`,
  );
