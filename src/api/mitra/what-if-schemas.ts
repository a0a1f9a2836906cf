import { Type } from '@sinclair/typebox';
import { CommitmentBody } from '../commitment-requests.ts';

/**
 * What-if (B4): a candidate is written exactly as the body of the matching purchase route
 * (`POST /api/my/reservations`, `POST /api/my/savings-plans`) plus its kind.
 */
export const WhatIfCandidate = Type.Composite([
  Type.Object({ kind: Type.Union([Type.Literal('reservation'), Type.Literal('savingsPlan')]) }),
  CommitmentBody,
]);

export const WhatIfBody = Type.Object({
  lookbackDays: Type.Union([Type.Literal(7), Type.Literal(30), Type.Literal(60)], {
    description: 'Days of usage to replay, ending where the usage ends',
  }),
  candidates: Type.Array(WhatIfCandidate, { minItems: 1, maxItems: 10 }),
});
export type WhatIfBody = typeof WhatIfBody.static;

const Money = Type.String({ description: 'Decimal, six places, in `currency`' });
const Pct = Type.Union([Type.Number(), Type.Null()]);

const Side = Type.Object({
  eligibleQuantity: Type.Number(),
  coveredQuantity: Type.Number(),
  coveragePct: Pct,
  actualCost: Type.Optional(Money),
  amortizedCost: Type.Optional(Money),
});

const CandidateView = Type.Object({
  kind: Type.Union([Type.Literal('reservation'), Type.Literal('savingsPlan')]),
  sku: Type.Union([Type.String(), Type.Null()]),
  region: Type.Union([Type.String(), Type.Null()]),
  quantity: Type.Union([Type.Integer(), Type.Null()]),
  hourlyCommitment: Type.Union([Type.String(), Type.Null()]),
  term: Type.String(),
  billingPlan: Type.String(),
  appliedScopeType: Type.String(),
  utilizationPct: Pct,
  unusedHours: Type.Number(),
  idleHours: Type.Integer(),
  activeHours: Type.Integer(),
  coveredQuantity: Type.Number(),
  hourlyCost: Type.Optional(Money),
  totalCost: Type.Optional(Money),
  windowCost: Type.Optional(Money),
  coveredPaygCost: Type.Optional(Money),
  breakEvenMonth: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
});

export const WhatIfView = Type.Object({
  customerId: Type.String(),
  lookbackDays: Type.Integer(),
  period: Type.Object({
    from: Type.String({ format: 'date-time' }),
    to: Type.String({ format: 'date-time' }),
  }),
  currency: Type.String(),
  priceList: Type.Union([Type.Literal('customer'), Type.Literal('default'), Type.Literal('retail')]),
  moneyHidden: Type.Optional(Type.String()),
  today: Side,
  withCandidates: Side,
  savings: Type.Optional(Type.Object({ actualCost: Money, amortizedCost: Money })),
  candidates: Type.Array(CandidateView),
  daily: Type.Array(
    Type.Object({
      day: Type.String({ format: 'date' }),
      today: Side,
      withCandidates: Side,
      candidates: Type.Array(Type.Object({ utilizationPct: Pct })),
    }),
  ),
});
