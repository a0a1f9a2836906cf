import type { Kysely } from 'kysely';
import { runScript } from './script.ts';

/**
 * Customer invoices (B10), the months a partner has closed, gap-free numbering, exchange rates and
 * each customer's tax. Rates have a scope: 'global' (imported by the operator's CLI) or a
 * partner's id (imported by its Admin agents), so one partner can never change another's invoices. An issued invoice is immutable (a trigger refuses changes); corrections
 * are credit notes, numbered in their own gap-free sequence.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runScript(
    db,
    `
    create table exchange_rates (
      scope text not null,
      base_currency char(3) not null,
      quote_currency char(3) not null,
      rate_date date not null,
      rate numeric(24, 10) not null check (rate > 0),
      source text not null,
      imported_at timestamptz not null default now(),
      primary key (scope, base_currency, quote_currency, rate_date)
    );

    alter table customers add column tax_rate numeric(7, 4) not null default 0 check (tax_rate >= 0 and tax_rate < 100);
    alter table customers add column tax_name text not null default 'VAT';

    create table billing_periods (
      partner_id uuid not null references partners(id),
      month date not null,
      closed_at timestamptz not null default now(),
      closed_by text not null,
      primary key (partner_id, month)
    );

    create table invoice_sequences (
      partner_id uuid not null references partners(id),
      kind text not null check (kind in ('invoice', 'credit_note')),
      last_number integer not null default 0,
      primary key (partner_id, kind)
    );

    create table invoices (
      id uuid primary key,
      partner_id uuid not null references partners(id),
      customer_id uuid not null references customers(id),
      kind text not null check (kind in ('invoice', 'credit_note')),
      month date not null,
      sequence integer not null,
      number text not null,
      issued_at timestamptz not null,
      issued_by text not null,
      currency char(3) not null,
      ledger_currency char(3) not null,
      fx_rate numeric(24, 10),
      fx_rate_date date,
      tax_name text not null,
      tax_rate numeric(7, 4) not null,
      subtotal numeric(20, 6) not null,
      tax numeric(20, 6) not null,
      total numeric(20, 6) not null,
      lines jsonb not null,
      bill_to jsonb not null,
      corrects uuid references invoices(id),
      reason text,
      unique (partner_id, kind, sequence),
      unique (partner_id, number)
    );
    create unique index invoices_one_per_month on invoices(customer_id, month) where kind = 'invoice' and corrects is null;
    create index invoices_customer on invoices(customer_id, month);

    create function invoice_is_immutable() returns trigger language plpgsql as $$
    begin
      raise exception 'issued invoices are never changed or deleted; issue a credit note instead';
    end;
    $$;
    create trigger invoice_immutable before update or delete on invoices
      for each row execute function invoice_is_immutable();
  `,
  );
}

export async function down(): Promise<void> {
  throw new Error('migrations are not undone; restore from a backup instead');
}
