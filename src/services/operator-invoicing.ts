import { invalid, notFound } from '../domain/errors.ts';
import { isUuid } from '../domain/ids.ts';
import { authorizeOperator, type OperatorCall } from '../domain/operator.ts';
import type { Db } from '../store/db.ts';
import { importRatesCsv } from './exchange-rates.ts';
import { closeMonth, parseInvoiceMonth } from './invoices.ts';
import { systemCallFor } from './operator-usage.ts';

/**
 * `mitra invoices issue --month YYYY-MM [--partner ID]`, through the server or on the database:
 * closes the month for every partner (or one) as the month-close job does, each partner's close
 * recorded in its own activity log. Closing twice is harmless.
 */
export async function issueInvoices(db: Db, call: OperatorCall, month: string, partnerId?: string) {
  authorizeOperator(call);
  parseInvoiceMonth(month);
  if (partnerId !== undefined && !isUuid(partnerId))
    throw invalid('invalid-partner-id', `${partnerId} is not a partner tenant id (a GUID).`);
  let q = db.selectFrom('partners').select(['id', 'name']).orderBy('name');
  if (partnerId) q = q.where('id', '=', partnerId.toLowerCase());
  const partners = await q.execute();
  if (partners.length === 0)
    throw notFound(
      'partner-not-found',
      partnerId ? `No partner ${partnerId}.` : 'No partners in the database.',
    );
  const closed = [];
  for (const p of partners) {
    const result = await closeMonth(db, systemCallFor(call, p.id), month);
    closed.push({
      partnerId: p.id,
      partnerName: p.name,
      alreadyClosed: result.alreadyClosed,
      invoices: result.invoices.map((i) => i.number),
    });
  }
  return closed;
}

/** `mitra rates import FILE.csv`: the operator's (global) exchange rates, all or nothing. */
export async function importExchangeRates(
  db: Db,
  call: OperatorCall,
  source: AsyncIterable<string | Buffer> | string,
  file?: string,
) {
  authorizeOperator(call);
  return importRatesCsv(db, source, {
    source: file ? `file ${file}` : 'mitra rates import',
    scope: 'global',
    recordFor: (partnerId) => systemCallFor(call, partnerId),
  });
}
