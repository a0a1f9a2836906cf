import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { MitraError } from '../domain/errors.ts';
import { isUuid } from '../domain/ids.ts';
import { importPriceSheet } from '../services/price-sheet-import.ts';
import type { Db } from '../store/db.ts';

const usageLine = 'usage: mitra prices import FILE.csv [--partner DOMAIN|ID]';

/** A problem the person at the terminal fixes: printed as it is, with the exit code it deserves. */
class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** The partner a price sheet is for: named by domain or id, or the only one in the database. */
async function partnerOf(db: Db, named: string | undefined) {
  const partners = await db
    .selectFrom('partners')
    .select(['id', 'domain', 'name'])
    .orderBy('domain')
    .execute();
  if (named) {
    const key = named.toLowerCase();
    const found = partners.find((p) => p.domain === key || (isUuid(key) && p.id === key));
    if (!found)
      throw new CommandError(
        `No partner ${named}; partners here: ${partners.map((p) => p.domain).join(', ') || 'none'}.`,
        1,
      );
    return found;
  }
  if (partners.length === 1) return partners[0];
  throw new CommandError(
    `Name the partner whose price sheet this is with --partner; partners here: ${partners.map((p) => p.domain).join(', ') || 'none'}.`,
    2,
  );
}

/** `mitra prices import FILE.csv`: the partner's own cost from Partner Center's price sheet, all or nothing. */
export async function pricesCommand(db: Db, args: string[]): Promise<number> {
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
  try {
    const partner = await partnerOf(db, values.partner);
    const call = { actor: { kind: 'system' as const, partnerId: partner.id }, correlationId: randomUUID() };
    const result = await importPriceSheet(db, partner.id, createReadStream(file), call, basename(file));
    console.log(
      `Imported ${result.imported} cost rows for ${partner.name}${result.currency ? ` in ${result.currency}` : ''}` +
        `${result.effectiveStarts.length ? `, effective from ${result.effectiveStarts.join(', ')}` : ''}; ` +
        `skipped ${result.skipped} rows (products Mitra does not sell, volume tiers above the first, annual licence rows).`,
    );
    return 0;
  } catch (error) {
    if (error instanceof CommandError) {
      console.error(error.message);
      return error.exitCode;
    }
    if (error instanceof MitraError || (error as NodeJS.ErrnoException).code === 'ENOENT') {
      console.error((error as Error).message);
      return 1;
    }
    throw error;
  }
}
