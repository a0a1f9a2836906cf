import Big from 'big.js';
import type { Db } from '../store/db.ts';

export interface Utilization {
  /** Utilisation over the last 1, 7 and 30 full days with results, as a percentage; null without data. */
  aggregates: { grain: 1 | 7 | 30; value: number | null }[];
  trend: 'UP' | 'DOWN' | 'SAME' | null;
  daily: { day: string; capacity: string; consumed: string; utilizationPct: number | null }[];
}

const pct = (consumed: Big, capacity: Big) =>
  capacity.gt(0) ? Number(consumed.div(capacity).times(100).toFixed(2)) : null;

/**
 * A commitment's utilisation from stored benefit runs: over a period, the sum consumed over the sum
 * of capacity across its hours (benefits.md), here by whole UTC days, ending with the last day run.
 */
export async function utilizationOf(
  db: Db,
  commitmentIds: string[],
  days = 30,
): Promise<Map<string, Utilization>> {
  const result = new Map<string, Utilization>();
  if (commitmentIds.length === 0) return result;
  const rows = await db
    .selectFrom('commitment_utilization')
    .select(['commitment_id', 'day', 'capacity', 'consumed'])
    .where('commitment_id', 'in', commitmentIds)
    .orderBy('day', 'desc')
    .execute();
  for (const id of commitmentIds) {
    const mine = rows
      .filter((r) => r.commitment_id === id)
      .slice(0, days)
      .reverse();
    const over = (n: number) => {
      const part = mine.slice(-n);
      if (part.length === 0) return null;
      return pct(
        part.reduce((s, r) => s.plus(r.consumed), new Big(0)),
        part.reduce((s, r) => s.plus(r.capacity), new Big(0)),
      );
    };
    const last7 = over(7);
    const previous7 =
      mine.length >= 14
        ? pct(
            mine.slice(-14, -7).reduce((s, r) => s.plus(r.consumed), new Big(0)),
            mine.slice(-14, -7).reduce((s, r) => s.plus(r.capacity), new Big(0)),
          )
        : null;
    result.set(id, {
      aggregates: [
        { grain: 1, value: over(1) },
        { grain: 7, value: last7 },
        { grain: 30, value: over(30) },
      ],
      trend:
        last7 === null || previous7 === null
          ? null
          : last7 > previous7
            ? 'UP'
            : last7 < previous7
              ? 'DOWN'
              : 'SAME',
      daily: mine.map((r) => ({
        day: r.day,
        capacity: r.capacity,
        consumed: r.consumed,
        utilizationPct: pct(new Big(r.consumed), new Big(r.capacity)),
      })),
    });
  }
  return result;
}

/** ARM's `properties.utilization` (reference §3.2). */
export function armUtilization(u: Utilization | undefined) {
  if (!u) return undefined;
  return {
    trend: u.trend ?? undefined,
    aggregates: u.aggregates
      .filter((a) => a.value !== null)
      .map((a) => ({ grain: a.grain, grainUnit: 'days', value: a.value, valueUnit: 'percentage' })),
  };
}
