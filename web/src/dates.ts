// The activity filters pick calendar days in the user's own time zone; the API takes UTC instants.

const pad = (n: number) => String(n).padStart(2, '0');

export function toDayInput(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function daysAgo(days: number, from = new Date()): Date {
  const date = new Date(from);
  date.setDate(date.getDate() - days);
  return date;
}

/** The first instant of a local calendar day, as an ISO 8601 UTC string. */
export function startOfDayIso(day: string): string | undefined {
  const [y, m, d] = day.split('-').map(Number);
  if (!y || !m || !d) return undefined;
  return new Date(y, m - 1, d, 0, 0, 0, 0).toISOString();
}

/** The last millisecond of a local calendar day, as an ISO 8601 UTC string (the end date is inclusive). */
export function endOfDayIso(day: string): string | undefined {
  const [y, m, d] = day.split('-').map(Number);
  if (!y || !m || !d) return undefined;
  return new Date(y, m - 1, d, 23, 59, 59, 999).toISOString();
}
