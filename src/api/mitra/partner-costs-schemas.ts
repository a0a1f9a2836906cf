import { Type } from '@sinclair/typebox';

/** The wire shapes of the partner's cost views (issue 9; rules in docs/api-mitra.md). */

const Money = Type.String({
  description: 'Decimal string in `currency`, rounded once to its minor unit; may be negative',
});
const MaybeMoney = Type.Union([Money, Type.Null()]);
const Month = Type.String({ pattern: '^\\d{4}-\\d{2}$', description: 'yyyy-mm' });
const View = Type.Union([Type.Literal('actual'), Type.Literal('amortized')], {
  description:
    'actual: usage after benefits plus commitment charges when billed; amortized: commitments spread over their terms, unused charges apart, no purchases',
});
const Format = Type.Union([Type.Literal('json'), Type.Literal('csv')]);

export const CostFigures = Type.Object({
  usageRetail: Type.String({ description: 'Usage at pay-as-you-go retail, before any benefit' }),
  usage: Type.String({
    description:
      "Usage after reservations and savings plans, at the partner's cost (amortized: with the commitments' share for what they covered)",
  }),
  purchases: Type.Union([Money, Type.Null()], {
    description:
      "Actual view: commitment charges of the month (net of credits) at the partner's cost; null when amortized",
  }),
  unusedReservations: Type.Union([Money, Type.Null()], {
    description: "Amortized view: reservation capacity left unused, at the partner's cost; null when actual",
  }),
  unusedSavingsPlans: MaybeMoney,
  partnerPays: Type.String({ description: 'usage + purchases + unused charges' }),
  billed: Type.String({
    description:
      "What the customer is billed at its prices: the month's bill (and, until the month closes, its usage as the draft invoice prices it); amortized, commitments by their spread",
  }),
  margin: Type.String({ description: 'billed − partnerPays' }),
  savings: Type.String({ description: 'usageRetail − partnerPays: the saving against pay-as-you-go' }),
});

export const PartnerCostsQuery = Type.Object({
  month: Type.Optional(Month),
  view: Type.Optional(View),
  format: Type.Optional(Format),
});

export const CustomerCostsQuery = Type.Object({
  from: Type.Optional(Month),
  to: Type.Optional(Month),
  view: Type.Optional(View),
  format: Type.Optional(Format),
});

export const PartnerCostsView = Type.Object({
  month: Type.String(),
  view: View,
  currency: Type.String({ description: "The ledger's currency (usage is metered in it)" }),
  closed: Type.Boolean({ description: 'Whether the month is closed (its usage billed)' }),
  lines: Type.Array(
    Type.Composite([Type.Object({ customerId: Type.String(), customerName: Type.String() }), CostFigures]),
  ),
  total: CostFigures,
});

export const CustomerCostsView = Type.Object({
  customerId: Type.String(),
  customerName: Type.String(),
  customerDomain: Type.String(),
  billingCurrency: Type.String({
    description: "The customer's invoices' currency (figures here are in `currency`)",
  }),
  from: Type.String(),
  to: Type.String(),
  view: View,
  currency: Type.String(),
  lines: Type.Array(
    Type.Composite([Type.Object({ month: Type.String(), closed: Type.Boolean() }), CostFigures]),
  ),
  total: CostFigures,
});
