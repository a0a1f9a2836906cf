import type { Kysely } from 'kysely';
import { runScript } from './script.ts';

/**
 * Reservations and savings plans ("commitments"), the price quotes that precede an ARM purchase,
 * idempotency keys, and the partner's ledger. Ledger rows are never updated or deleted — the
 * trigger refuses it — corrections are new rows (R8, R14).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runScript(
    db,
    `
    create table commitments (
      id uuid primary key,
      order_id uuid not null unique,
      kind text not null check (kind in ('reservation', 'savings_plan')),
      customer_id uuid not null references customers(id),
      partner_id uuid not null references partners(id),
      billing_subscription_id uuid not null references subscriptions(id),
      partner_order_id uuid references orders(id),
      bought_by text not null check (bought_by in ('partner', 'customer')),
      bought_by_principal text not null,
      display_name text not null,
      catalog_item_id text,
      sku text not null,
      region text,
      reserved_resource_type text,
      instance_flexibility text,
      quantity integer not null check (quantity > 0),
      hourly_commitment numeric(20, 6),
      term text not null check (term in ('P1Y', 'P3Y')),
      billing_plan text not null check (billing_plan in ('Upfront', 'Monthly')),
      applied_scope_type text not null check (applied_scope_type in ('Shared', 'Single', 'ResourceGroup', 'ManagementGroup')),
      applied_scope jsonb not null default '{}',
      renew boolean not null default false,
      status text not null check (status in ('Succeeded', 'Cancelled', 'Expired', 'Exchanged')),
      currency char(3) not null,
      unit_price numeric(20, 6) not null,
      retail_unit_price numeric(20, 6) not null,
      total_price numeric(20, 6) not null,
      purchased_at timestamptz not null default now(),
      expires_at timestamptz not null,
      etag integer not null default 1,
      exchanged_into uuid,
      exchanged_from uuid,
      updated_at timestamptz not null default now()
    );
    create index commitments_customer on commitments(customer_id, kind, purchased_at);

    create table price_quotes (
      id uuid primary key,
      kind text not null check (kind in ('reservation', 'savings_plan')),
      customer_id uuid not null references customers(id),
      principal text not null,
      request jsonb not null,
      price jsonb not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_by uuid
    );

    create table idempotency_keys (
      scope text not null,
      key text not null,
      request_hash text not null,
      result jsonb,
      created_at timestamptz not null default now(),
      primary key (scope, key)
    );

    create table ledger_entries (
      id bigserial primary key,
      partner_id uuid not null references partners(id),
      customer_id uuid not null references customers(id),
      commitment_id uuid references commitments(id),
      entry_type text not null check (entry_type in ('purchase', 'instalment', 'refund', 'cancelled_instalment', 'exchange_credit')),
      billing_month date not null,
      amount numeric(20, 6) not null,
      currency char(3) not null,
      description text not null,
      correlation_id text not null,
      created_at timestamptz not null default now()
    );
    create index ledger_entries_customer_month on ledger_entries(customer_id, billing_month);

    create function ledger_is_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'ledger entries are never changed or deleted; write a correcting entry instead';
    end;
    $$;
    create trigger ledger_append_only before update or delete on ledger_entries
      for each row execute function ledger_is_append_only();
  `,
  );
}

export async function down(): Promise<void> {
  throw new Error('migrations are not undone; restore from a backup instead');
}
