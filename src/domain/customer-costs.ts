import Big from 'big.js';
import { invalid, MitraError } from './errors.ts';
import type { ConversionRate } from './invoices.ts';
import { roundToMinor } from './money.ts';

/**
 * A customer's own cost view (R17, R18), pure: what may be grouped and filtered, which days a
 * preset or an ARM timeframe means, and how summed USD costs become figures in the billing
 * currency. The service (src/services/customer-costs.ts) reads the daily rollups; the Mitra and ARM
 * routes only translate requests into a `CostQuery` and answers out of a `CostView`, so both
 * dialects show the same figures by construction.
 *
 * Figures: per line, Σ actual_cost (USD, full precision: covered usage is 0, the rest at
 * pay-as-you-go retail) × ONE rate (the latest on or before the range's last day, not later than
 * today), rounded once to the billing currency's minor unit. A view's total is the sum of its
 * rounded lines, so it adds up on screen and in a spreadsheet.
 */

/** The dimensions a view groups and filters by; each is one column of `usage_daily_costs`. */
export const costDimensions = [
  'subscription',
  'resourceGroup',
  'resource',
  'location',
  'meterCategory',
  'meter',
] as const;
export type CostDimension = (typeof costDimensions)[number];

/** A filter over dimensions: In lists (case-insensitive) combined with and / or / not. */
export type CostFilter =
  | { in: { dimension: CostDimension; values: string[] } }
  | { and: CostFilter[] }
  | { or: CostFilter[] }
  | { not: CostFilter }
  /** Matches no row: a tag filter (Mitra keeps no resource tags). */
  | { nothing: true };

/** Days [from, to): `to` is the day after the last one shown. */
export interface DayRange {
  from: string;
  to: string;
}

export interface CostQuery {
  range: DayRange;
  /** Subscription scope (Mitra's subscription id) or, when absent, every subscription the user holds a role on. */
  subscriptionId?: string;
  /** Resource-group scope inside the subscription (names compare case-insensitively, as in ARM). */
  resourceGroup?: string;
  groupBy: CostDimension[];
  daily: boolean;
  filter?: CostFilter;
}

/** One summed group, as the rollups give it: USD at full precision. */
export interface CostGroup {
  day: string | null;
  keys: Partial<Record<CostDimension, string>>;
  quantity: string;
  usdCost: string;
}

export interface CostLine {
  day: string | null;
  keys: Partial<Record<CostDimension, string>>;
  quantity: string;
  /** In the billing currency, rounded to its minor unit. */
  cost: string;
}

export interface CostView {
  currency: string;
  /** null when the billing currency is the price list's (no conversion). */
  rate: ConversionRate | null;
  range: DayRange;
  total: string;
  lines: CostLine[];
}

export const DAY_MS = 86_400_000;
const dayRe = /^\d{4}-\d{2}-\d{2}$/;
export const dayOf = (d: Date) => d.toISOString().slice(0, 10);
export const addDays = (day: string, n: number) =>
  dayOf(new Date(new Date(`${day}T00:00:00Z`).getTime() + n * DAY_MS));
const startOfMonth = (day: string) => `${day.slice(0, 7)}-01`;
const nextMonth = (day: string) => {
  const d = new Date(`${startOfMonth(day)}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return dayOf(d);
};
const previousMonth = (day: string) => {
  const d = new Date(`${startOfMonth(day)}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - 1);
  return dayOf(d);
};

export const isDay = (s: string) =>
  dayRe.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && dayOf(new Date(`${s}T00:00:00Z`)) === s;

/** The longest range one view covers: a year and a day, so last year's same month compares. */
export const maxRangeDays = 366;

export const costPresets = ['thisMonth', 'lastMonth', 'last30Days', 'last90Days'] as const;
export type CostPreset = (typeof costPresets)[number];

/**
 * The portal's presets as UTC days [from, to). "This month" runs to the month's end (days not yet
 * come show nothing); "last 30 days" ends with today, so it holds 30 days including today.
 */
export function presetRange(preset: CostPreset, now: Date): DayRange {
  const today = dayOf(now);
  switch (preset) {
    case 'thisMonth':
      return { from: startOfMonth(today), to: nextMonth(today) };
    case 'lastMonth':
      return { from: previousMonth(today), to: startOfMonth(today) };
    case 'last30Days':
      return { from: addDays(today, -29), to: addDays(today, 1) };
    case 'last90Days':
      return { from: addDays(today, -89), to: addDays(today, 1) };
  }
}

/** Inclusive first and last days (as people and ARM's timePeriod name them) → [from, to). */
export function inclusiveRange(first: string, last: string): DayRange {
  for (const [name, v] of [
    ['from', first],
    ['to', last],
  ] as const) {
    if (!isDay(v)) throw invalid('invalid-date', `${name} must be a day like 2026-11-01; "${v}" is not.`);
  }
  if (last < first)
    throw invalid('invalid-date-range', 'to is before from; give a range that ends after it starts.');
  const range = { from: first, to: addDays(last, 1) };
  if (daysIn(range) > maxRangeDays)
    throw invalid(
      'date-range-too-long',
      `A cost view covers at most ${maxRangeDays} days; ask for a shorter range.`,
    );
  return range;
}

export const daysIn = (r: DayRange) =>
  Math.round((Date.parse(`${r.to}T00:00:00Z`) - Date.parse(`${r.from}T00:00:00Z`)) / DAY_MS);

/** Every day of a range, for charts that show the days without cost too. */
export function daysOf(r: DayRange): string[] {
  const out: string[] = [];
  for (let d = r.from; d < r.to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** ARM timeframes (reference §6). A CSP customer's billing month is the calendar month. */
export function armTimeframeRange(
  timeframe: string,
  timePeriod: { from: string; to: string } | undefined,
  now: Date,
): DayRange {
  const today = dayOf(now);
  switch (timeframe.toLowerCase()) {
    case 'monthtodate':
    case 'billingmonthtodate':
      return { from: startOfMonth(today), to: addDays(today, 1) };
    case 'thelastmonth':
    case 'thelastbillingmonth':
      return { from: previousMonth(today), to: startOfMonth(today) };
    case 'weektodate': {
      // Weeks start on Sunday, as the Azure portal's cost analysis shows them.
      const weekday = new Date(`${today}T00:00:00Z`).getUTCDay();
      return { from: addDays(today, -weekday), to: addDays(today, 1) };
    }
    case 'custom': {
      if (!timePeriod)
        throw invalid('invalid-time-period', 'timeframe Custom needs timePeriod with from and to.');
      const day = (v: string, name: string) => {
        const t = Date.parse(v);
        if (Number.isNaN(t))
          throw invalid('invalid-time-period', `timePeriod.${name} must be a date-time; "${v}" is not.`);
        return dayOf(new Date(t));
      };
      // timePeriod.to is inclusive (…T23:59:59Z): the day it falls on is the last day shown.
      return inclusiveRange(day(timePeriod.from, 'from'), day(timePeriod.to, 'to'));
    }
    default:
      throw invalid(
        'invalid-timeframe',
        `timeframe "${timeframe}" is not supported; use MonthToDate, BillingMonthToDate, TheLastMonth, TheLastBillingMonth, WeekToDate or Custom.`,
      );
  }
}

/** The day whose rate converts a range: its last day, or today when the range runs on past it. */
export function rateDayOf(range: DayRange, now: Date): string {
  // yyyy-mm-dd strings sort as the days they name.
  return [addDays(range.to, -1), dayOf(now)].sort()[0];
}

/** Groups → lines in the billing currency; the total is Σ rounded lines. */
export function costView(
  groups: readonly CostGroup[],
  currency: string,
  rate: ConversionRate | null,
  range: DayRange,
): CostView {
  const lines = groups.map((g) => ({
    day: g.day,
    keys: g.keys,
    quantity: g.quantity,
    cost: roundToMinor(rate ? new Big(g.usdCost).times(rate.rate) : new Big(g.usdCost), currency),
  }));
  const total = lines.reduce((s, l) => s.plus(l.cost), new Big(0));
  return { currency, rate, range, total: roundToMinor(total, currency), lines };
}

const collator = new Intl.Collator();

/** Lines in a stable order: by day, then by cost (largest first), then by keys. */
export function sortLines(lines: CostLine[], byCost: boolean): CostLine[] {
  // Each line's sort keys once, not per comparison: a by-resource view has thousands of lines.
  const keyed = lines.map((line) => ({
    line,
    day: line.day ?? '',
    cost: byCost ? new Big(line.cost) : null,
    keys: Object.values(line.keys).join('\u0000'),
  }));
  keyed.sort(
    (a, b) =>
      collator.compare(a.day, b.day) ||
      (a.cost && b.cost ? b.cost.cmp(a.cost) : 0) ||
      collator.compare(a.keys, b.keys),
  );
  return keyed.map((k) => k.line);
}

/**
 * R17's switch is off. Mitra's portal shows this one sentence; ARM clients, which know nothing of
 * a partner, get the same code with the provider named (`namingProvider`).
 */
export const costManagementDisabled = (provider: string) =>
  new MitraError(
    'forbidden',
    'cost-management-disabled',
    'Your provider has not enabled cost management for your organisation.',
    2032,
    { provider },
  );

export const namingProvider = (error: MitraError) =>
  new MitraError(
    error.kind,
    error.code,
    `Your provider, ${String(error.details?.provider)}, has not enabled cost management for your organisation; ask them to enable it.`,
    error.partnerCenterCode,
    { ...error.details, target: 'Microsoft.CostManagement' },
  );
