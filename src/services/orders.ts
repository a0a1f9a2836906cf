import { notFound } from '../domain/errors.ts';
import { isUuid } from '../domain/ids.ts';
import { authorize } from '../domain/policies.ts';
import type { Db } from '../store/db.ts';
import type { Call } from './call.ts';
import { findOwnCustomer } from './customers.ts';

export const orderNotFound = (id: string) =>
  notFound(
    'order-not-found',
    `No order ${id} exists for this customer; see its order history with GET /v1/customers/{id}/orders.`,
    20000,
  );

async function withLines(db: Db, orders: Awaited<ReturnType<typeof selectOrders>>) {
  if (orders.length === 0) return [];
  const lines = await db
    .selectFrom('order_line_items')
    .selectAll()
    .where(
      'order_id',
      'in',
      orders.map((o) => o.id),
    )
    .orderBy('order_id')
    .orderBy('line_item_number')
    .execute();
  return orders.map((o) => ({ ...o, lineItems: lines.filter((l) => l.order_id === o.id) }));
}

function selectOrders(db: Db, customerId: string, filter: { billingCycle?: string; orderId?: string }) {
  let q = db.selectFrom('orders').selectAll().where('customer_id', '=', customerId);
  if (filter.billingCycle) q = q.where('billing_cycle', '=', filter.billingCycle);
  if (filter.orderId) q = q.where('id', '=', filter.orderId);
  return q.orderBy('created_at', 'desc').orderBy('id').execute();
}

/** The customer's order history: the partner's purchases and, later, the customer's own. */
export async function listOrders(
  db: Db,
  call: Call,
  customerId: string,
  filter: { billingCycle?: string } = {},
) {
  authorize(call.actor, 'partnerRead');
  await findOwnCustomer(db, call.actor, customerId);
  const billingCycle = filter.billingCycle === 'onetime' ? 'one_time' : filter.billingCycle;
  return withLines(db, await selectOrders(db, customerId, { billingCycle }));
}

export async function getOrder(db: Db, call: Call, customerId: string, orderId: string) {
  authorize(call.actor, 'partnerRead');
  await findOwnCustomer(db, call.actor, customerId);
  if (!isUuid(orderId)) throw orderNotFound(orderId);
  const [order] = await withLines(db, await selectOrders(db, customerId, { orderId }));
  if (!order) throw orderNotFound(orderId);
  return order;
}
