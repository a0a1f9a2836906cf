import { notFound } from '../domain/errors.ts';
import { isUuid } from '../domain/ids.ts';
import { authorizeOperator, type OperatorCall } from '../domain/operator.ts';
import type { Db } from '../store/db.ts';
import { systemCallFor } from './operator-usage.ts';
import { importPriceSheet } from './price-sheet-import.ts';

/**
 * `mitra prices import FILE.csv [--partner DOMAIN|ID]`, through the server or on the database:
 * a partner's own cost from Partner Center's price sheet, recorded in that partner's activity log.
 * The partner is named by domain or id, or is the only one in the database.
 */
export async function importPartnerPriceSheet(
  db: Db,
  call: OperatorCall,
  named: string | undefined,
  source: AsyncIterable<string | Buffer> | string,
  file = 'price sheet',
) {
  authorizeOperator(call);
  const partners = await db
    .selectFrom('partners')
    .select(['id', 'domain', 'name'])
    .orderBy('domain')
    .execute();
  const here = partners.map((p) => p.domain).join(', ') || 'none';
  const key = named?.toLowerCase();
  const partner = key
    ? partners.find((p) => p.domain === key || (isUuid(key) && p.id === key))
    : partners.length === 1
      ? partners[0]
      : undefined;
  if (!partner)
    throw notFound(
      'partner-not-found',
      named
        ? `No partner ${named}; partners here: ${here}.`
        : `Name the partner whose price sheet this is with --partner; partners here: ${here}.`,
    );
  const result = await importPriceSheet(db, partner.id, source, systemCallFor(call, partner.id), file);
  return { partnerName: partner.name, ...result };
}
