import { createReadStream } from 'node:fs';
import { importRatesCsv } from '../services/exchange-rates.ts';
import { closeMonth } from '../services/invoices.ts';
import type { Db } from '../store/db.ts';

/**
 * `mitra invoices issue --month YYYY-MM [--partner ID]`: closes the month for every partner (or
 * one) and issues its invoices, as Mitra's own month-close job does. Closing twice is harmless.
 */
export async function invoicesCommand(db: Db, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const flag = (name: string) => {
    const i = rest.indexOf(name);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  const month = flag('--month');
  if (sub !== 'issue' || !month) {
    console.error('usage: mitra invoices issue --month YYYY-MM [--partner PARTNER_ID]');
    return 2;
  }
  const partnerId = flag('--partner');
  let q = db.selectFrom('partners').select(['id', 'name']).orderBy('name');
  if (partnerId) q = q.where('id', '=', partnerId);
  const partners = await q.execute();
  if (partners.length === 0) {
    console.error(partnerId ? `No partner ${partnerId}.` : 'No partners in the database.');
    return 2;
  }
  for (const p of partners) {
    const result = await closeMonth(
      db,
      { actor: { kind: 'system', partnerId: p.id }, correlationId: crypto.randomUUID() },
      month,
    );
    const numbers = result.invoices.map((i) => i.number);
    console.log(
      `${p.name}: ${month} ${result.alreadyClosed ? 'was already closed' : 'closed'}; ${numbers.length} invoice(s)${numbers.length ? ` ${numbers[0]}…${numbers.at(-1)}` : ''}`,
    );
  }
  return 0;
}

/** `mitra rates import FILE.csv`: exchange rates (date,base,quote,rate[,source]), all or nothing. */
export async function ratesCommand(db: Db, args: string[]): Promise<number> {
  const [sub, file] = args;
  if (sub !== 'import' || !file) {
    console.error(
      'usage: mitra rates import FILE.csv   (columns: date,base,quote,rate[,source]; docs/rates-csv.md)',
    );
    return 2;
  }
  const { rates } = await importRatesCsv(db, createReadStream(file), {
    source: `file ${file}`,
    scope: 'global',
  });
  console.log(`Imported ${rates} exchange rate(s) from ${file}.`);
  return 0;
}
