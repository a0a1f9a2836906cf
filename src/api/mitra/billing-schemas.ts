import { Type } from '@sinclair/typebox';

/** The wire shapes of bills and of the figures refund and exchange dialogs promise. */

const Money = Type.String({
  description: 'Decimal string, rounded to the currency minor unit; negative for credits',
});
const LineType = Type.Union(
  ['purchase', 'instalment', 'refund', 'cancelled-instalment', 'exchange-credit', 'usage'].map((t) =>
    Type.Literal(t),
  ),
);

export const BillLine = Type.Object({
  id: Type.Integer(),
  date: Type.String({ format: 'date', description: 'The day in the billing month the line belongs to' }),
  type: LineType,
  commitmentId: Type.Union([Type.String(), Type.Null()]),
  subscriptionId: Type.Union([Type.String(), Type.Null()]),
  kind: Type.Union([Type.String(), Type.Null()]),
  boughtBy: Type.Union([Type.String(), Type.Null()]),
  beyondPartnerCenter: Type.Optional(
    Type.Boolean({
      description: "A customer's own savings plan: not in the partner-center dialect (R11, B3)",
    }),
  ),
  exchangedFrom: Type.Union([Type.String(), Type.Null()]),
  commitmentName: Type.Union([Type.String(), Type.Null()]),
  description: Type.String(),
  amount: Money,
  currency: Type.String(),
  forecast: Type.Boolean({ description: 'Scheduled, not yet charged' }),
});

export const Bill = Type.Object({
  month: Type.String(),
  currency: Type.String(),
  forecast: Type.Boolean({ description: 'A month after the current one: only scheduled lines' }),
  total: Money,
  lines: Type.Array(BillLine),
});

const BillMonth = Type.Object({
  month: Type.String(),
  total: Money,
  currency: Type.String(),
  entries: Type.Integer(),
  forecast: Type.Boolean(),
  current: Type.Boolean(),
});

export const BillMonths = Type.Object({
  items: Type.Array(BillMonth, { description: 'The current and past months, newest first' }),
  forecasts: Type.Array(BillMonth, { description: 'Months ahead with scheduled charges, in order' }),
});

export const PromisedLine = Type.Object({
  month: Type.String({ description: 'yyyy-mm' }),
  date: Type.String({ format: 'date' }),
  type: LineType,
  amount: Money,
});

export const RefundQuote = Type.Object({
  amount: Type.String({ description: 'Money back' }),
  paidSoFar: Type.String(),
  cancelledInstalments: Type.String({ description: 'Scheduled instalments no longer charged' }),
  cancelledInstalmentCount: Type.Integer(),
  currency: Type.String(),
  entries: Type.Array(PromisedLine, { description: 'The bill lines the refund writes, by month' }),
  remainingCapBefore: Type.String({ description: 'USD left under the 12-month refund cap' }),
});

export const ExchangeQuote = Type.Object({
  credit: Type.String(),
  newTotal: Type.String(),
  netPayable: Type.String({ description: 'newTotal − credit: the sum of every line in entries' }),
  currency: Type.String(),
  entries: Type.Array(PromisedLine),
  valid: Type.Boolean(),
  reason: Type.Union([Type.String(), Type.Null()]),
});
