import { BenefitInputError } from './errors.ts';

export const MS_PER_HOUR = 3_600_000;

// Offsets are honoured; a timestamp without one is read as UTC, since the contract's hours are UTC.
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Milliseconds since the epoch, or NaN when the text is not an ISO 8601 date or timestamp. */
export function parseInstant(text: string): number {
  const m = TIMESTAMP.exec(text.trim());
  if (!m) return Number.NaN;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone = 'Z'] = m;
  const year = Number(y);
  const month = Number(mo) - 1;
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month > 11 || day < 1 || hour > 23 || minute > 59 || second > 59) return Number.NaN;
  let ms = Date.UTC(year, month, day, hour, minute, second, Number(`0.${frac || '0'}`) * 1000);
  // Date.UTC rolls 31 April over into May; a real calendar date must survive the round trip.
  if (new Date(ms).getUTCDate() !== day) return Number.NaN;
  if (zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0')) * 60_000;
  }
  return ms;
}

/** The UTC hour (hours since the epoch) that contains the instant. */
export const hourOf = (ms: number): number => Math.floor(ms / MS_PER_HOUR);

export function hourIso(hour: number): string {
  return `${new Date(hour * MS_PER_HOUR).toISOString().slice(0, 19)}Z`;
}

// Consecutive rows mostly share their hour's text: remembering the last one skips the parse.
let lastText = '';
let lastHour = 0;

export function parseHourField(value: unknown, locate: () => string, field: string): number {
  if (typeof value !== 'string') {
    throw new BenefitInputError(locate(), field, 'must be an ISO 8601 timestamp');
  }
  if (value === lastText) return lastHour;
  const ms = parseInstant(value);
  if (Number.isNaN(ms)) {
    throw new BenefitInputError(locate(), field, `not an ISO 8601 timestamp: ${JSON.stringify(value)}`);
  }
  lastText = value;
  lastHour = hourOf(ms);
  return lastHour;
}

/** Whole years of a term such as P1Y or P3Y; NaN for anything else. */
export function termYears(term: unknown): number {
  if (typeof term !== 'string') return Number.NaN;
  const m = /^P([1-9]\d?)Y$/.exec(term);
  return m ? Number(m[1]) : Number.NaN;
}

/**
 * The first hour after a term that starts in `startHour`. Years are calendar years and a start
 * on 29 February ends on 28 February, the way SQL interval arithmetic (PostgreSQL, DuckDB) adds
 * years, so the engine and its SQL oracle agree on the last hour.
 */
export function termEndHour(startHour: number, years: number): number {
  const start = new Date(startHour * MS_PER_HOUR);
  const y = start.getUTCFullYear() + years;
  const m = start.getUTCMonth();
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const end = Date.UTC(y, m, Math.min(start.getUTCDate(), lastDay), start.getUTCHours());
  return end / MS_PER_HOUR;
}
