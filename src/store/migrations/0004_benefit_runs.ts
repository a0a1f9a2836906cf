import type { Kysely } from 'kysely';
import { runScript } from './script.ts';

/**
 * Benefit application results: per usage row (what covered it, actual and amortized cost) and per
 * commitment per day (capacity and consumption, for utilisation). A run replaces its period's
 * results exactly. Background work is a job table drained with SKIP LOCKED by any number of
 * worker processes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runScript(
    db,
    `
    alter table usage_records add column sp_unit_price_p1y numeric(20, 6);
    alter table usage_records add column sp_unit_price_p3y numeric(20, 6);

    create table benefit_runs (
      id uuid primary key,
      customer_id uuid not null references customers(id),
      period_start timestamptz not null,
      period_end timestamptz not null,
      status text not null check (status in ('running', 'succeeded', 'failed')),
      usage_rows integer not null default 0,
      worker text not null,
      started_at timestamptz not null default now(),
      finished_at timestamptz,
      error text
    );
    create index benefit_runs_customer on benefit_runs(customer_id, started_at);

    create table usage_benefits (
      usage_id bigint primary key references usage_records(id) on delete cascade,
      customer_id uuid not null references customers(id),
      hour timestamptz not null,
      coverage jsonb not null,
      payg_quantity numeric(24, 9) not null,
      actual_cost numeric(24, 9) not null,
      amortized_cost numeric(24, 9) not null
    );
    create index usage_benefits_customer_hour on usage_benefits(customer_id, hour);

    create table commitment_utilization (
      commitment_id uuid not null references commitments(id),
      customer_id uuid not null references customers(id),
      day date not null,
      capacity numeric(24, 9) not null,
      consumed numeric(24, 9) not null,
      primary key (commitment_id, day)
    );
    create index commitment_utilization_customer_day on commitment_utilization(customer_id, day);

    create table jobs (
      id bigserial primary key,
      kind text not null,
      payload jsonb not null,
      status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
      attempts integer not null default 0,
      run_after timestamptz not null default now(),
      locked_by text,
      locked_at timestamptz,
      created_at timestamptz not null default now(),
      finished_at timestamptz,
      error text
    );
    create index jobs_ready on jobs(status, run_after, id);
  `,
  );
}

export async function down(): Promise<void> {
  throw new Error('migrations are not undone; restore from a backup instead');
}
