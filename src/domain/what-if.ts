import Big from 'big.js';
import type { BenefitInput, BenefitOutput, UsageRowInput } from '../engine/index.ts';
import { applyMarkup } from './customer-prices.ts';

/**
 * What-if (B4): the figures of replaying candidate commitments over a customer's recent usage,
 * computed from two engine runs over the same hours — today (the existing commitments) and with
 * the candidates added. Pure: the service gathers the facts, this turns them into the answer.
 *
 * Money is at the customer's price: usage at the usage markup of the price list in effect in its
 * hour (as bills charge it), commitments at their amortized hourly cost at the price the customer
 * pays (charged for existing ones, quoted for candidates). Engine figures are doubles; sums are
 * turned into big.js decimals per day and price segment, and printed with six decimals.
 */

export const lookbackChoices = [7, 30, 60] as const;
export type LookbackDays = (typeof lookbackChoices)[number];

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** A stretch of time with one usage markup (percent over pay-as-you-go retail). */
export interface UsageMarkup {
  from: Date;
  to: Date;
  markupPercent: string;
}

/** What a candidate costs the customer, as priced for a purchase now. */
export interface CandidatePrice {
  /** The candidate's id in the engine input. */
  id: string;
  /** Amortized cost per hour (the 365/366-day rule), the same for upfront and monthly billing. */
  hourlyCost: number;
  /** The term's total at the customer's price (what the purchase would charge over the term). */
  totalCost: string;
  termMonths: number;
}

export interface WhatIfFacts {
  lookbackDays: LookbackDays;
  period: { from: Date; to: Date };
  /** Today's engine input: the window's usage and the existing commitments. */
  input: BenefitInput;
  today: BenefitOutput;
  withCandidates: BenefitOutput;
  /** Amortized hourly cost at the customer's price of every commitment, existing and candidate. */
  hourlyCosts: Map<string, number>;
  candidates: CandidatePrice[];
  usageMarkups: UsageMarkup[];
  /** The day a purchase made now would start its term: break-even months count from it. */
  termStart: Date;
}

export interface CostFigures {
  actualCost: string;
  amortizedCost: string;
}

export interface CoverageFigures {
  /** Quantity of usage a reservation or savings plan could cover (see `isEligible`). */
  eligibleQuantity: number;
  coveredQuantity: number;
  /** covered / eligible × 100; null when nothing was eligible. */
  coveragePct: number | null;
}

export type SideFigures = CoverageFigures & Partial<CostFigures>;

export interface CandidateFigures {
  /** Σ consumed / Σ capacity over the window's hours, × 100 (the engine's utilisation). */
  utilizationPct: number | null;
  /** Unused capacity in hours of the whole commitment: Σ unused / capacity over the hours. */
  unusedHours: number;
  /** Hours in which the candidate covered nothing at all. */
  idleHours: number;
  activeHours: number;
  coveredQuantity: number;
  hourlyCost?: string;
  totalCost?: string;
  /** The candidate's cost over the window: hourly cost × active hours. */
  windowCost?: string;
  /** What the usage it covered costs at the customer's pay-as-you-go price. */
  coveredPaygCost?: string;
  /** See `breakEvenMonth`; null when it never pays back within its term. */
  breakEvenMonth?: number | null;
}

export interface DailyFigures {
  day: string;
  today: SideFigures;
  withCandidates: SideFigures;
  /** Per candidate, in request order: that day's utilisation (null: not active that day). */
  candidates: { utilizationPct: number | null }[];
}

export interface WhatIfFigures {
  today: SideFigures;
  withCandidates: SideFigures;
  /** today − with candidates (positive: the candidates save). */
  savings?: CostFigures;
  candidates: CandidateFigures[];
  daily: DailyFigures[];
}

/**
 * The window: `days` whole UTC days ending where the customer's usage ends — the end of the UTC
 * day of its latest usage hour (usage arrives late; counting days not yet imported would make
 * candidates look unused) — or at today's start when it has no usage.
 */
export function lookbackWindow(latestUsageHour: Date | null, now: Date, days: LookbackDays) {
  const anchor = latestUsageHour && latestUsageHour.getTime() <= now.getTime() ? latestUsageHour : null;
  const to = anchor
    ? new Date(Math.floor(anchor.getTime() / DAY) * DAY + DAY)
    : new Date(Math.floor(now.getTime() / DAY) * DAY);
  return { from: new Date(to.getTime() - days * DAY), to };
}

/** Every hour of [from, to), as the engine's `hours`: hours without usage count as unused. */
export function windowHours(period: { from: Date; to: Date }): string[] {
  const hours: string[] = [];
  for (let t = period.from.getTime(); t < period.to.getTime(); t += HOUR)
    hours.push(new Date(t).toISOString());
  return hours;
}

/** Usage some reservation or savings plan could cover: eligible, with a reservable type or a plan rate. */
export function isEligible(u: UsageRowInput): boolean {
  return u.benefitEligible !== false && (!!u.reservedResourceType || !!u.spUnitPrice);
}

/**
 * Break-even month: the first month k (1-based) of the candidate's term by whose end what it saves
 * — the pay-as-you-go price of the usage it covered, per day as in the window — adds up to its
 * cost for the whole term (`totalCost`, the amortized cost summed over the term, so upfront and
 * monthly billing break even alike). Month k ends k calendar months after `termStart` (UTC).
 * null when that never happens within the term, i.e. when the candidate costs more than it saves.
 */
export function breakEvenMonth(
  totalCost: Big,
  savingsPerDay: Big,
  termStart: Date,
  termMonths: number,
): number | null {
  if (savingsPerDay.lte(0)) return null;
  const start = Math.floor(termStart.getTime() / DAY) * DAY;
  for (let k = 1; k <= termMonths; k++) {
    const end = new Date(start);
    end.setUTCMonth(end.getUTCMonth() + k);
    if (savingsPerDay.times((end.getTime() - start) / DAY).gte(totalCost)) return k;
  }
  return null;
}

const round = (n: number, digits = 6) => {
  const f = 10 ** digits;
  const r = Math.round(n * f) / f;
  return r === 0 ? 0 : r;
};
const pct = (part: number, whole: number) => (whole > 1e-12 ? round((part / whole) * 100, 4) : null);
const money = (b: Big) => b.toFixed(6);

/** Per day: usage cost per markup segment (doubles), commitment hours per id, quantities. */
interface DayTally {
  usageBySegment: number[];
  commitmentHours: Map<string, number>;
  eligible: number;
  covered: number;
}

function segmentOf(markups: UsageMarkup[], hour: string): number {
  const t = Date.parse(hour);
  const i = markups.findIndex((m) => t >= m.from.getTime() && t < m.to.getTime());
  return Math.max(i, 0);
}

/** Pay-as-you-go doubles per markup segment → the customer's price, six decimals per segment. */
function usageCost(markups: UsageMarkup[], bySegment: number[]): Big {
  return bySegment.reduce(
    (sum, cost, i) => sum.plus(applyMarkup(String(round(cost, 9)), markups[i]?.markupPercent ?? '0')),
    new Big(0),
  );
}

function tally(
  days: string[],
  input: BenefitInput,
  output: BenefitOutput,
  markups: UsageMarkup[],
  rowSegments: number[],
  rowIndex: Map<string, number>,
): Map<string, DayTally> {
  const byDay = new Map<string, DayTally>(
    days.map((d) => [
      d,
      { usageBySegment: markups.map(() => 0), commitmentHours: new Map(), eligible: 0, covered: 0 },
    ]),
  );
  for (const r of output.rows) {
    const i = rowIndex.get(r.rowId)!;
    const u = input.usage[i];
    const d = byDay.get(u.hour.slice(0, 10));
    if (!d) continue;
    d.usageBySegment[rowSegments[i]] += r.actualCost;
    if (isEligible(u)) {
      d.eligible += u.quantity;
      d.covered += u.quantity - r.paygQuantity;
    }
  }
  for (const h of output.perHour) {
    const d = byDay.get(h.hour.slice(0, 10));
    if (d) d.commitmentHours.set(h.id, (d.commitmentHours.get(h.id) ?? 0) + 1);
  }
  return byDay;
}

/** One day's figures: usage at the customer's price, plus the commitments' hours at theirs. */
function daySide(d: DayTally, markups: UsageMarkup[], hourlyCosts: Map<string, number>) {
  const actual = new Big(money(usageCost(markups, d.usageBySegment)));
  let commitments = new Big(0);
  for (const [id, hours] of d.commitmentHours)
    commitments = commitments.plus(new Big(hourlyCosts.get(id) ?? 0).times(hours));
  return {
    eligibleQuantity: round(d.eligible),
    coveredQuantity: round(d.covered),
    coveragePct: pct(d.covered, d.eligible),
    actualCost: money(actual),
    amortizedCost: money(actual.plus(commitments)),
  } satisfies SideFigures;
}

/** The window's figures: money is the sum of the days' (six decimals each), so the series adds up. */
function totalSide(tallies: DayTally[], days: SideFigures[]) {
  const eligible = tallies.reduce((s, d) => s + d.eligible, 0);
  const covered = tallies.reduce((s, d) => s + d.covered, 0);
  const actual = days.reduce((s, d) => s.plus(d.actualCost!), new Big(0));
  const amortized = days.reduce((s, d) => s.plus(d.amortizedCost!), new Big(0));
  return {
    actual,
    amortized,
    figures: {
      eligibleQuantity: round(eligible),
      coveredQuantity: round(covered),
      coveragePct: pct(covered, eligible),
      actualCost: money(actual),
      amortizedCost: money(amortized),
    } satisfies SideFigures,
  };
}

function candidateFigures(
  f: WhatIfFacts,
  c: CandidatePrice,
  rowSegments: number[],
  rowIndex: Map<string, number>,
  hours: WhatIfFacts['withCandidates']['perHour'],
): CandidateFigures {
  const result = f.withCandidates.commitments.find((r) => r.id === c.id);
  const unusedHours = hours.reduce((s, h) => s + (h.capacity > 0 ? h.unused / h.capacity : 0), 0);
  const idleHours = hours.filter((h) => h.consumed <= 0).length;
  const coveredBySegment = f.usageMarkups.map(() => 0);
  let coveredQuantity = 0;
  for (const r of f.withCandidates.rows) {
    for (const part of r.coverage) {
      if (part.by !== c.id) continue;
      const i = rowIndex.get(r.rowId)!;
      coveredQuantity += part.quantity;
      coveredBySegment[rowSegments[i]] += part.quantity * f.input.usage[i].paygUnitPrice;
    }
  }
  const coveredPaygCost = usageCost(f.usageMarkups, coveredBySegment);
  const hourlyCost = new Big(c.hourlyCost);
  return {
    utilizationPct: result?.utilizationPct == null ? null : round(result.utilizationPct, 4),
    unusedHours: round(unusedHours),
    idleHours,
    activeHours: hours.length,
    coveredQuantity: round(coveredQuantity),
    hourlyCost: hourlyCost.toFixed(6),
    totalCost: new Big(c.totalCost).toFixed(6),
    windowCost: money(hourlyCost.times(hours.length)),
    coveredPaygCost: money(coveredPaygCost),
    breakEvenMonth: breakEvenMonth(
      new Big(c.totalCost),
      coveredPaygCost.div(f.lookbackDays),
      f.termStart,
      c.termMonths,
    ),
  };
}

/** The what-if's figures, money included (`withoutMoney` removes it for readers who may not see it). */
export function whatIfFigures(f: WhatIfFacts): WhatIfFigures {
  const days = windowHours(f.period)
    .filter((_, i) => i % 24 === 0)
    .map((h) => h.slice(0, 10));
  const rowSegments = f.input.usage.map((u) => segmentOf(f.usageMarkups, u.hour));
  const rowIndex = new Map(f.input.usage.map((u, i) => [u.rowId, i]));
  const before = tally(days, f.input, f.today, f.usageMarkups, rowSegments, rowIndex);
  const after = tally(days, f.input, f.withCandidates, f.usageMarkups, rowSegments, rowIndex);
  const hoursOf = new Map(
    f.candidates.map((c) => [c.id, f.withCandidates.perHour.filter((h) => h.id === c.id)]),
  );
  const daysBefore = days.map((day) => daySide(before.get(day)!, f.usageMarkups, f.hourlyCosts));
  const daysAfter = days.map((day) => daySide(after.get(day)!, f.usageMarkups, f.hourlyCosts));
  const today = totalSide([...before.values()], daysBefore);
  const withCandidates = totalSide([...after.values()], daysAfter);
  const daily = days.map((day, i) => ({
    day,
    today: daysBefore[i],
    withCandidates: daysAfter[i],
    candidates: f.candidates.map((c) => {
      const hours = hoursOf.get(c.id)!.filter((h) => h.hour.startsWith(day));
      return {
        utilizationPct: pct(
          hours.reduce((s, h) => s + h.consumed, 0),
          hours.reduce((s, h) => s + h.capacity, 0),
        ),
      };
    }),
  }));
  return {
    today: today.figures,
    withCandidates: withCandidates.figures,
    savings: {
      actualCost: money(today.actual.minus(withCandidates.actual)),
      amortizedCost: money(today.amortized.minus(withCandidates.amortized)),
    },
    candidates: f.candidates.map((c) => candidateFigures(f, c, rowSegments, rowIndex, hoursOf.get(c.id)!)),
    daily,
  };
}

const moneyFields = ['actualCost', 'amortizedCost'] as const;
const candidateMoney = [
  'hourlyCost',
  'totalCost',
  'windowCost',
  'coveredPaygCost',
  'breakEvenMonth',
] as const;

function sideWithoutMoney(s: SideFigures): SideFigures {
  const copy = { ...s };
  for (const k of moneyFields) delete copy[k];
  return copy;
}

/** The figures without money (R17: cost management off): utilisation, coverage and unused hours stay. */
export function withoutMoney(w: WhatIfFigures): WhatIfFigures {
  return {
    today: sideWithoutMoney(w.today),
    withCandidates: sideWithoutMoney(w.withCandidates),
    candidates: w.candidates.map((c) => {
      const copy = { ...c };
      for (const k of candidateMoney) delete copy[k];
      return copy;
    }),
    daily: w.daily.map((d) => ({
      ...d,
      today: sideWithoutMoney(d.today),
      withCandidates: sideWithoutMoney(d.withCandidates),
    })),
  };
}
