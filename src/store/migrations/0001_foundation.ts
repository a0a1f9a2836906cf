import type { Kysely } from 'kysely';
import { runScript } from './script.ts';

/**
 * Tenants, identities, the partner-center customer model, catalog, prices, carts, orders, the
 * audit log and hourly usage. Money is `numeric`, never float; ids are uuids as in the APIs.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runScript(
    db,
    `
    create table partners (
      id uuid primary key,
      name text not null,
      domain text not null unique,
      country char(2) not null,
      currency char(3) not null,
      created_at timestamptz not null default now()
    );

    create table partner_users (
      id uuid primary key,
      partner_id uuid not null references partners(id),
      email text not null unique,
      display_name text not null,
      role text not null check (role in ('admin_agent', 'sales_agent', 'helpdesk_agent')),
      password_hash text not null,
      created_at timestamptz not null default now()
    );
    create index partner_users_partner on partner_users(partner_id);

    create table applications (
      id uuid primary key,
      partner_id uuid not null references partners(id),
      display_name text not null,
      secret_hash text not null,
      created_by uuid not null references partner_users(id),
      created_at timestamptz not null default now()
    );

    create table customers (
      id uuid primary key,
      partner_id uuid not null references partners(id),
      commerce_id uuid not null,
      company_name text not null,
      domain text not null unique,
      country char(2) not null,
      currency char(3) not null,
      culture text not null,
      language text not null,
      email text not null,
      first_name text not null,
      last_name text not null,
      address_line1 text not null,
      city text not null,
      state text not null default '',
      postal_code text not null,
      phone text not null default '',
      relationship text not null default 'reseller',
      created_at timestamptz not null default now()
    );
    create index customers_partner_name on customers(partner_id, company_name, id);

    create table customer_users (
      id uuid primary key,
      customer_id uuid not null references customers(id),
      email text not null unique,
      display_name text not null,
      password_hash text not null,
      created_at timestamptz not null default now()
    );
    create index customer_users_customer on customer_users(customer_id);

    create table subscriptions (
      id uuid primary key,
      customer_id uuid not null references customers(id),
      partner_id uuid not null references partners(id),
      entitlement_id uuid,
      offer_id text not null,
      offer_name text not null,
      friendly_name text not null,
      product_type text not null check (product_type in ('azure_plan', 'azure_global', 'license')),
      status text not null check (status in ('active', 'suspended', 'deleted', 'expired', 'pending', 'disabled')),
      quantity integer not null default 1,
      unit_type text not null,
      billing_type text not null check (billing_type in ('usage', 'license')),
      billing_cycle text not null,
      term_duration text,
      auto_renew boolean not null default false,
      order_id uuid,
      effective_start_date timestamptz not null default now(),
      commitment_end_date timestamptz,
      created_at timestamptz not null default now()
    );
    create index subscriptions_customer on subscriptions(customer_id);

    create table role_assignments (
      id uuid primary key,
      subscription_id uuid not null references subscriptions(id),
      customer_user_id uuid not null references customer_users(id),
      role text not null check (role in ('Owner', 'Contributor', 'Reader')),
      created_at timestamptz not null default now(),
      unique (subscription_id, customer_user_id, role)
    );
    create index role_assignments_user on role_assignments(customer_user_id);

    create table products (
      id text primary key,
      title text not null,
      description text not null,
      product_type text not null,
      target_view text not null,
      reservation_type text
    );

    create table skus (
      product_id text not null references products(id),
      id text not null,
      title text not null,
      description text not null,
      arm_sku_name text,
      region text,
      isf_group text,
      isf_ratio numeric(12, 6),
      minimum_quantity integer not null default 1,
      maximum_quantity integer not null default 1,
      provisioning_variables jsonb not null default '[]',
      primary key (product_id, id)
    );

    create table availabilities (
      product_id text not null,
      sku_id text not null,
      id text not null,
      catalog_item_id text not null unique,
      term_duration text,
      billing_cycles jsonb not null,
      primary key (product_id, sku_id, id),
      foreign key (product_id, sku_id) references skus(product_id, id)
    );

    create table price_lists (
      id uuid primary key,
      partner_id uuid references partners(id),
      kind text not null check (kind in ('retail', 'partner')),
      name text not null,
      currency char(3) not null,
      created_at timestamptz not null default now(),
      check ((kind = 'retail') = (partner_id is null))
    );
    create unique index price_lists_one_per_currency on price_lists(coalesce(partner_id, '00000000-0000-0000-0000-000000000000'), kind, currency);

    create table prices (
      price_list_id uuid not null references price_lists(id),
      catalog_item_id text not null,
      term_duration text not null default '',
      billing_plan text not null check (billing_plan in ('upfront', 'monthly', 'usage', 'license_monthly')),
      unit_price numeric(20, 6) not null check (unit_price >= 0),
      unit text not null,
      primary key (price_list_id, catalog_item_id, term_duration, billing_plan)
    );

    create table carts (
      id uuid primary key,
      customer_id uuid not null references customers(id),
      partner_id uuid not null references partners(id),
      status text not null check (status in ('active', 'ordered', 'expired')),
      line_items jsonb not null,
      last_modified_user text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      expires_at timestamptz not null
    );

    create table orders (
      id uuid primary key,
      customer_id uuid not null references customers(id),
      partner_id uuid not null references partners(id),
      cart_id uuid references carts(id),
      billing_cycle text not null,
      currency char(3) not null,
      status text not null check (status in ('pending', 'completed', 'cancelled')),
      transaction_type text not null,
      total_price numeric(20, 6) not null,
      bought_by text not null check (bought_by in ('partner', 'customer')),
      created_by text not null,
      created_at timestamptz not null default now()
    );
    create index orders_customer on orders(customer_id, created_at);

    create table order_line_items (
      order_id uuid not null references orders(id),
      line_item_number integer not null,
      offer_id text not null,
      friendly_name text not null,
      quantity integer not null check (quantity > 0),
      term_duration text,
      billing_cycle text not null,
      unit_price numeric(20, 6) not null,
      subscription_id uuid references subscriptions(id),
      provisioning_context jsonb not null default '{}',
      transaction_type text not null default 'new',
      primary key (order_id, line_item_number)
    );

    create table audit_records (
      seq bigserial primary key,
      id uuid not null unique,
      partner_id uuid not null references partners(id),
      customer_id uuid,
      customer_name text,
      actor_kind text not null check (actor_kind in ('partner_user', 'customer_user', 'application', 'system')),
      actor_id uuid,
      user_principal_name text,
      application_id uuid,
      resource_type text not null,
      operation_type text not null,
      operation_status text not null check (operation_status in ('succeeded', 'failed', 'progress', 'decline')),
      resource_old_value text,
      resource_new_value text,
      correlation_id text not null,
      customized_data jsonb not null default '[]',
      operation_date timestamptz not null default now()
    );
    create index audit_records_partner_date on audit_records(partner_id, operation_date, seq);

    create table sessions (
      id text primary key,
      principal_kind text not null check (principal_kind in ('partner_user', 'customer_user')),
      principal_id uuid not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null
    );

    create table signing_keys (
      id text primary key,
      secret text not null,
      created_at timestamptz not null default now()
    );

    create table usage_records (
      id bigserial primary key,
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
      benefit_eligible boolean not null default true
    );
    create index usage_records_customer_hour on usage_records(customer_id, hour);
  `,
  );
}

export async function down(): Promise<void> {
  throw new Error('the foundation migration cannot be undone; restore from a backup instead');
}
