import type { Kysely } from 'kysely';
import { runScript } from './script.ts';

/**
 * The per-customer cost management switch (R17). No row means the switch was never set: cost
 * management is off. The row keeps who last changed it and when; the activity log keeps the history.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runScript(
    db,
    `
    create table cost_management_settings (
      customer_id uuid primary key references customers(id),
      partner_id uuid not null references partners(id),
      enabled boolean not null,
      changed_at timestamptz not null,
      changed_by text not null
    );
  `,
  );
}

export async function down(): Promise<void> {
  throw new Error('migrations are not undone; restore from a backup instead');
}
