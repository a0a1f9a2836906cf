import { Type } from '@sinclair/typebox';

/** Wire shapes of invoices: what the routes validate, serialise and document. */

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Kind = Type.Union([Type.Literal('invoice'), Type.Literal('credit_note')]);
const Status = Type.Union([Type.Literal('draft'), Type.Literal('issued'), Type.Literal('credited')], {
  description: 'draft: the month is open; issued: numbered and final; credited: corrected by a credit note',
});

export const InvoiceSummary = Type.Object({
  id: Type.String({ description: 'Stable: a draft keeps its id when issued' }),
  kind: Kind,
  number: Nullable(Type.String({ description: 'Null while draft; unique per partner, gap-free' })),
  month: Type.String({ description: 'yyyy-mm' }),
  status: Status,
  total: Nullable(Type.String({ description: 'Null when a draft cannot be priced (no exchange rate yet)' })),
  currency: Type.String(),
});

export const InvoiceList = Type.Object({ items: Type.Array(InvoiceSummary) });

export const InvoiceLine = Type.Object({
  ledgerEntryId: Type.Union([Type.Integer(), Type.Null()], {
    description: 'Null for usage on a draft: it is written to the ledger when the month closes',
  }),
  date: Type.String({ format: 'date' }),
  type: Type.String(),
  description: Type.String(),
  commitmentId: Nullable(Type.String()),
  subscriptionId: Nullable(Type.String()),
  amount: Type.String({ description: "In the invoice's currency, rounded to its minor unit" }),
  ledgerAmount: Type.String({ description: "In the ledger's currency, before conversion" }),
});

export const InvoiceDetail = Type.Object({
  ...InvoiceSummary.properties,
  issuedAt: Nullable(Type.String({ format: 'date-time' })),
  issuedBy: Nullable(Type.String()),
  ledgerCurrency: Type.String(),
  exchangeRate: Type.Union([
    Type.Object({ base: Type.String(), quote: Type.String(), rate: Type.String(), date: Type.String() }),
    Type.Null(),
  ]),
  taxName: Type.String(),
  taxRate: Type.String({ description: 'Percent' }),
  subtotal: Type.String({ description: 'Σ rounded lines' }),
  tax: Type.String({ description: 'On the subtotal, rounded once' }),
  total: Type.String(),
  lines: Type.Array(InvoiceLine),
  billTo: Type.Object({
    companyName: Type.String(),
    address: Type.Array(Type.String()),
    email: Type.String(),
    country: Type.String(),
    language: Type.String(),
  }),
  corrects: Nullable(Type.String()),
  creditedBy: Nullable(Type.String()),
  reason: Nullable(Type.String()),
  closesOn: Nullable(
    Type.String({
      format: 'date',
      description: 'Drafts: the day the month closes by itself and the invoice is issued; null once issued',
    }),
  ),
});

export const MonthClosed = Type.Object({
  month: Type.String(),
  alreadyClosed: Type.Boolean({ description: 'True when it had been closed before: nothing new was issued' }),
  invoices: Type.Array(
    Type.Object({
      id: Type.String(),
      customerId: Type.String(),
      number: Type.String(),
      total: Type.String(),
      currency: Type.String(),
    }),
  ),
});

export const TaxSettings = Type.Object({
  taxRate: Type.String({
    description: 'Percent as a decimal string, e.g. "11"',
    pattern: '^\\d{1,2}(\\.\\d{1,4})?$',
  }),
  taxName: Type.String({ minLength: 1, maxLength: 40, description: 'e.g. PPN, VAT, GST' }),
});
