import type { Kysely } from 'kysely';
import { runScript } from './script.ts';

/**
 * What cost views read (R17, B6): usage rows may name their resource, and every benefit run writes
 * daily rollups of its period's results — per customer, day, subscription, resource group,
 * resource, meter and region — in the transaction that replaces the period, so a cost query over
 * months reads thousands of rollup rows instead of millions of usage rows. Commitments' daily
 * utilisation also keeps the amortized cost of what went unused (UnusedReservation /
 * UnusedBenefit charges).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runScript(
    db,
    `
    alter table usage_records add column resource_id text;

    create table usage_daily_costs (
      customer_id uuid not null references customers(id),
      day date not null,
      subscription_id uuid not null references subscriptions(id),
      resource_group text not null,
      resource_id text not null default '',
      meter_category text not null,
      sku text not null,
      region text not null,
      usage_rows integer not null,
      quantity numeric(24, 9) not null,
      covered_quantity numeric(24, 9) not null,
      retail_cost numeric(30, 12) not null,
      actual_cost numeric(30, 12) not null,
      amortized_cost numeric(30, 12) not null,
      primary key (customer_id, day, subscription_id, resource_group, resource_id, meter_category, sku, region)
    );

    alter table commitment_utilization add column unused_cost numeric(24, 9) not null default 0;
  `,
  );
}

export async function down(): Promise<void> {
  throw new Error('migrations are not undone; restore from a backup instead');
}
