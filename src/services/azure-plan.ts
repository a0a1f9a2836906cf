import { conflict, invalid } from '../domain/errors.ts';
import { authorize } from '../domain/policies.ts';
import type { Db } from '../store/db.ts';
import type { Subscription } from '../store/schema.ts';
import { type Call, inTransaction } from './call.ts';
import { insertCart, placeOrders } from './carts.ts';
import { findOwnCustomer } from './customers.ts';

/** Statuses in which an Azure plan still stands: a customer has one Azure plan (partner center). */
const standingStatuses = ['active', 'suspended', 'pending', 'disabled'] as const;

/** The catalog's Azure plan: the one product sold in partner center's MicrosoftAzure view. */
async function azurePlanItem(db: Db) {
  return db
    .selectFrom('availabilities')
    .innerJoin('products', 'products.id', 'availabilities.product_id')
    .select(['availabilities.catalog_item_id', 'availabilities.billing_cycles'])
    .where('products.target_view', '=', 'MicrosoftAzure')
    .orderBy('availabilities.catalog_item_id')
    .executeTakeFirst();
}

/**
 * Buys an Azure plan for a customer that has none: the seed's first step before customer
 * permissions (R4, R20). It is the cart checkout partner center's API uses (the same lines, prices,
 * order and "Create order" record), with the cart made and checked out in one transaction. The
 * customer row is locked first, so two clicks on "Add Azure plan" make one plan: the second finds
 * the first and is refused.
 */
export async function buyAzurePlan(
  db: Db,
  call: Call,
  customerId: string,
  input: { friendlyName?: string },
): Promise<{ subscription: Subscription; orderId: string }> {
  authorize(call.actor, 'ordersCreate');
  const customer = await findOwnCustomer(db, call.actor, customerId);
  const friendlyName = input.friendlyName?.trim() || 'Azure plan';
  if (friendlyName.length > 100) {
    throw invalid(
      'invalid-friendly-name',
      'The Azure plan name must be at most 100 characters; shorten it.',
      {
        field: 'friendlyName',
      },
    );
  }
  return inTransaction(db, async (trx) => {
    await trx
      .selectFrom('customers')
      .select('id')
      .where('id', '=', customer.id)
      .forUpdate()
      .executeTakeFirst();
    const existing = await trx
      .selectFrom('subscriptions')
      .select(['id', 'friendly_name', 'status'])
      .where('customer_id', '=', customer.id)
      .where('product_type', '=', 'azure_plan')
      .where('status', 'in', [...standingStatuses])
      .executeTakeFirst();
    if (existing) {
      throw conflict(
        'azure-plan-exists',
        `${customer.company_name} already has an Azure plan ("${existing.friendly_name}", ${existing.status}); a customer has one Azure plan, and its Azure subscriptions are created under it.`,
      );
    }
    const item = await azurePlanItem(trx);
    if (!item) {
      throw conflict(
        'azure-plan-not-offered',
        'The catalog has no Azure plan (product DZH318Z0BPS6); load the catalog before selling it.',
      );
    }
    const cart = await insertCart(trx, call, customer, [
      {
        catalogItemId: item.catalog_item_id,
        quantity: 1,
        // Partner center's Azure plan cart sends one_time: the plan costs nothing, usage is billed later.
        billingCycle: (item.billing_cycles as unknown as string[])[0] ?? 'one_time',
        friendlyName,
      },
    ]);
    const { orderIds } = await placeOrders(trx, call, customer, cart);
    const subscription = await trx
      .selectFrom('subscriptions')
      .selectAll()
      .where('order_id', '=', orderIds[0])
      .where('product_type', '=', 'azure_plan')
      .executeTakeFirstOrThrow();
    return { subscription, orderId: orderIds[0] };
  });
}
