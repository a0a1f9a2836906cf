import {
  type BillingProfile,
  billingChanges,
  billingColumnOf,
  billingProfileEtag,
  billingProfileOf,
  normalizeBillingProfile,
} from '../domain/billing-profile.ts';
import { invalid, MitraError } from '../domain/errors.ts';
import { authorize, policies } from '../domain/policies.ts';
import type { Db } from '../store/db.ts';
import type { Customer } from '../store/schema.ts';
import { writeAudit } from './audit-log.ts';
import { type Call, inTransaction } from './call.ts';
import { findOwnCustomer } from './customers.ts';

export interface BillingProfileView {
  customer: Customer;
  profile: BillingProfile;
  etag: string;
}

const viewOf = (customer: Customer): BillingProfileView => ({
  customer,
  profile: billingProfileOf(customer),
  etag: billingProfileEtag(customer),
});

export async function getBillingProfile(db: Db, call: Call, customerId: string) {
  authorize(call.actor, 'partnerRead');
  return viewOf(await findOwnCustomer(db, call.actor, customerId));
}

export interface BillingProfileUpdate {
  changes: Partial<BillingProfile> & { country?: string; currency?: string };
  /** The `If-Match` the client sent: the etag of the profile it read; absent means "whatever is there". */
  ifMatch?: string;
}

const profileChanged = () =>
  new MitraError(
    'precondition-failed',
    'billing-profile-changed',
    'The billing profile was changed by someone else after you read it; reload it, then make your change again.',
    412,
  );

/**
 * Records a refused attempt to edit a billing profile (a Sales agent, R2's pattern), in its own
 * transaction: nothing changes, but the attempt is a fact the activity log keeps.
 */
async function recordRefusal(db: Db, call: Call, customer: Customer, refusal: MitraError, fields: string[]) {
  await inTransaction(db, (trx) =>
    writeAudit(trx, call, {
      partnerId: customer.partner_id,
      customer: { id: customer.id, name: customer.company_name },
      resourceType: 'customer',
      operationType: 'update_customer_billing_profile',
      status: 'decline',
      details: { fields: fields.join(', '), refusedWith: refusal.code, reason: refusal.message },
    }),
  );
}

/**
 * Changes a customer's billing profile (partner center's "update a customer's billing profile").
 * Admin and Helpdesk agents may; anyone else is refused and the refusal recorded. Inside one
 * transaction the customer row is locked, the etag compared, the changed fields written and one
 * activity record kept with the old and new values of exactly those fields.
 */
export async function updateBillingProfile(
  db: Db,
  call: Call,
  customerId: string,
  update: BillingProfileUpdate,
): Promise<BillingProfileView> {
  // Any partner user gets this far (customer users never do); who may change it is decided below,
  // once the customer is known, so that a refusal can be recorded against it.
  authorize(call.actor, 'billingProfileAttempt');
  const customer = await findOwnCustomer(db, call.actor, customerId);
  const { country, currency, ...rest } = update.changes;
  if (!policies.billingProfileEdit.allows(call.actor)) {
    const refusal = policies.billingProfileEdit.refusal(call.actor);
    await recordRefusal(db, call, customer, refusal, Object.keys(update.changes));
    throw refusal;
  }
  if (country !== undefined || currency !== undefined) {
    throw invalid(
      'billing-market-fixed',
      "A customer's country (market) and billing currency are set when the customer is created and cannot be changed; leave them out.",
      { field: country !== undefined ? 'country' : 'currency' },
    );
  }
  const next = normalizeBillingProfile(rest);
  if (Object.keys(next).length === 0) {
    throw invalid('nothing-to-change', 'Send at least one billing profile field to change, such as phone.');
  }
  return inTransaction(db, async (trx) => {
    const current = await trx
      .selectFrom('customers')
      .selectAll()
      .where('id', '=', customer.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (update.ifMatch && update.ifMatch !== '*' && update.ifMatch !== billingProfileEtag(current)) {
      throw profileChanged();
    }
    const { before, after, fields } = billingChanges(billingProfileOf(current), next);
    // Sending what is already there changes nothing and is not an activity.
    if (fields.length === 0) return viewOf(current);
    const updated = await trx
      .updateTable('customers')
      .set(Object.fromEntries(fields.map((f) => [billingColumnOf(f), after[f]])))
      .where('id', '=', current.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, call, {
      partnerId: updated.partner_id,
      customer: { id: updated.id, name: updated.company_name },
      resourceType: 'customer',
      operationType: 'update_customer_billing_profile',
      oldValue: before,
      newValue: after,
      details: { fields: fields.join(', ') },
    });
    return viewOf(updated);
  });
}
