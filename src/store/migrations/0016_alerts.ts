import type { Kysely } from 'kysely';
import { runScript } from './script.ts';

/**
 * Alerts (B11). `partner_alert_settings` holds a partner's own under-use threshold and window (no
 * row: 80 % over 7 days). `commitment_alert_state` remembers, per commitment, whether it is under
 * used right now and how many times it fell under: the `commitment.underutilized` event's condition
 * key is `{commitmentId}:underutilized:{episode}`, so the alert is raised once when a commitment
 * falls under, not at every check while it stays there, and again if it recovers and falls again.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runScript(
    db,
    `
    create table partner_alert_settings (
      partner_id uuid primary key references partners(id),
      underutilization_threshold_percent numeric(5, 2) not null,
      underutilization_window_days integer not null,
      updated_at timestamptz not null default now()
    );

    create table commitment_alert_state (
      commitment_id uuid primary key references commitments(id),
      underused boolean not null default false,
      underuse_episode integer not null default 0,
      updated_at timestamptz not null default now()
    );
  `,
  );
}

export async function down(): Promise<void> {
  throw new Error('migrations are not undone; restore from a backup instead');
}
