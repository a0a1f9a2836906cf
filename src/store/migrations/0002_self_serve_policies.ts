import type { Kysely } from 'kysely';
import { runScript } from './script.ts';

/**
 * Customer permissions ("self-serve policies"): one policy per partner/customer pair, holding the
 * resources the customer may buy. No row means everything is off (rule R1). The etag guards
 * concurrent updates through the partner-center dialect.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runScript(
    db,
    `
    create table self_serve_policies (
      customer_id uuid primary key references customers(id),
      partner_id uuid not null references partners(id),
      permissions jsonb not null,
      etag uuid not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index self_serve_policies_partner on self_serve_policies(partner_id);
  `,
  );
}

export async function down(): Promise<void> {
  throw new Error('migrations are not undone; restore from a backup instead');
}
