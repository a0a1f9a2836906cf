import { randomUUID } from 'node:crypto';
import { principalName } from '../domain/actor.ts';
import { MitraError, notFound } from '../domain/errors.ts';
import { uuidSource } from '../domain/ids.ts';
import {
  changesBetween,
  enableRefusal,
  noPermissions,
  type PermissionChange,
  type PermissionSet,
  permissionListOf,
  permissionResources,
  permissionSetOf,
} from '../domain/permissions.ts';
import { authorize, policies } from '../domain/policies.ts';
import { isQualifyingAzureSubscription } from '../domain/pricing.ts';
import type { Db } from '../store/db.ts';
import type { Customer, PermissionResource } from '../store/schema.ts';
import { writeAudit } from './audit-log.ts';
import { type Call, inTransaction } from './call.ts';
import { findOwnCustomer } from './customers.ts';
import { customerRef, emitEvent } from './events.ts';

export interface CustomerPermissions {
  customer: Customer;
  permissions: PermissionSet;
  /** null while no policy exists (everything off, R1). */
  etag: string | null;
  createdAt: Date | null;
  /** Why each permission could not be turned on now; absent when it could. */
  enableBlockedBy: Partial<Record<PermissionResource, { code: string; message: string }>>;
}

export const policyNotFound = (id: string) =>
  notFound(
    'self-serve-policy-not-found',
    `No self-serve policy ${id} exists; list a customer's policies with GET /v1/SelfServePolicy?entity_id={customerId}.`,
    600039,
  );

function qualifyingSubscriptions(db: Db, customer: Customer) {
  return db
    .selectFrom('subscriptions')
    .select(['product_type', 'status'])
    .where('customer_id', '=', customer.id)
    .where('partner_id', '=', customer.partner_id)
    .execute();
}

/** The view of a customer's permissions from its policy row (if any) and its subscriptions. */
function permissionsOf(
  customer: Customer,
  policy: { permissions: { resource: string; action: string }[]; etag: string; created_at: Date } | undefined,
  subscriptions: { product_type: string; status: string }[],
): CustomerPermissions {
  const facts = {
    companyName: customer.company_name,
    country: customer.country,
    hasQualifyingSubscription: subscriptions.some(isQualifyingAzureSubscription),
  };
  const enableBlockedBy: CustomerPermissions['enableBlockedBy'] = {};
  for (const resource of permissionResources) {
    const refusal = enableRefusal(resource, facts);
    if (refusal) enableBlockedBy[resource] = { code: refusal.code, message: refusal.message };
  }
  return {
    customer,
    permissions: policy ? permissionSetOf(policy.permissions) : noPermissions(),
    etag: policy?.etag ?? null,
    createdAt: policy?.created_at ?? null,
    enableBlockedBy,
  };
}

async function loadPermissions(db: Db, customer: Customer): Promise<CustomerPermissions> {
  const [policy, subscriptions] = await Promise.all([
    db
      .selectFrom('self_serve_policies')
      .selectAll()
      .where('customer_id', '=', customer.id)
      .executeTakeFirst(),
    qualifyingSubscriptions(db, customer),
  ]);
  return permissionsOf(customer, policy, subscriptions);
}

/** Reads a customer's permissions: any partner user sees them (Sales and Helpdesk read-only, R2). */
export async function getCustomerPermissions(
  db: Db,
  call: Call,
  customerId: string,
  policy: 'partnerRead' | 'partnerUserRead' = 'partnerRead',
) {
  authorize(call.actor, policy);
  const customer = await findOwnCustomer(db, call.actor, customerId);
  return loadPermissions(db, customer);
}

/** The partner-center identifier of a policy: `{partnerTenantId}_{customerTenantId}`. */
export const policyId = (partnerId: string, customerId: string) => `${partnerId}_${customerId}`;

export function parsePolicyId(id: string, partnerId: string): string {
  const match = new RegExp(`^(${uuidSource})_(${uuidSource})$`).exec(id);
  if (!match)
    throw new MitraError(
      'not-found',
      'self-serve-policy-id-invalid',
      `"${id}" is not a self-serve policy id; ids look like {partnerTenantId}_{customerTenantId}.`,
      600040,
    );
  if (match[1].toLowerCase() !== partnerId.toLowerCase()) throw policyNotFound(id);
  return match[2].toLowerCase();
}

/**
 * Records a refused attempt to change permissions (R2), in its own transaction: the refusal is a
 * fact worth keeping even though nothing else changes.
 */
async function recordRefusal(
  db: Db,
  call: Call,
  customer: Customer,
  refusal: MitraError,
  wanted: PermissionChange[],
) {
  const base = {
    partnerId: customer.partner_id,
    customer: { id: customer.id, name: customer.company_name },
    resourceType: 'self_serve_policy' as const,
    status: 'decline' as const,
  };
  const because = { refusedWith: refusal.code, reason: refusal.message };
  await inTransaction(db, async (trx) => {
    // An attempt that would have changed nothing is still a refused attempt: one record says so.
    if (wanted.length === 0) {
      await writeAudit(trx, call, { ...base, operationType: 'update_self_serve_policy', details: because });
    }
    for (const change of wanted) {
      await writeAudit(trx, call, {
        ...base,
        operationType: change.allowed ? 'create_self_serve_policy' : 'delete_self_serve_policy',
        details: { resource: change.resource, ...because },
      });
    }
  });
}

export interface PermissionWrite {
  /** The whole new set (replace), or the single changes to apply. */
  target: (current: PermissionSet) => PermissionSet;
  /** For partner-center updates: the etag the client read; a different current etag is refused. */
  expectedEtag?: string | null;
  /** For partner-center creates: refuse when a policy already exists. */
  mustNotExist?: boolean;
  /** For partner-center updates and deletes: refuse when no policy exists. */
  mustExist?: boolean;
}

/**
 * The one way permissions change. Authorises (Admin agent, App+User), checks preconditions for
 * every permission being turned on, then — inside one transaction with the policy row locked —
 * re-reads, applies, rotates the etag and writes one activity record per permission changed:
 * "Create Customer Purchase Permission" when turned on, "Delete …" when turned off (R5).
 */
export async function writePermissions(
  db: Db,
  call: Call,
  customerId: string,
  write: PermissionWrite,
): Promise<CustomerPermissions> {
  const customer = await findOwnCustomer(db, call.actor, customerId);
  if (!policies.permissionsManage.allows(call.actor)) {
    const refusal = policies.permissionsManage.refusal(call.actor);
    const current = await loadPermissions(db, customer);
    let wanted: PermissionChange[] = [];
    try {
      wanted = changesBetween(current.permissions, write.target(current.permissions));
    } catch {
      // an unreadable request is still a refused attempt
    }
    await recordRefusal(db, call, customer, refusal, wanted);
    throw refusal;
  }
  return inTransaction(db, async (trx) => {
    // Lock the customer, not the policy: the policy row may not exist yet, and two first-time
    // writers must still queue instead of both inserting.
    await trx
      .selectFrom('customers')
      .select('id')
      .where('id', '=', customer.id)
      .forUpdate()
      .executeTakeFirst();
    const row = await trx
      .selectFrom('self_serve_policies')
      .selectAll()
      .where('customer_id', '=', customer.id)
      .executeTakeFirst();
    const id = policyId(customer.partner_id, customer.id);
    if (write.mustNotExist && row)
      throw new MitraError(
        'conflict',
        'self-serve-policy-exists',
        'Self-serve policy already exists; update it with PUT /v1/SelfServePolicy/{id}.',
        600041,
      );
    if (write.mustExist && !row) throw policyNotFound(id);
    if (
      write.expectedEtag !== undefined &&
      row &&
      write.expectedEtag !== null &&
      stripQuotes(write.expectedEtag) !== row.etag
    ) {
      throw new MitraError(
        'precondition-failed',
        'etag-mismatch',
        'The policy changed since you read it; read it again and retry with the new etag.',
        2055,
      );
    }
    const subscriptions = await qualifyingSubscriptions(trx, customer);
    const current = permissionsOf(customer, row, subscriptions);
    const before = current.permissions;
    const after = write.target(before);
    const changes = changesBetween(before, after);
    if (changes.length === 0) return current;
    for (const change of changes) {
      const blocked = change.allowed ? current.enableBlockedBy[change.resource] : undefined;
      if (blocked) throw new MitraError('conflict', blocked.code, blocked.message, 800011);
    }
    const list = permissionListOf(after);
    const etag = randomUUID();
    if (list.length === 0) {
      await trx.deleteFrom('self_serve_policies').where('customer_id', '=', customer.id).execute();
    } else if (row) {
      await trx
        .updateTable('self_serve_policies')
        .set({ permissions: JSON.stringify(list), etag, updated_at: new Date() })
        .where('customer_id', '=', customer.id)
        .execute();
    } else {
      await trx
        .insertInto('self_serve_policies')
        .values({
          customer_id: customer.id,
          partner_id: customer.partner_id,
          permissions: JSON.stringify(list),
          etag,
        })
        .execute();
    }
    const oldValue = row ? policyResource(customer.partner_id, customer.id, before, row.etag) : null;
    const newValue = list.length ? policyResource(customer.partner_id, customer.id, after, etag) : null;
    for (const change of changes) {
      await writeAudit(trx, call, {
        partnerId: customer.partner_id,
        customer: { id: customer.id, name: customer.company_name },
        resourceType: 'self_serve_policy',
        operationType: change.allowed ? 'create_self_serve_policy' : 'delete_self_serve_policy',
        oldValue,
        newValue,
        details: { resource: change.resource },
      });
      await emitEvent(trx, {
        partnerId: customer.partner_id,
        customerId: customer.id,
        type: change.allowed ? 'customer.permission.enabled' : 'customer.permission.disabled',
        data: {
          customer: customerRef(customer),
          permission: change.resource,
          changedBy: principalName(call.actor),
        },
      });
    }
    return permissionsOf(
      customer,
      list.length ? { permissions: list, etag, created_at: row?.created_at ?? new Date() } : undefined,
      subscriptions,
    );
  });
}

const stripQuotes = (etag: string) => etag.replace(/^W\//, '').replace(/^"|"$/g, '');

/** The partner-center SelfServePolicy resource (reference §1). */
export function policyResource(
  partnerId: string,
  customerId: string,
  permissions: PermissionSet,
  etag: string,
) {
  return {
    id: policyId(partnerId, customerId),
    selfServeEntity: { selfServeEntityType: 'customer', tenantID: customerId },
    grantor: { grantorType: 'billToPartner', tenantID: partnerId },
    permissions: permissionListOf(permissions),
    attributes: { etag: `"${etag}"`, objectType: 'SelfServePolicy' },
  };
}

/** Turns one permission on or off; asking for the state it already has changes nothing. */
export function setCustomerPermission(
  db: Db,
  call: Call,
  customerId: string,
  resource: PermissionResource,
  allowed: boolean,
) {
  return writePermissions(db, call, customerId, {
    target: (current) => ({ ...current, [resource]: allowed }),
  });
}

/** Bulk changes are an Admin agent's; anyone else is refused, and the refusal is recorded once. */
export async function refuseUnlessPermissionManager(db: Db, call: Call, count: number): Promise<void> {
  if (policies.permissionsManage.allows(call.actor)) return;
  const refusal = policies.permissionsManage.refusal(call.actor);
  await inTransaction(db, (trx) =>
    writeAudit(trx, call, {
      partnerId: call.actor.partnerId,
      resourceType: 'self_serve_policy',
      operationType: 'update_self_serve_policy',
      status: 'decline',
      details: { bulk: String(count), refusedWith: refusal.code },
    }),
  );
  throw refusal;
}

const bulkConcurrency = 4;

export interface BulkItem {
  customerId: string;
  resource: PermissionResource;
  allowed: boolean;
}

export type BulkResult =
  | { index: number; customerId: string; resource: PermissionResource; status: 'done'; allowed: boolean }
  | {
      index: number;
      customerId: string;
      resource: PermissionResource;
      status: 'refused';
      code: string;
      message: string;
    };

/**
 * Sets permissions for many customers (B5). Each customer is its own transaction with its own
 * activity records, so one refusal (no Azure plan, unknown id) never undoes the others; results
 * arrive one by one through `onResult` for streaming progress.
 */
export async function bulkSetPermissions(
  db: Db,
  call: Call,
  items: BulkItem[],
  onResult: (r: BulkResult) => void | Promise<void>,
) {
  await refuseUnlessPermissionManager(db, call, items.length);
  let done = 0;
  let refused = 0;
  let next = 0;
  // A few customers at a time: each is its own short transaction, so PostgreSQL runs them side by
  // side on the pool (PGlite simply queues them). Results carry their index; order may vary.
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      const item = items[index];
      try {
        await setCustomerPermission(db, call, item.customerId, item.resource, item.allowed);
        done += 1;
        await onResult({
          index,
          customerId: item.customerId,
          resource: item.resource,
          status: 'done',
          allowed: item.allowed,
        });
      } catch (error) {
        if (!(error instanceof MitraError)) throw error;
        refused += 1;
        await onResult({
          index,
          customerId: item.customerId,
          resource: item.resource,
          status: 'refused',
          code: error.code,
          message: error.message,
        });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(bulkConcurrency, items.length) }, worker));
  return { total: items.length, done, refused };
}
