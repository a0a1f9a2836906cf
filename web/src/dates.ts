// The activity API takes calendar days (yyyy-mm-dd, read as UTC days) and keeps 90 days of records.

export const activityRetentionDays = 90;

const pad = (n: number) => String(n).padStart(2, '0');

/** A `yyyy-mm-dd` string for the UTC calendar day `days` before `from`. */
export function utcDay(daysBefore = 0, from = new Date()): string {
  const date = new Date(from.getTime() - daysBefore * 86_400_000);
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}
