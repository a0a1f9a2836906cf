import { MS_PER_HOUR, termEndHour, termYears } from './time.ts';

/**
 * The hourly amortized cost of a commitment bought for `totalCost`: spread evenly per day over
 * the term (365 days a year, 366 when the year holds 29 February), the same for upfront and
 * monthly billing, then a day's share split evenly over its 24 hours.
 */
export function amortizedHourlyCost(totalCost: number, purchaseDate: string, term: string): number {
  const years = termYears(term);
  if (Number.isNaN(years)) throw new Error(`term must be like P1Y or P3Y: ${term}`);
  const startHour = Math.floor(Date.parse(`${purchaseDate.slice(0, 10)}T00:00:00Z`) / MS_PER_HOUR);
  const days = (termEndHour(startHour, years) - startHour) / 24;
  return totalCost / days / 24;
}
