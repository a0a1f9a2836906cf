import { principalName } from '../domain/actor.ts';
import type { MitraError } from '../domain/errors.ts';
import { authorize, policies } from '../domain/policies.ts';
import type { Db } from '../store/db.ts';
import type { Customer } from '../store/schema.ts';
import { writeAudit } from './audit-log.ts';
import { type Call, inTransaction } from './call.ts';
import { findOwnCustomer } from './customers.ts';

/**
 * A customer's cost management switch (R17). When on, the customer's users see the cost of what
 * they consumed at pay-as-you-go retail rates, in their billing currency, by subscription and
 * resource group, without reservation and savings plan purchases (R18). Off until an Admin agent
 * turns it on; the partner's own views do not depend on it.
 */
export interface CostManagement {
  enabled: boolean;
  /** null while the switch was never set (off by default). */
  changedAt: string | null;
  changedBy: string | null;
}

const never: CostManagement = { enabled: false, changedAt: null, changedBy: null };

const view = (row: { enabled: boolean; changed_at: Date; changed_by: string } | undefined): CostManagement =>
  row ? { enabled: row.enabled, changedAt: row.changed_at.toISOString(), changedBy: row.changed_by } : never;

const load = (db: Db, customer: Customer) =>
  db
    .selectFrom('cost_management_settings')
    .select(['enabled', 'changed_at', 'changed_by'])
    .where('customer_id', '=', customer.id)
    .where('partner_id', '=', customer.partner_id)
    .executeTakeFirst();

const operationOf = (enabled: boolean) =>
  enabled ? ('enable_customer_cost_management' as const) : ('disable_customer_cost_management' as const);

/** Any partner user reads a customer's switch; another partner's customer is not found. */
export async function costManagementOf(db: Db, call: Call, customerId: string): Promise<CostManagement> {
  authorize(call.actor, 'partnerRead');
  const customer = await findOwnCustomer(db, call.actor, customerId);
  return view(await load(db, customer));
}

/** Whether the customer's own users see money (R17); for use cases that already found the customer. */
export async function costManagementEnabled(db: Db, customer: Customer): Promise<boolean> {
  return (await load(db, customer))?.enabled ?? false;
}

/** A refused attempt is a fact worth keeping: one record, in its own transaction. */
async function recordRefusal(db: Db, call: Call, customer: Customer, enabled: boolean, refusal: MitraError) {
  await inTransaction(db, (trx) =>
    writeAudit(trx, call, {
      partnerId: customer.partner_id,
      customer: { id: customer.id, name: customer.company_name },
      resourceType: 'cost_management',
      operationType: operationOf(enabled),
      status: 'decline',
      details: { refusedWith: refusal.code, reason: refusal.message },
    }),
  );
}

/**
 * Switches a customer's cost management on or off. Admin agents only; Sales and Helpdesk agents
 * are refused and the refusal recorded. Asking for the state it already has changes nothing and
 * writes no record; otherwise the row and one activity record are written in one transaction.
 */
export async function setCostManagement(
  db: Db,
  call: Call,
  customerId: string,
  enabled: boolean,
): Promise<CostManagement> {
  authorize(call.actor, 'costManagementAttempt');
  const customer = await findOwnCustomer(db, call.actor, customerId);
  if (!policies.costManagementManage.allows(call.actor)) {
    const refusal = policies.costManagementManage.refusal(call.actor);
    await recordRefusal(db, call, customer, enabled, refusal);
    throw refusal;
  }
  return inTransaction(db, async (trx) => {
    // One writer per customer: the settings row may not exist yet, so lock the customer.
    await trx.selectFrom('customers').select('id').where('id', '=', customer.id).forUpdate().execute();
    const before = await load(trx, customer);
    if ((before?.enabled ?? false) === enabled) return view(before);
    const row = {
      enabled,
      changed_at: new Date(),
      changed_by:
        principalName(call.actor) ??
        (call.actor.kind === 'application' ? call.actor.applicationId : 'system'),
    };
    await trx
      .insertInto('cost_management_settings')
      .values({ customer_id: customer.id, partner_id: customer.partner_id, ...row })
      .onConflict((oc) => oc.column('customer_id').doUpdateSet(row))
      .execute();
    await writeAudit(trx, call, {
      partnerId: customer.partner_id,
      customer: { id: customer.id, name: customer.company_name },
      resourceType: 'cost_management',
      operationType: operationOf(enabled),
      oldValue: view(before),
      newValue: view(row),
    });
    return view(row);
  });
}
