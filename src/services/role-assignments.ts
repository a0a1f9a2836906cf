import { randomUUID } from 'node:crypto';
import type { Actor } from '../domain/actor.ts';
import { conflict, forbidden, notFound } from '../domain/errors.ts';
import { isUuid } from '../domain/ids.ts';
import { authorize, policies } from '../domain/policies.ts';
import { canAssignRoles } from '../domain/roles.ts';
import type { Db } from '../store/db.ts';
import type { Subscription, SubscriptionRole } from '../store/schema.ts';
import { writeAudit } from './audit-log.ts';
import { type Call, inTransaction } from './call.ts';
import { findOwnCustomer } from './customers.ts';
import { findSubscription, subscriptionNotFound } from './subscriptions.ts';

export interface RoleAssignmentRow {
  id: string;
  subscription_id: string;
  customer_user_id: string;
  role: SubscriptionRole;
  created_at: Date;
  email: string;
  display_name: string;
}

const assignmentNotFound = (id: string) =>
  notFound(
    'role-assignment-not-found',
    `No role assignment ${id} exists on this subscription; list them first.`,
  );

function selectAssignments(db: Db, subscriptionId: string) {
  return db
    .selectFrom('role_assignments')
    .innerJoin('customer_users', 'customer_users.id', 'role_assignments.customer_user_id')
    .select([
      'role_assignments.id',
      'role_assignments.subscription_id',
      'role_assignments.customer_user_id',
      'role_assignments.role',
      'role_assignments.created_at',
      'customer_users.email',
      'customer_users.display_name',
    ])
    .where('role_assignments.subscription_id', '=', subscriptionId);
}

/**
 * Resolves a subscription the caller may see: a partner's own customers' subscriptions, or a
 * customer user's subscriptions on which they hold any role. Anything else is "not found".
 */
export async function visibleSubscription(
  db: Db,
  actor: Actor,
  where: { id?: string; azureSubscriptionId?: string },
) {
  const key = where.id ?? where.azureSubscriptionId ?? '';
  if (!isUuid(key)) throw subscriptionNotFound(key);
  let q = db.selectFrom('subscriptions').selectAll().where('partner_id', '=', actor.partnerId);
  q = where.id ? q.where('id', '=', where.id) : q.where('entitlement_id', '=', key);
  if (actor.kind === 'customer_user') q = q.where('customer_id', '=', actor.customerId);
  const subscription = await q.executeTakeFirst();
  if (!subscription) throw subscriptionNotFound(key);
  let myRoles: SubscriptionRole[] = [];
  if (actor.kind === 'customer_user') {
    const rows = await db
      .selectFrom('role_assignments')
      .select('role')
      .where('subscription_id', '=', subscription.id)
      .where('customer_user_id', '=', actor.userId)
      .execute();
    myRoles = rows.map((r) => r.role);
    if (myRoles.length === 0) throw subscriptionNotFound(key);
  }
  return { subscription, myRoles };
}

function requireRoleManager(actor: Actor, myRoles: SubscriptionRole[]) {
  if (actor.kind === 'customer_user') {
    if (!canAssignRoles(myRoles)) {
      throw forbidden(
        'owner-role-required',
        'Only an Owner of this subscription can change who has access to it; ask an Owner or your partner.',
      );
    }
    return;
  }
  authorize(actor, 'roleAssignmentsManage');
}

function requireAzureSubscription(subscription: Subscription) {
  if (subscription.product_type === 'license') {
    throw conflict(
      'role-assignment-not-supported',
      'Roles are assigned on Azure subscriptions only; this is a licence subscription.',
    );
  }
}

export async function listRoleAssignments(db: Db, _call: Call, subscription: Subscription) {
  const [items, users] = await Promise.all([
    selectAssignments(db, subscription.id)
      .orderBy('customer_users.email')
      .orderBy('role_assignments.role')
      .execute(),
    db
      .selectFrom('customer_users')
      .select(['id', 'email', 'display_name'])
      .where('customer_id', '=', subscription.customer_id)
      .orderBy('email')
      .execute(),
  ]);
  return { items: items as RoleAssignmentRow[], users };
}

/** Partner side: a customer's subscription, read by any partner user. */
export async function partnerSubscription(db: Db, call: Call, customerId: string, subscriptionId: string) {
  authorize(call.actor, 'partnerRead');
  await findOwnCustomer(db, call.actor, customerId);
  return findSubscription(db, call.actor, customerId, subscriptionId);
}

/**
 * Assigns a role (R7). Idempotent: assigning a role the user already holds answers the existing
 * assignment and writes nothing. `assignmentId` lets ARM clients choose the assignment's name.
 */
export async function assignRole(
  db: Db,
  call: Call,
  target: { subscription: Subscription; myRoles: SubscriptionRole[] },
  input: { userId: string; role: SubscriptionRole; assignmentId?: string },
): Promise<{ assignment: RoleAssignmentRow; created: boolean }> {
  requireRoleManager(call.actor, target.myRoles);
  const { subscription } = target;
  requireAzureSubscription(subscription);
  return inTransaction(db, async (trx) => {
    const user = isUuid(input.userId)
      ? await trx
          .selectFrom('customer_users')
          .select(['id', 'email'])
          .where('id', '=', input.userId)
          .where('customer_id', '=', subscription.customer_id)
          .executeTakeFirst()
      : undefined;
    if (!user)
      throw notFound(
        'customer-user-not-found',
        `${input.userId} is not a user of this customer; pick one of the customer's users.`,
      );
    const existing = await selectAssignments(trx, subscription.id)
      .where('role_assignments.customer_user_id', '=', user.id)
      .where('role_assignments.role', '=', input.role)
      .executeTakeFirst();
    if (existing) return { assignment: existing as RoleAssignmentRow, created: false };
    if (input.assignmentId) {
      const taken = await trx
        .selectFrom('role_assignments')
        .select('id')
        .where('id', '=', input.assignmentId)
        .executeTakeFirst();
      if (taken)
        throw conflict(
          'role-assignment-exists',
          'A role assignment with this name already exists with other properties; choose a new name (a new GUID).',
        );
    }
    const id = input.assignmentId ?? randomUUID();
    await trx
      .insertInto('role_assignments')
      .values({ id, subscription_id: subscription.id, customer_user_id: user.id, role: input.role })
      .execute();
    const customer = await trx
      .selectFrom('customers')
      .select(['id', 'company_name'])
      .where('id', '=', subscription.customer_id)
      .executeTakeFirstOrThrow();
    await writeAudit(trx, call, {
      partnerId: subscription.partner_id,
      customer: { id: customer.id, name: customer.company_name },
      resourceType: 'role_assignment',
      operationType: 'create_role_assignment',
      newValue: { id, subscriptionId: subscription.id, user: user.email, role: input.role },
    });
    const assignment = await selectAssignments(trx, subscription.id)
      .where('role_assignments.id', '=', id)
      .executeTakeFirstOrThrow();
    return { assignment: assignment as RoleAssignmentRow, created: true };
  });
}

export async function getRoleAssignment(db: Db, subscription: Subscription, assignmentId: string) {
  if (!isUuid(assignmentId)) throw assignmentNotFound(assignmentId);
  const row = await selectAssignments(db, subscription.id)
    .where('role_assignments.id', '=', assignmentId)
    .executeTakeFirst();
  if (!row) throw assignmentNotFound(assignmentId);
  return row as RoleAssignmentRow;
}

/** Removes a role assignment; removing one that is already gone answers not found. */
export async function removeRoleAssignment(
  db: Db,
  call: Call,
  target: { subscription: Subscription; myRoles: SubscriptionRole[] },
  assignmentId: string,
): Promise<RoleAssignmentRow> {
  requireRoleManager(call.actor, target.myRoles);
  const { subscription } = target;
  return inTransaction(db, async (trx) => {
    const row = await getRoleAssignment(trx, subscription, assignmentId);
    await trx.deleteFrom('role_assignments').where('id', '=', row.id).execute();
    const customer = await trx
      .selectFrom('customers')
      .select(['id', 'company_name'])
      .where('id', '=', subscription.customer_id)
      .executeTakeFirstOrThrow();
    await writeAudit(trx, call, {
      partnerId: subscription.partner_id,
      customer: { id: customer.id, name: customer.company_name },
      resourceType: 'role_assignment',
      operationType: 'delete_role_assignment',
      oldValue: { id: row.id, subscriptionId: subscription.id, user: row.email, role: row.role },
    });
    return row;
  });
}

export const canManageRoles = (actor: Actor) => policies.roleAssignmentsManage.allows(actor);
