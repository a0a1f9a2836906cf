import type { Kysely } from 'kysely';
import { runScript } from './script.ts';

/**
 * Spend guardrails (B2). `customer_guardrails` holds a customer's monthly limit and approval
 * threshold, each an amount in a currency (converted to the customer's billing currency at the
 * stored rate when a purchase is checked); no row, or nulls, mean no guardrail.
 *
 * `purchase_approvals` is a customer's purchase held above the threshold: the request as parsed
 * (a CommitmentRequest), the price the customer accepted, and where the purchase goes once bought
 * (`order_id` is the commitment's order id: ARM's reservation order id from calculatePrice, so the
 * SDK's final GET finds it; `idempotency_scope`/`key` the Mitra or ARM alias key whose result is
 * set when it is bought). Status: pending → approved | declined; pending → price-changed (the price
 * moved when an Admin agent approved) → pending again when the customer confirms the new price.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runScript(
    db,
    `
    create table customer_guardrails (
      customer_id uuid primary key references customers(id),
      partner_id uuid not null references partners(id),
      monthly_limit_amount numeric(18, 2),
      monthly_limit_currency text,
      approval_threshold_amount numeric(18, 2),
      approval_threshold_currency text,
      changed_at timestamptz not null,
      changed_by text not null
    );

    create table purchase_approvals (
      id uuid primary key,
      partner_id uuid not null references partners(id),
      customer_id uuid not null references customers(id),
      kind text not null,
      request jsonb not null,
      request_hash text not null,
      order_id uuid not null,
      quote_id uuid unique,
      idempotency_scope text,
      idempotency_key text,
      price jsonb not null,
      total numeric(18, 6) not null,
      currency text not null,
      threshold_amount numeric(18, 2) not null,
      threshold_currency text not null,
      requested_by text not null,
      requested_by_user_id uuid not null references customer_users(id),
      requested_at timestamptz not null,
      status text not null default 'pending',
      decided_by text,
      decided_at timestamptz,
      reason text,
      new_price jsonb,
      commitment_id uuid references commitments(id)
    );
    create index purchase_approvals_partner on purchase_approvals (partner_id, status, requested_at desc);
    create index purchase_approvals_customer on purchase_approvals (customer_id, requested_at desc);
  `,
  );
}

export async function down(): Promise<void> {
  throw new Error('migrations are not undone; restore from a backup instead');
}
