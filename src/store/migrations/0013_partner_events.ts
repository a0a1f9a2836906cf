import type { Kysely } from 'kysely';
import { runScript } from './script.ts';

/**
 * What happened that a partner wants to hear about (B1, B11), and the ways it reaches them.
 *
 * `partner_events` is the one record of each event; it is written in the transaction of the change
 * it reports, together with its fan-out: one `webhook_deliveries` row per endpoint that chose the
 * type, one `notifications` row per partner user who keeps it in the feed, one `email_outbox` row
 * per user who chose it by e-mail. Workers send deliveries and e-mails later, so a crash between
 * the change and the sending loses nothing. Alerts carry a `condition_key`: one event per
 * condition (a commitment under-used this week, a limit 80% reached this month), not one per check.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runScript(
    db,
    `
    create table partner_events (
      id uuid primary key,
      partner_id uuid not null references partners(id),
      customer_id uuid references customers(id),
      type text not null,
      occurred_at timestamptz not null,
      data jsonb not null,
      condition_key text
    );
    create index partner_events_partner_time on partner_events (partner_id, occurred_at desc);
    create unique index partner_events_condition on partner_events (partner_id, type, condition_key)
      where condition_key is not null;

    create table webhook_endpoints (
      id uuid primary key,
      partner_id uuid not null references partners(id),
      url text not null,
      description text not null default '',
      events jsonb not null,
      secret text not null,
      previous_secret text,
      previous_secret_until timestamptz,
      enabled boolean not null default true,
      disabled_reason text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index webhook_endpoints_partner on webhook_endpoints (partner_id);

    create table webhook_deliveries (
      id text primary key,
      endpoint_id uuid not null references webhook_endpoints(id),
      event_id uuid not null references partner_events(id),
      partner_id uuid not null references partners(id),
      status text not null default 'pending',
      attempts integer not null default 0,
      next_attempt_at timestamptz not null,
      locked_until timestamptz,
      last_response_status integer,
      last_error text,
      created_at timestamptz not null default now(),
      delivered_at timestamptz
    );
    create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where status = 'pending';
    create index webhook_deliveries_endpoint on webhook_deliveries (endpoint_id, created_at desc);

    create table webhook_attempts (
      id bigserial primary key,
      delivery_id text not null references webhook_deliveries(id),
      attempted_at timestamptz not null,
      response_status integer,
      error text,
      duration_ms integer not null,
      replay boolean not null default false
    );
    create index webhook_attempts_delivery on webhook_attempts (delivery_id, id);

    create table notification_preferences (
      partner_user_id uuid not null references partner_users(id),
      event_type text not null,
      in_app boolean not null,
      email boolean not null,
      primary key (partner_user_id, event_type)
    );

    create table notifications (
      id uuid primary key,
      partner_user_id uuid not null references partner_users(id),
      event_id uuid not null references partner_events(id),
      created_at timestamptz not null,
      read_at timestamptz
    );
    create index notifications_user on notifications (partner_user_id, created_at desc);
    create index notifications_unread on notifications (partner_user_id) where read_at is null;

    create table email_outbox (
      id uuid primary key,
      event_id uuid not null references partner_events(id),
      partner_user_id uuid not null references partner_users(id),
      to_address text not null,
      status text not null default 'pending',
      attempts integer not null default 0,
      next_attempt_at timestamptz not null,
      locked_until timestamptz,
      last_error text,
      created_at timestamptz not null default now(),
      sent_at timestamptz
    );
    create index email_outbox_due on email_outbox (next_attempt_at) where status = 'pending';
  `,
  );
}

export async function down(): Promise<void> {
  throw new Error('migrations are not undone; restore from a backup instead');
}
