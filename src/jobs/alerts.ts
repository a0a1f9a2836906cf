import Big from 'big.js';
import { sql } from 'kysely';
import { commitmentRef, customerRef, emitEvent } from '../services/events.ts';
import type { Db } from '../store/db.ts';

/**
 * Alerts (B11), computed from the database by a scheduled job (any server; safe to run twice at
 * once, and on PGlite too):
 *
 * - `commitment.expiring`, 30 and 7 days before a commitment's end, with its renewal setting. The
 *   condition key `{id}:expiring:{30|7}:{expiry day}` raises each warning once per term: a
 *   commitment first seen 5 days before its end gets the 7-day warning only, and a renewed one
 *   (a new expiry) is warned again.
 * - `commitment.underutilized`, when a reservation or savings plan's utilisation over the partner's
 *   window (default the last 7 days with results) is under its threshold (default 80 %). Each
 *   commitment's state (`commitment_alert_state`) says whether it is under now and how many times it
 *   fell under; the key `{id}:underutilized:{episode}` raises the alert once when it falls under,
 *   never again while it stays under, and once more after it recovered (at or above the threshold)
 *   and fell again. A window counts only when it is whole (a result for each of its days) and
 *   recent (its last day within the window before today), so a commitment without fresh results
 *   neither alerts nor recovers.
 *
 * `guardrail.threshold.reached` is raised by the guardrails' own code (B2), not here.
 */
export interface AlertRun {
  expiring: number;
  underutilized: number;
}

const dayMs = 86_400_000;
/** The longest window `PUT /api/alert-settings` accepts. */
const maxWindowDays = 90;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const dayOf = (v: unknown) => (v instanceof Date ? isoDay(v) : String(v).slice(0, 10));

export async function runAlertChecks(db: Db, options: { now?: Date } = {}): Promise<AlertRun> {
  const now = options.now ?? new Date();
  return {
    expiring: await raiseExpiring(db, now),
    underutilized: await raiseUnderutilized(db, now),
  };
}

async function raiseExpiring(db: Db, now: Date): Promise<number> {
  const soon = await db
    .selectFrom('commitments')
    .select(['id', 'expires_at'])
    .where('status', '=', 'Succeeded')
    .where('expires_at', '>', now)
    .where('expires_at', '<=', new Date(now.getTime() + 30 * dayMs))
    .execute();
  let raised = 0;
  for (const { id, expires_at } of soon) {
    const left = Math.ceil((new Date(expires_at).getTime() - now.getTime()) / dayMs);
    const warning = left <= 7 ? 7 : 30;
    const key = `${id}:expiring:${warning}:${isoDay(new Date(expires_at))}`;
    const done = await db
      .selectFrom('partner_events')
      .select('id')
      .where('type', '=', 'commitment.expiring')
      .where('condition_key', '=', key)
      .executeTakeFirst();
    if (done) continue;
    const emitted = await db.transaction().execute(async (trx) => {
      const c = await trx
        .selectFrom('commitments')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      const customer = await trx
        .selectFrom('customers')
        .selectAll()
        .where('id', '=', c.customer_id)
        .executeTakeFirstOrThrow();
      return emitEvent(trx, {
        partnerId: c.partner_id,
        customerId: c.customer_id,
        type: 'commitment.expiring',
        conditionKey: key,
        occurredAt: now,
        data: {
          customer: customerRef(customer),
          commitment: commitmentRef(c),
          daysLeft: warning,
          renew: c.renew,
        },
      });
    });
    if (emitted) raised++;
  }
  return raised;
}

interface WindowRow {
  commitment_id: string;
  threshold: string;
  window_days: number;
  days: number;
  from_day: unknown;
  to_day: unknown;
  consumed: string;
  capacity: string;
}

async function raiseUnderutilized(db: Db, now: Date): Promise<number> {
  // The last `window` days with results of each active commitment, with its partner's settings.
  const { rows } = await sql<WindowRow>`
    with settings as (
      select p.id as partner_id,
        coalesce(s.underutilization_threshold_percent, 80) as threshold,
        coalesce(s.underutilization_window_days, 7) as window_days
      from partners p left join partner_alert_settings s on s.partner_id = p.id
    ),
    ranked as (
      select u.commitment_id, u.day, u.capacity, u.consumed, st.threshold, st.window_days,
        row_number() over (partition by u.commitment_id order by u.day desc) as rn
      from commitment_utilization u
      join commitments c on c.id = u.commitment_id
      join settings st on st.partner_id = c.partner_id
      -- A whole, recent window lies within the last 2 × 90 days (the longest window): older results
      -- can never count, so the check reads a bounded slice however long the history grows.
      where c.status = 'Succeeded' and u.day <= ${isoDay(now)}::date
        and u.day > ${isoDay(new Date(now.getTime() - 2 * maxWindowDays * dayMs))}::date
    )
    select commitment_id, threshold::text as threshold, window_days, count(*)::int as days,
      min(day) as from_day, max(day) as to_day,
      sum(consumed)::text as consumed, sum(capacity)::text as capacity
    from ranked where rn <= window_days
    group by commitment_id, threshold, window_days
  `.execute(db);

  const today = Date.parse(`${isoDay(now)}T00:00:00Z`);
  let raised = 0;
  for (const w of rows) {
    const to = dayOf(w.to_day);
    const whole = w.days === w.window_days;
    const recent = today - Date.parse(`${to}T00:00:00Z`) <= w.window_days * dayMs;
    const capacity = new Big(w.capacity);
    if (!whole || !recent || capacity.lte(0)) continue;
    const percent = new Big(w.consumed).div(capacity).times(100);
    const under = percent.lt(w.threshold);
    const emitted = await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('commitment_alert_state')
        .values({ commitment_id: w.commitment_id })
        .onConflict((oc) => oc.column('commitment_id').doNothing())
        .execute();
      const state = await trx
        .selectFrom('commitment_alert_state')
        .selectAll()
        .where('commitment_id', '=', w.commitment_id)
        .forUpdate()
        .executeTakeFirstOrThrow();
      if (under === state.underused) return null; // still under (already told), or still fine
      if (!under) {
        await trx
          .updateTable('commitment_alert_state')
          .set({ underused: false, updated_at: now })
          .where('commitment_id', '=', w.commitment_id)
          .execute();
        return null;
      }
      const episode = state.underuse_episode + 1;
      await trx
        .updateTable('commitment_alert_state')
        .set({ underused: true, underuse_episode: episode, updated_at: now })
        .where('commitment_id', '=', w.commitment_id)
        .execute();
      const c = await trx
        .selectFrom('commitments')
        .selectAll()
        .where('id', '=', w.commitment_id)
        .executeTakeFirstOrThrow();
      const customer = await trx
        .selectFrom('customers')
        .selectAll()
        .where('id', '=', c.customer_id)
        .executeTakeFirstOrThrow();
      return emitEvent(trx, {
        partnerId: c.partner_id,
        customerId: c.customer_id,
        type: 'commitment.underutilized',
        conditionKey: `${c.id}:underutilized:${episode}`,
        occurredAt: now,
        data: {
          customer: customerRef(customer),
          commitment: commitmentRef(c),
          utilizationPercent: Number(percent.round(2).toString()),
          thresholdPercent: Number(w.threshold),
          windowDays: w.window_days,
          from: dayOf(w.from_day),
          to,
        },
      });
    });
    if (emitted) raised++;
  }
  return raised;
}

/** The server's schedule: a check at start, then every `everyMs` (0: never). */
export function startAlertScheduler(
  db: Db,
  options: { everyMs: number; log: (line: string) => void },
): () => Promise<void> {
  if (options.everyMs <= 0) {
    options.log('Alert checks are off (MITRA_ALERTS_EVERY_MINUTES=0); `mitra alerts run` runs them once.');
    return async () => undefined;
  }
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = (async () => {
      try {
        const r = await runAlertChecks(db);
        if (r.expiring || r.underutilized)
          options.log(`alerts: ${r.expiring} expiring, ${r.underutilized} under-used commitment(s) raised`);
      } catch (error) {
        options.log(`alert checks failed: ${(error as Error).message}`);
      }
      if (!stopped) timer = setTimeout(tick, options.everyMs);
    })();
  };
  timer = setTimeout(tick, 0);
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await running;
  };
}
