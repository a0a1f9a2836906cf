import { createHash } from 'node:crypto';
import Big from 'big.js';
import { sql } from 'kysely';
import { billLineType, dayOf } from '../domain/billing.ts';
import { conflict, invalid, notFound } from '../domain/errors.ts';
import {
  creditNoteFigures,
  documentNumber,
  type InvoiceFigures,
  invoiceFigures,
  type LedgerSourceLine,
  lastDayOf,
} from '../domain/invoices.ts';
import { minorUnits } from '../domain/money.ts';
import type { Db } from '../store/db.ts';
import type { Customer, InvoiceBillTo, InvoiceKind } from '../store/schema.ts';
import { writeAudit } from './audit-log.ts';
import { type Call, inTransaction, nowOf } from './call.ts';
import { findOwnCustomer } from './customers.ts';
import { rateMissing, rateOnOrBefore } from './exchange-rates.ts';
import { authorizeInvoiceRead, authorizeInvoicing } from './invoice-access.ts';
import { usageChargesOf, usageDescription, writeUsageCharges } from './usage-charges.ts';
import { ledgerCurrencyOf } from './usage-pricing.ts';

/**
 * Customer invoices (B10). A month's invoice is a draft until the month closes: computed from the
 * ledger (and, for usage, what closing would write) each time it is read, known by a stable id.
 * Closing a month — by itself some days after it ends, or earlier by an Admin agent — writes the
 * usage charges, numbers every customer's invoice from the partner's gap-free sequence and stores
 * each as issued; issued invoices never change (a trigger refuses it); corrections are credit notes.
 */

const monthPattern = /^\d{4}-(0[1-9]|1[0-2])$/;

export function parseInvoiceMonth(month: string): string {
  if (!monthPattern.test(month))
    throw invalid('invalid-month', 'The month must look like 2026-11 (four-digit year, two-digit month).');
  return month;
}

/** A draft's id: stable for a customer and month, and kept by the invoice once issued. */
export function draftInvoiceId(customerId: string, month: string): string {
  const h = createHash('sha256').update(`invoice|${customerId}|${month}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function billToOf(c: Customer): InvoiceBillTo {
  return {
    companyName: c.company_name,
    address: [
      c.address_line1,
      [c.postal_code, c.city].filter(Boolean).join(' '),
      [c.state, c.country].filter(Boolean).join(', '),
    ].filter(Boolean),
    email: c.email,
    country: c.country,
    language: c.language,
  };
}

/** The lines a month's invoice is made of: its ledger entries, and its usage until the month closes. */
async function sourceLines(db: Db, customer: Customer, month: string, closed: boolean) {
  const rows = await db
    .selectFrom('ledger_entries')
    .select([
      'id',
      'entry_date',
      'entry_type',
      'description',
      'commitment_id',
      'subscription_id',
      'amount',
      'currency',
    ])
    .where('customer_id', '=', customer.id)
    .where('billing_month', '=', `${month}-01`)
    .orderBy('entry_date')
    .orderBy('id')
    .execute();
  const lines: LedgerSourceLine[] = rows.map((r) => ({
    ledgerEntryId: r.id,
    date: r.entry_date,
    type: billLineType(r.entry_type),
    description: r.description,
    commitmentId: r.commitment_id,
    subscriptionId: r.subscription_id,
    amount: r.amount,
    currency: r.currency,
  }));
  if (!closed) {
    const currency = await ledgerCurrencyOf(db, customer);
    for (const u of await usageChargesOf(db, customer, month)) {
      if (new Big(u.amount).eq(0)) continue;
      lines.push({
        ledgerEntryId: null,
        date: lastDayOf(month),
        type: 'usage',
        description: usageDescription(u, month),
        commitmentId: null,
        subscriptionId: u.subscriptionId,
        amount: u.amount,
        currency,
      });
    }
  }
  return lines;
}

/** Figures of a customer's invoice for a month, in its billing currency at the month-end rate. */
async function figuresOf(db: Db, customer: Customer, month: string, source: LedgerSourceLine[]) {
  const ledgerCurrency = source[0]?.currency ?? (await ledgerCurrencyOf(db, customer));
  const currency = customer.currency;
  let rate = null;
  if (currency !== ledgerCurrency) {
    rate = await rateOnOrBefore(db, customer.partner_id, ledgerCurrency, currency, lastDayOf(month));
    if (!rate) throw rateMissing(ledgerCurrency, currency, lastDayOf(month));
  }
  return {
    ledgerCurrency,
    currency,
    rate,
    figures: invoiceFigures(source, currency, customer.tax_rate, rate),
  };
}

async function isClosed(db: Db, partnerId: string, month: string) {
  return Boolean(
    await db
      .selectFrom('billing_periods')
      .select('month')
      .where('partner_id', '=', partnerId)
      .where('month', '=', `${month}-01`)
      .executeTakeFirst(),
  );
}

const issuedRows = (db: Db, customerId: string) =>
  db.selectFrom('invoices').selectAll().where('customer_id', '=', customerId).orderBy('sequence');

type IssuedRow = Awaited<ReturnType<ReturnType<typeof issuedRows>['execute']>>[number];

function issuedView(row: IssuedRow, all: IssuedRow[]) {
  const creditNote = all.find((r) => r.kind === 'credit_note' && r.corrects === row.id);
  return {
    id: row.id,
    kind: row.kind,
    number: row.number,
    month: row.month.slice(0, 7),
    status: creditNote ? ('credited' as const) : ('issued' as const),
    issuedAt: new Date(row.issued_at).toISOString(),
    issuedBy: row.issued_by as string | null,
    currency: row.currency,
    ledgerCurrency: row.ledger_currency,
    exchangeRate: row.fx_rate
      ? { base: row.ledger_currency, quote: row.currency, rate: row.fx_rate, date: row.fx_rate_date ?? '' }
      : null,
    taxName: row.tax_name,
    taxRate: new Big(row.tax_rate).toString(),
    subtotal: atPrecision(row.subtotal, row.currency),
    tax: atPrecision(row.tax, row.currency),
    total: atPrecision(row.total, row.currency),
    lines: row.lines,
    billTo: row.bill_to,
    corrects: row.corrects,
    creditedBy: creditNote?.id ?? null,
    reason: row.reason,
  };
}

/** Stored figures (numeric(20, 6)) back at the currency's precision: "1234.560000" → "1234.56". */
const atPrecision = (v: string, currency: string) => new Big(v).toFixed(minorUnits(currency));

export type InvoiceView = ReturnType<typeof issuedView> | Awaited<ReturnType<typeof draftView>>;

async function draftView(db: Db, customer: Customer, month: string) {
  const source = await sourceLines(db, customer, month, false);
  const { ledgerCurrency, currency, rate, figures } = await figuresOf(db, customer, month, source);
  return {
    id: draftInvoiceId(customer.id, month),
    kind: 'invoice' as InvoiceKind,
    number: null,
    month,
    status: 'draft' as const,
    issuedAt: null,
    issuedBy: null,
    currency,
    ledgerCurrency,
    exchangeRate: rate,
    taxName: customer.tax_name,
    taxRate: new Big(customer.tax_rate).toString(),
    subtotal: figures.subtotal,
    tax: figures.tax,
    total: figures.total,
    lines: figures.lines,
    billTo: billToOf(customer),
    corrects: null,
    creditedBy: null,
    reason: null,
  };
}

/** Months a customer has a draft for: open months up to the current one with charges or usage. */
async function draftMonths(db: Db, customer: Customer, now: Date) {
  const current = dayOf(now).slice(0, 7);
  const ledger = await db
    .selectFrom('ledger_entries')
    .select('billing_month')
    .distinct()
    .where('customer_id', '=', customer.id)
    .execute();
  const usage = await db
    .selectFrom('usage_records')
    .select(sql<string>`to_char(hour at time zone 'UTC', 'YYYY-MM')`.as('m'))
    .distinct()
    .where('customer_id', '=', customer.id)
    .execute();
  const closed = new Set(
    (
      await db
        .selectFrom('billing_periods')
        .select('month')
        .where('partner_id', '=', customer.partner_id)
        .execute()
    ).map((r) => r.month.slice(0, 7)),
  );
  const months = new Set([...ledger.map((r) => r.billing_month.slice(0, 7)), ...usage.map((r) => r.m)]);
  return [...months].filter((m) => m <= current && !closed.has(m)).sort();
}

export async function listInvoices(db: Db, call: Call, customerId: string) {
  authorizeInvoiceRead(call);
  const customer = await findOwnCustomer(db, call.actor, customerId);
  const issued = await issuedRows(db, customer.id).execute();
  const drafts = [];
  for (const month of await draftMonths(db, customer, nowOf(call))) {
    const d = await draftView(db, customer, month).catch((error) => {
      // A draft that cannot be priced yet (no exchange rate) is still listed, without figures.
      if ((error as { code?: string }).code === 'exchange-rate-missing')
        return { id: draftInvoiceId(customer.id, month), month, total: null, currency: customer.currency };
      throw error;
    });
    drafts.push({
      id: d.id,
      kind: 'invoice' as const,
      number: null,
      month,
      status: 'draft' as const,
      total: d.total,
      currency: d.currency,
    });
  }
  const items = [
    ...issued.map((r) => {
      const v = issuedView(r, issued);
      return {
        id: v.id,
        kind: v.kind,
        number: v.number,
        month: v.month,
        status: v.status,
        total: v.total,
        currency: v.currency,
      };
    }),
    ...drafts,
  ];
  return {
    items: items.sort(
      (a, b) => b.month.localeCompare(a.month) || (a.number ?? '~').localeCompare(b.number ?? '~'),
    ),
  };
}

export async function getInvoice(db: Db, call: Call, customerId: string, invoiceId: string) {
  authorizeInvoiceRead(call);
  const customer = await findOwnCustomer(db, call.actor, customerId);
  const issued = await issuedRows(db, customer.id).execute();
  const row = issued.find((r) => r.id === invoiceId.toLowerCase());
  if (row) return { customer, invoice: issuedView(row, issued) };
  for (const month of await draftMonths(db, customer, nowOf(call))) {
    if (draftInvoiceId(customer.id, month) === invoiceId.toLowerCase())
      return { customer, invoice: await draftView(db, customer, month) };
  }
  throw notFound(
    'invoice-not-found',
    `No invoice ${invoiceId} exists for this customer; list its invoices first.`,
  );
}

/** Takes the next number of a partner's sequence; the row lock makes concurrent issuers queue. */
async function lockSequence(trx: Db, partnerId: string, kind: InvoiceKind) {
  await trx
    .insertInto('invoice_sequences')
    .values({ partner_id: partnerId, kind, last_number: 0 })
    .onConflict((oc) => oc.columns(['partner_id', 'kind']).doNothing())
    .execute();
  const row = await trx
    .selectFrom('invoice_sequences')
    .select('last_number')
    .where('partner_id', '=', partnerId)
    .where('kind', '=', kind)
    .forUpdate()
    .executeTakeFirstOrThrow();
  let last = row.last_number;
  return {
    next: () => ++last,
    save: () =>
      trx
        .updateTable('invoice_sequences')
        .set({ last_number: last })
        .where('partner_id', '=', partnerId)
        .where('kind', '=', kind)
        .execute(),
  };
}

const issuer = (call: Call) =>
  call.actor.kind === 'partner_user' || call.actor.kind === 'customer_user'
    ? call.actor.email
    : call.actor.kind === 'application'
      ? call.actor.applicationId
      : 'mitra (month close)';

async function storeDocument(
  trx: Db,
  call: Call,
  customer: Customer,
  doc: {
    id: string;
    kind: InvoiceKind;
    month: string;
    sequence: number;
    ledgerCurrency: string;
    currency: string;
    rate: { rate: string; date: string } | null;
    taxName: string;
    taxRate: string;
    figures: InvoiceFigures;
    billTo: InvoiceBillTo;
    corrects: string | null;
    reason: string | null;
    at: Date;
  },
) {
  const number = documentNumber(doc.kind, doc.sequence);
  await trx
    .insertInto('invoices')
    .values({
      id: doc.id,
      partner_id: customer.partner_id,
      customer_id: customer.id,
      kind: doc.kind,
      month: `${doc.month}-01`,
      sequence: doc.sequence,
      number,
      issued_at: doc.at,
      issued_by: issuer(call),
      currency: doc.currency,
      ledger_currency: doc.ledgerCurrency,
      fx_rate: doc.rate?.rate ?? null,
      fx_rate_date: doc.rate?.date ?? null,
      tax_name: doc.taxName,
      tax_rate: doc.taxRate,
      subtotal: doc.figures.subtotal,
      tax: doc.figures.tax,
      total: doc.figures.total,
      lines: JSON.stringify(doc.figures.lines),
      bill_to: JSON.stringify(doc.billTo),
      corrects: doc.corrects,
      reason: doc.reason,
    })
    .execute();
  await writeAudit(trx, call, {
    partnerId: customer.partner_id,
    customer: { id: customer.id, name: customer.company_name },
    resourceType: 'invoice',
    operationType: doc.kind === 'invoice' ? 'issue_invoice' : 'issue_credit_note',
    newValue: {
      id: doc.id,
      number,
      month: doc.month,
      total: doc.figures.total,
      currency: doc.currency,
      ...(doc.corrects ? { corrects: doc.corrects } : {}),
    },
    details: { number },
  });
  return number;
}

/**
 * Closes a partner's month: usage charges written, every customer with charges invoiced and
 * numbered, the month marked closed — one transaction, so a failure (a missing exchange rate)
 * leaves nothing half-issued. Closing a closed month answers what it issued, unchanged.
 */
export async function closeMonth(db: Db, call: Call, month: string) {
  await authorizeInvoicing(call, { db, what: { month } });
  parseInvoiceMonth(month);
  const now = nowOf(call);
  if (month >= dayOf(now).slice(0, 7)) {
    throw conflict(
      'billing-month-not-ended',
      `${month} has not ended yet; a month can be closed and invoiced from the day after its last day.`,
    );
  }
  const partnerId = call.actor.partnerId;
  return inTransaction(db, async (trx) => {
    const sequence = await lockSequence(trx, partnerId, 'invoice');
    const alreadyClosed = await isClosed(trx, partnerId, month);
    if (!alreadyClosed) {
      const customers = await trx
        .selectFrom('customers')
        .selectAll()
        .where('partner_id', '=', partnerId)
        .orderBy('company_name')
        .orderBy('id')
        .execute();
      for (const customer of customers) {
        const charges = await usageChargesOf(trx, customer, month);
        await writeUsageCharges(trx, call, customer, month, charges, await ledgerCurrencyOf(trx, customer));
        const source = await sourceLines(trx, customer, month, true);
        if (source.length === 0) continue;
        const { ledgerCurrency, currency, rate, figures } = await figuresOf(trx, customer, month, source);
        await storeDocument(trx, call, customer, {
          id: draftInvoiceId(customer.id, month),
          kind: 'invoice',
          month,
          sequence: sequence.next(),
          ledgerCurrency,
          currency,
          rate,
          taxName: customer.tax_name,
          taxRate: customer.tax_rate,
          figures,
          billTo: billToOf(customer),
          corrects: null,
          reason: null,
          at: now,
        });
      }
      await sequence.save();
      await trx
        .insertInto('billing_periods')
        .values({ partner_id: partnerId, month: `${month}-01`, closed_at: now, closed_by: issuer(call) })
        .execute();
      await writeAudit(trx, call, {
        partnerId,
        resourceType: 'billing_period',
        operationType: 'close_billing_month',
        newValue: { month },
      });
    }
    const invoices = await trx
      .selectFrom('invoices')
      .select(['id', 'customer_id', 'number', 'total', 'currency'])
      .where('partner_id', '=', partnerId)
      .where('month', '=', `${month}-01`)
      .where('kind', '=', 'invoice')
      .where('corrects', 'is', null)
      .orderBy('sequence')
      .execute();
    return {
      month,
      alreadyClosed,
      invoices: invoices.map((i) => ({
        id: i.id,
        customerId: i.customer_id,
        number: i.number,
        total: i.total,
        currency: i.currency,
      })),
    };
  });
}

/**
 * Corrects an issued invoice: a credit note mirrors it line for line (numbered in its own
 * gap-free sequence), and the month's invoice is issued again from the ledger with today's billing
 * profile, tax and rate. Nothing issued changes.
 */
export async function creditInvoice(
  db: Db,
  call: Call,
  customerId: string,
  invoiceId: string,
  reason: string,
) {
  await authorizeInvoicing(call, { db, what: { invoiceId } });
  const trimmed = reason.trim();
  if (!trimmed || trimmed.length > 500)
    throw invalid('credit-note-reason-required', 'Say why the invoice is corrected (1 to 500 characters).');
  const customer = await findOwnCustomer(db, call.actor, customerId);
  const now = nowOf(call);
  return inTransaction(db, async (trx) => {
    const credits = await lockSequence(trx, customer.partner_id, 'credit_note');
    const issued = await issuedRows(trx, customer.id).execute();
    const original = issued.find((r) => r.id === invoiceId.toLowerCase());
    if (original?.kind !== 'invoice')
      throw notFound(
        'invoice-not-found',
        `No issued invoice ${invoiceId} exists for this customer; list its invoices first.`,
      );
    if (issued.some((r) => r.kind === 'credit_note' && r.corrects === original.id))
      throw conflict(
        'invoice-already-credited',
        `${original.number} has already been credited; correct its replacement instead.`,
      );
    const month = original.month.slice(0, 7);
    const figures: InvoiceFigures = {
      lines: original.lines,
      subtotal: atPrecision(original.subtotal, original.currency),
      tax: atPrecision(original.tax, original.currency),
      total: atPrecision(original.total, original.currency),
    };
    const creditNoteId = crypto.randomUUID();
    const creditNumber = await storeDocument(trx, call, customer, {
      id: creditNoteId,
      kind: 'credit_note',
      month,
      sequence: credits.next(),
      ledgerCurrency: original.ledger_currency,
      currency: original.currency,
      rate: original.fx_rate ? { rate: original.fx_rate, date: original.fx_rate_date! } : null,
      taxName: original.tax_name,
      taxRate: original.tax_rate,
      figures: creditNoteFigures(figures, original.currency),
      billTo: original.bill_to,
      corrects: original.id,
      reason: trimmed,
      at: now,
    });
    await credits.save();
    const invoicesSeq = await lockSequence(trx, customer.partner_id, 'invoice');
    const source = await sourceLines(trx, customer, month, true);
    const { ledgerCurrency, currency, rate, figures: again } = await figuresOf(trx, customer, month, source);
    const replacementId = crypto.randomUUID();
    const replacementNumber = await storeDocument(trx, call, customer, {
      id: replacementId,
      kind: 'invoice',
      month,
      sequence: invoicesSeq.next(),
      ledgerCurrency,
      currency,
      rate,
      taxName: customer.tax_name,
      taxRate: customer.tax_rate,
      figures: again,
      billTo: billToOf(customer),
      corrects: original.id,
      reason: trimmed,
      at: now,
    });
    await invoicesSeq.save();
    return {
      creditNote: { id: creditNoteId, number: creditNumber },
      replacement: { id: replacementId, number: replacementNumber },
    };
  });
}
