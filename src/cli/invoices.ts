import { createReadStream, existsSync } from 'node:fs';
import { basename } from 'node:path';
import { InvoicesIssued, RatesImported } from '../api/cli/schemas.ts';
import { importExchangeRates, issueInvoices } from '../services/operator-invoicing.ts';
import type { Config } from './config.ts';
import { runAgainstDatabaseOrServer } from './database-or-server.ts';

/**
 * `mitra invoices issue --month YYYY-MM [--partner ID]`: closes the month for every partner (or
 * one) and issues its invoices, as Mitra's own month-close job does. Closing twice is harmless.
 * Beside the embedded server, through it.
 */
export async function invoicesCommand(config: Config, args: string[]): Promise<number> {
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
  const closed: InvoicesIssued['items'] = await runAgainstDatabaseOrServer(config, 'invoices issue', {
    direct: (db, call) => issueInvoices(db, call, month, partnerId),
    viaServer: async (server) =>
      (await server.post('/api/cli/invoices/issue', { month, partnerId }, InvoicesIssued)).items,
  });
  for (const p of closed) {
    const numbers = p.invoices;
    console.log(
      `${p.partnerName}: ${month} ${p.alreadyClosed ? 'was already closed' : 'closed'}; ${numbers.length} invoice(s)${numbers.length ? ` ${numbers[0]}…${numbers.at(-1)}` : ''}`,
    );
  }
  return 0;
}

/** `mitra rates import FILE.csv`: exchange rates (date,base,quote,rate[,source]), all or nothing. */
export async function ratesCommand(config: Config, args: string[]): Promise<number> {
  const [sub, file] = args;
  if (sub !== 'import' || !file) {
    console.error(
      'usage: mitra rates import FILE.csv   (columns: date,base,quote,rate[,source]; docs/rates-csv.md)',
    );
    return 2;
  }
  if (!existsSync(file)) {
    console.error(`There is no file ${file}; check the path and run this again.`);
    return 2;
  }
  const { rates } = await runAgainstDatabaseOrServer(config, 'rates import', {
    direct: (db, call) => importExchangeRates(db, call, createReadStream(file), file),
    viaServer: (server) =>
      server.upload(`/api/cli/rates/import?file=${encodeURIComponent(basename(file))}`, file, RatesImported),
  });
  console.log(`Imported ${rates} exchange rate(s) from ${file}.`);
  return 0;
}
