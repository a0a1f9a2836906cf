import type { Kysely } from 'kysely';
import { runScript } from './script.ts';

/**
 * Usage and its per-row benefit results, partitioned by month (PostgreSQL declarative range
 * partitioning; PGlite is the same PostgreSQL, so the same DDL runs embedded). A month's rows
 * live in one partition: queries of a period touch only its months, and a month can be detached
 * and archived (to Parquet, see docs/scale.md) without a long delete. Partitions are made ahead
 * of time by `ensureUsagePartitions` (src/store/partitions.ts); rows of a month without one land
 * in the default partition, which stays correct, only unpruned.
 *
 * A partitioned table's primary key must hold the partition key, hence (id, hour); the results
 * name their usage row by the same pair. There is no foreign key between the two: PostgreSQL
 * checks a key into a partitioned table with one planned query per inserted row, which made
 * writing a run's results twenty times slower; results are only ever written by a benefit run
 * from the usage rows it has just read, and usage rows are never deleted.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runScript(
    db,
    `
    alter table usage_records rename to usage_records_unpartitioned;
    alter table usage_benefits rename to usage_benefits_unpartitioned;
    alter index usage_records_customer_hour rename to usage_records_unpartitioned_customer_hour;
    alter index usage_benefits_customer_hour rename to usage_benefits_unpartitioned_customer_hour;

    create table usage_records (
      id bigint not null default nextval('usage_records_id_seq'),
      customer_id uuid not null references customers(id),
      subscription_id uuid not null references subscriptions(id),
      hour timestamptz not null,
      resource_group text not null,
      region text not null,
      meter_category text not null,
      reserved_resource_type text,
      sku text not null,
      quantity numeric(20, 6) not null check (quantity >= 0),
      payg_unit_price numeric(20, 6) not null,
      benefit_eligible boolean not null default true,
      sp_unit_price_p1y numeric(20, 6),
      sp_unit_price_p3y numeric(20, 6),
      resource_id text,
      primary key (id, hour)
    ) partition by range (hour);
    create index usage_records_customer_hour on usage_records(customer_id, hour);
    create table usage_records_default partition of usage_records default;

    create table usage_benefits (
      usage_id bigint not null,
      hour timestamptz not null,
      customer_id uuid not null references customers(id),
      coverage jsonb not null,
      payg_quantity numeric(24, 9) not null,
      actual_cost numeric(24, 9) not null,
      amortized_cost numeric(24, 9) not null,
      primary key (usage_id, hour)
    ) partition by range (hour);
    create index usage_benefits_customer_hour on usage_benefits(customer_id, hour);
    create table usage_benefits_default partition of usage_benefits default;

    do $$
    declare m timestamptz;
    begin
      for m in select distinct date_trunc('month', hour at time zone 'UTC') at time zone 'UTC'
               from usage_records_unpartitioned loop
        execute format(
          'create table %I partition of usage_records for values from (%L) to (%L)',
          'usage_records_' || to_char(m at time zone 'UTC', 'YYYY_MM'), m, m + interval '1 month');
        execute format(
          'create table %I partition of usage_benefits for values from (%L) to (%L)',
          'usage_benefits_' || to_char(m at time zone 'UTC', 'YYYY_MM'), m, m + interval '1 month');
      end loop;
    end $$;

    insert into usage_records (id, customer_id, subscription_id, hour, resource_group, region,
      meter_category, reserved_resource_type, sku, quantity, payg_unit_price, benefit_eligible,
      sp_unit_price_p1y, sp_unit_price_p3y, resource_id)
    select id, customer_id, subscription_id, hour, resource_group, region, meter_category,
      reserved_resource_type, sku, quantity, payg_unit_price, benefit_eligible, sp_unit_price_p1y,
      sp_unit_price_p3y, resource_id
    from usage_records_unpartitioned;

    insert into usage_benefits (usage_id, hour, customer_id, coverage, payg_quantity, actual_cost,
      amortized_cost)
    select usage_id, hour, customer_id, coverage, payg_quantity, actual_cost, amortized_cost
    from usage_benefits_unpartitioned;

    drop table usage_benefits_unpartitioned;
    alter sequence usage_records_id_seq owned by usage_records.id;
    drop table usage_records_unpartitioned;
  `,
  );
}

export async function down(): Promise<void> {
  throw new Error('migrations are not undone; restore from a backup instead');
}
