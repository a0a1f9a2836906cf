import type { Kysely } from 'kysely';
import { runScript } from './script.ts';

/**
 * Customer prices the partner controls (R14, B9): price lists as versions dated by the moment they
 * take effect, one series per customer and one for the partner's default. A version is never
 * changed: a change is a new version, so the price in effect at any past moment can always be
 * told again. The partner's own cost comes from the cloud's price sheet (`mitra prices import`),
 * and whether customers see retail beside their price is a partner setting.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runScript(
    db,
    `
    create table price_list_versions (
      id uuid primary key,
      -- Order of creation: of two versions effective at the same moment, the later one wins.
      seq bigserial not null unique,
      partner_id uuid not null references partners(id),
      -- null: the partner's default list, used by every customer without a list of its own.
      customer_id uuid references customers(id),
      effective_from timestamptz not null,
      markup_usage numeric(7, 2) not null check (markup_usage between -100 and 1000),
      markup_reservations numeric(7, 2) not null check (markup_reservations between -100 and 1000),
      markup_savings_plans numeric(7, 2) not null check (markup_savings_plans between -100 and 1000),
      markup_licences numeric(7, 2) not null check (markup_licences between -100 and 1000),
      created_by text not null,
      created_at timestamptz not null default now()
    );
    create index price_list_versions_in_effect
      on price_list_versions(partner_id, customer_id, effective_from desc, seq desc);

    create table price_list_overrides (
      version_id uuid not null references price_list_versions(id),
      catalog_item_id text not null,
      -- '' matches every term and every billing plan of the item.
      term_duration text not null default '',
      billing_plan text not null default ''
        check (billing_plan in ('', 'upfront', 'monthly', 'usage', 'license_monthly')),
      unit_price numeric(20, 6) check (unit_price >= 0),
      markup_percent numeric(7, 2) check (markup_percent between -100 and 1000),
      check ((unit_price is null) <> (markup_percent is null)),
      primary key (version_id, catalog_item_id, term_duration, billing_plan)
    );

    create function price_list_is_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'price list versions are never changed or deleted; save a new version instead';
    end;
    $$;
    create trigger price_list_versions_append_only before update or delete on price_list_versions
      for each row execute function price_list_is_append_only();
    create trigger price_list_overrides_append_only before update or delete on price_list_overrides
      for each row execute function price_list_is_append_only();

    alter table partners add column show_retail_to_customers boolean not null default true;

    create table partner_costs (
      partner_id uuid not null references partners(id),
      catalog_item_id text not null,
      term_duration text not null default '',
      billing_plan text not null check (billing_plan in ('upfront', 'monthly', 'usage', 'license_monthly')),
      effective_start date not null,
      -- Exclusive, and null while the price sheet names no end.
      effective_end date,
      unit_price numeric(20, 6) not null check (unit_price >= 0),
      currency char(3) not null,
      imported_at timestamptz not null default now(),
      primary key (partner_id, catalog_item_id, term_duration, billing_plan, effective_start)
    );
  `,
  );
}

export async function down(): Promise<void> {
  throw new Error('migrations are not undone; restore from a backup instead');
}
