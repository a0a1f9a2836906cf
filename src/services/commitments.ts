import type { Actor } from '../domain/actor.ts';
import { notFound } from '../domain/errors.ts';
import { isUuid } from '../domain/ids.ts';
import { authorize } from '../domain/policies.ts';
import type { Db } from '../store/db.ts';
import type { CommitmentKind, Customer, SubscriptionRole } from '../store/schema.ts';
import type { Call } from './call.ts';
import { findOwnCustomer } from './customers.ts';

export type Commitment = Awaited<ReturnType<typeof selectCommitment>>;

const selectCommitment = (db: Db, id: string) =>
  db.selectFrom('commitments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

export const commitmentNotFound = (kind: CommitmentKind, id: string) =>
  notFound(
    kind === 'reservation' ? 'reservation-not-found' : 'savings-plan-not-found',
    `No ${kind === 'reservation' ? 'reservation' : 'savings plan'} ${id} exists among yours; list them first.`,
  );

/** The customer a caller acts on: a customer user's own tenant, or a partner's customer. */
export async function customerOf(db: Db, actor: Actor, customerId?: string): Promise<Customer> {
  if (actor.kind === 'customer_user') return findOwnCustomer(db, actor, actor.customerId);
  if (!customerId) throw notFound('customer-not-found', 'Name the customer.');
  return findOwnCustomer(db, actor, customerId);
}

export interface CommitmentFilter {
  kind: CommitmentKind;
  /** Partner views of savings plans: include the customer's own (Mitra's views only, B3). */
  includeCustomerSavingsPlans?: boolean;
}

/**
 * Lists a customer's reservations or savings plans. Customers see all of theirs. Partners see
 * every reservation, and savings plans they bought — a customer's own savings plans only in
 * Mitra's views, never through the partner-center dialect (R10, R11, B3).
 */
export async function listCommitments(db: Db, call: Call, customer: Customer, filter: CommitmentFilter) {
  if (call.actor.kind !== 'customer_user') authorize(call.actor, 'partnerRead');
  let q = db
    .selectFrom('commitments')
    .selectAll()
    .where('customer_id', '=', customer.id)
    .where('kind', '=', filter.kind);
  if (
    call.actor.kind !== 'customer_user' &&
    filter.kind === 'savings_plan' &&
    !filter.includeCustomerSavingsPlans
  ) {
    q = q.where('bought_by', '=', 'partner');
  }
  return q.orderBy('purchased_at', 'desc').orderBy('id').execute();
}

/** One commitment by its id or its order id, under the same visibility as the list. */
export async function getCommitment(
  db: Db,
  call: Call,
  customer: Customer,
  kind: CommitmentKind,
  id: string,
  filter: Omit<CommitmentFilter, 'kind'> = {},
) {
  if (!isUuid(id)) throw commitmentNotFound(kind, id);
  const all = await listCommitments(db, call, customer, { kind, ...filter });
  const found = all.find((c) => c.id === id.toLowerCase() || c.order_id === id.toLowerCase());
  if (!found) throw commitmentNotFound(kind, id);
  return found;
}

/** A customer user's roles on a commitment's billing subscription. */
export async function rolesOnBilling(
  db: Db,
  actor: Actor,
  billingSubscriptionId: string,
): Promise<SubscriptionRole[]> {
  if (actor.kind !== 'customer_user') return [];
  const rows = await db
    .selectFrom('role_assignments')
    .select('role')
    .where('subscription_id', '=', billingSubscriptionId)
    .where('customer_user_id', '=', actor.userId)
    .execute();
  return rows.map((r) => r.role);
}

export { selectCommitment };
