import { createReadStream, existsSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { PriceSheetImported } from '../api/cli/schemas.ts';
import { importPartnerPriceSheet } from '../services/operator-prices.ts';
import type { Config } from './config.ts';
import { runAgainstDatabaseOrServer } from './database-or-server.ts';

const usageLine = 'usage: mitra prices import FILE.csv [--partner DOMAIN|ID]';

/**
 * `mitra prices import FILE.csv`: the partner's own cost from Partner Center's price sheet, all
 * or nothing. Beside the embedded server, through it.
 */
export async function pricesCommand(config: Config, args: string[]): Promise<number> {
  if (args[0] !== 'import') {
    console.error(usageLine);
    return 2;
  }
  const { values, positionals } = parseArgs({
    args: args.slice(1),
    options: { partner: { type: 'string' } },
    allowPositionals: true,
  });
  const file = positionals[0];
  if (!file || positionals.length > 1) {
    console.error(usageLine);
    return 2;
  }
  if (!existsSync(file)) {
    console.error(`There is no file ${file}; check the path and run this again.`);
    return 2;
  }
  const query = new URLSearchParams({
    file: basename(file),
    ...(values.partner ? { partner: values.partner } : {}),
  });
  const result = await runAgainstDatabaseOrServer(config, 'prices import', {
    direct: (db, call) =>
      importPartnerPriceSheet(db, call, values.partner, createReadStream(file), basename(file)),
    viaServer: (server) => server.upload(`/api/cli/prices/import?${query}`, file, PriceSheetImported),
  });
  console.log(
    `Imported ${result.imported} cost rows for ${result.partnerName}${result.currency ? ` in ${result.currency}` : ''}` +
      `${result.effectiveStarts.length ? `, effective from ${result.effectiveStarts.join(', ')}` : ''}; ` +
      `skipped ${result.skipped} rows (products Mitra does not sell, volume tiers above the first, annual licence rows).`,
  );
  return 0;
}
