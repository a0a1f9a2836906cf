import type { Kysely } from 'kysely';
import { runScript } from './script.ts';

/**
 * Ledger entries carry the day they belong to (`entry_date`, inside `billing_month`), so bills are
 * dated by period rather than by when a row was written; usage charges join the ledger; a
 * commitment remembers who exchanged it. Existing rows get their day from what they record: an
 * instalment bills on its purchase's day of the month, anything else on the day it was written
 * when that day lies in its month, else the month's first day.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runScript(
    db,
    `
    alter table ledger_entries add column entry_date date;
    alter table ledger_entries disable trigger ledger_append_only;
    update ledger_entries e set entry_date = case
      when e.entry_type in ('instalment', 'cancelled_instalment', 'purchase') and c.id is not null then
        make_date(
          extract(year from e.billing_month)::int,
          extract(month from e.billing_month)::int,
          least(
            extract(day from c.purchased_at at time zone 'UTC')::int,
            extract(day from (e.billing_month + interval '1 month' - interval '1 day'))::int
          )
        )
      when date_trunc('month', e.created_at at time zone 'UTC')::date = e.billing_month then
        (e.created_at at time zone 'UTC')::date
      else e.billing_month
    end
    from ledger_entries e2 left join commitments c on c.id = e2.commitment_id
    where e2.id = e.id;
    alter table ledger_entries enable trigger ledger_append_only;
    alter table ledger_entries alter column entry_date set not null;
    alter table ledger_entries add constraint ledger_entry_in_its_month
      check (date_trunc('month', entry_date)::date = billing_month);
    alter table ledger_entries drop constraint ledger_entries_entry_type_check;
    alter table ledger_entries add constraint ledger_entries_entry_type_check
      check (entry_type in ('purchase', 'instalment', 'refund', 'cancelled_instalment', 'exchange_credit', 'usage'));
    alter table ledger_entries add column subscription_id uuid references subscriptions(id);
    alter table commitments add column exchanged_by_principal text;
  `,
  );
}

export async function down(): Promise<void> {
  throw new Error('migrations are not undone; restore from a backup instead');
}
