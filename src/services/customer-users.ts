import { authorize } from '../domain/policies.ts';
import type { Db } from '../store/db.ts';
import type { SubscriptionRole } from '../store/schema.ts';
import { type Call, inTransaction } from './call.ts';
import {
  type CreatedCustomerUser,
  insertCustomerUser,
  type NewCustomerUser,
  prepareCustomerUser,
} from './customer-user-accounts.ts';
import { findOwnCustomer } from './customers.ts';

export interface CustomerUserRow {
  id: string;
  email: string;
  displayName: string;
  createdAt: Date;
  /** The user's roles on the customer's subscriptions (R7): what the user may do there. */
  roles: { subscriptionId: string; subscriptionName: string; role: SubscriptionRole }[];
}

/** The users of one of the partner's customers, by display name, with their subscription roles. */
export async function listCustomerUsers(db: Db, call: Call, customerId: string): Promise<CustomerUserRow[]> {
  authorize(call.actor, 'partnerRead');
  const customer = await findOwnCustomer(db, call.actor, customerId);
  const users = await db
    .selectFrom('customer_users')
    .select(['id', 'email', 'display_name', 'created_at'])
    .where('customer_id', '=', customer.id)
    .orderBy('display_name')
    .orderBy('id')
    .execute();
  const roles = await db
    .selectFrom('role_assignments')
    .innerJoin('subscriptions', 'subscriptions.id', 'role_assignments.subscription_id')
    .innerJoin('customer_users', 'customer_users.id', 'role_assignments.customer_user_id')
    .select([
      'role_assignments.customer_user_id',
      'role_assignments.role',
      'subscriptions.id as subscription_id',
      'subscriptions.friendly_name',
    ])
    .where('customer_users.customer_id', '=', customer.id)
    .where('subscriptions.customer_id', '=', customer.id)
    .orderBy('subscriptions.friendly_name')
    .orderBy('role_assignments.role')
    .execute();
  return users.map((u) => ({
    id: u.id,
    email: u.email,
    displayName: u.display_name,
    createdAt: u.created_at,
    roles: roles
      .filter((r) => r.customer_user_id === u.id)
      .map((r) => ({ subscriptionId: r.subscription_id, subscriptionName: r.friendly_name, role: r.role })),
  }));
}

/**
 * An Admin agent adds a user to a customer's tenant. The initial password is made by Mitra,
 * answered once and stored only as its argon2id hash; the user signs in to the customer portal with
 * it. The user has no role on any subscription yet: the partner gives one from Subscriptions →
 * Manage (R7).
 */
export async function addCustomerUser(
  db: Db,
  call: Call,
  customerId: string,
  input: NewCustomerUser,
): Promise<CreatedCustomerUser> {
  authorize(call.actor, 'customerUsersManage');
  const customer = await findOwnCustomer(db, call.actor, customerId);
  const user = await prepareCustomerUser(input);
  return inTransaction(db, (trx) => insertCustomerUser(trx, call, customer, user));
}
