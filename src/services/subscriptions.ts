import type { Actor } from '../domain/actor.ts';
import { invalid, notFound } from '../domain/errors.ts';
import { isUuid } from '../domain/ids.ts';
import { authorize } from '../domain/policies.ts';
import type { Db } from '../store/db.ts';
import type { Subscription, SubscriptionRole } from '../store/schema.ts';
import type { Call } from './call.ts';
import { findOwnCustomer } from './customers.ts';

export const subscriptionNotFound = (id: string) =>
  notFound(
    'subscription-not-found',
    `No subscription ${id} exists for this customer; list them with GET /v1/customers/{id}/subscriptions.`,
    20003,
  );

export async function listSubscriptions(
  db: Db,
  call: Call,
  customerId: string,
  filter: { orderId?: string } = {},
): Promise<Subscription[]> {
  authorize(call.actor, 'partnerRead');
  await findOwnCustomer(db, call.actor, customerId);
  let q = db.selectFrom('subscriptions').selectAll().where('customer_id', '=', customerId);
  if (filter.orderId !== undefined) {
    if (!isUuid(filter.orderId))
      throw invalid('invalid-order-id', 'order_id must be an order id (a GUID) from the order history.');
    q = q.where('order_id', '=', filter.orderId);
  }
  return q.orderBy('created_at').orderBy('id').execute();
}

export async function getSubscription(
  db: Db,
  call: Call,
  customerId: string,
  subscriptionId: string,
): Promise<Subscription> {
  authorize(call.actor, 'partnerRead');
  await findOwnCustomer(db, call.actor, customerId);
  return findSubscription(db, call.actor, customerId, subscriptionId);
}

export async function findSubscription(
  db: Db,
  actor: Actor,
  customerId: string,
  subscriptionId: string,
): Promise<Subscription> {
  if (!isUuid(subscriptionId)) throw subscriptionNotFound(subscriptionId);
  const sub = await db
    .selectFrom('subscriptions')
    .selectAll()
    .where('id', '=', subscriptionId)
    .where('customer_id', '=', customerId)
    .where('partner_id', '=', actor.partnerId)
    .executeTakeFirst();
  if (!sub) throw subscriptionNotFound(subscriptionId);
  return sub;
}

/** The customer portal's view: the subscriptions a customer user holds a role on, with the roles. */
export async function listMySubscriptions(
  db: Db,
  call: Call,
): Promise<(Subscription & { roles: SubscriptionRole[] })[]> {
  authorize(call.actor, 'customerSelf');
  const actor = call.actor as Extract<Actor, { kind: 'customer_user' }>;
  const rows = await db
    .selectFrom('role_assignments')
    .innerJoin('subscriptions', 'subscriptions.id', 'role_assignments.subscription_id')
    .selectAll('subscriptions')
    .select('role_assignments.role')
    .where('role_assignments.customer_user_id', '=', actor.userId)
    .where('subscriptions.customer_id', '=', actor.customerId)
    .orderBy('subscriptions.created_at')
    .execute();
  const bySubscription = new Map<string, Subscription & { roles: SubscriptionRole[] }>();
  for (const { role, ...sub } of rows) {
    const entry = bySubscription.get(sub.id) ?? { ...sub, roles: [] };
    entry.roles.push(role);
    bySubscription.set(sub.id, entry);
  }
  return [...bySubscription.values()];
}
