import { randomUUID } from 'node:crypto';
import type { Actor } from '../domain/actor.ts';
import { conflict, invalid, MitraError, notFound } from '../domain/errors.ts';
import { isUuid } from '../domain/ids.ts';
import { authorize } from '../domain/policies.ts';
import {
  billingPlanFor,
  isQualifyingAzureSubscription,
  lineUnitPrice,
  type OfferKind,
  offerKindOf,
  orderTotal,
} from '../domain/pricing.ts';
import type { Db } from '../store/db.ts';
import type { CartLineItemRow, Customer } from '../store/schema.ts';
import { writeAudit } from './audit-log.ts';
import { type Call, inTransaction, nowOf } from './call.ts';
import { resolveCatalogItem } from './catalog.ts';
import { type CommitmentRequest, executePurchase } from './commitment-purchase.ts';
import { customerPriceOf } from './customer-prices.ts';
import { findOwnCustomer } from './customers.ts';

const cartLifetimeMs = 7 * 24 * 3600 * 1000;

export interface CartLineInput {
  id?: number;
  catalogItemId: string;
  quantity: number;
  billingCycle: string;
  termDuration?: string | null;
  friendlyName?: string;
  provisioningContext?: Record<string, string>;
}

const cartNotFound = (id: string) =>
  notFound(
    'cart-not-found',
    `No cart ${id} exists for this customer; create one with POST /v1/customers/{id}/carts.`,
  );

function lineError(index: number, message: string): MitraError {
  return invalid('invalid-cart-line', `Line item ${index + 1}: ${message}`, { lineItem: index + 1 });
}

/** Checks every line against the catalog and the customer's subscriptions before a cart is kept. */
async function validateLines(db: Db, customer: Customer, lines: CartLineInput[]): Promise<CartLineItemRow[]> {
  if (lines.length === 0)
    throw invalid('empty-cart', 'A cart needs at least one line item; add the catalog item you want to buy.');
  const result: CartLineItemRow[] = [];
  for (const [index, line] of lines.entries()) {
    const item = await resolveCatalogItem(db, line.catalogItemId);
    if (!item) {
      throw new MitraError(
        'invalid',
        'catalog-item-not-found',
        `Line item ${index + 1}: ${line.catalogItemId} is not in the catalog; take catalogItemId from GET /v1/products/{product}/skus/{sku}/availabilities.`,
        10001,
      );
    }
    if (
      !Number.isInteger(line.quantity) ||
      line.quantity < item.minimum_quantity ||
      line.quantity > item.maximum_quantity
    ) {
      throw lineError(
        index,
        `the quantity must be a whole number from ${item.minimum_quantity} to ${item.maximum_quantity}.`,
      );
    }
    const cycles = item.billing_cycles as unknown as string[];
    if (!cycles.includes(line.billingCycle)) {
      throw lineError(
        index,
        `billing cycle "${line.billingCycle}" is not offered for ${line.catalogItemId}; use one of ${cycles.join(', ')}.`,
      );
    }
    if (item.term_duration && line.termDuration && line.termDuration !== item.term_duration) {
      throw lineError(
        index,
        `term ${line.termDuration} does not match the availability's term ${item.term_duration}.`,
      );
    }
    const kind = offerKindOf(item.target_view);
    const context = line.provisioningContext ?? {};
    if (kind === 'reservation' || kind === 'savings_plan')
      await checkCommitmentContext(db, customer, index, context);
    result.push({
      id: line.id ?? index,
      catalogItemId: line.catalogItemId,
      friendlyName: line.friendlyName ?? `${item.product_title} ${item.sku_title}`.trim(),
      quantity: line.quantity,
      billingCycle: line.billingCycle,
      termDuration: item.term_duration ?? line.termDuration ?? null,
      provisioningContext: context,
    });
  }
  return result;
}

/** A commitment is billed to an Azure plan / Azure Global subscription of this very customer. */
async function checkCommitmentContext(
  db: Db,
  customer: Customer,
  index: number,
  context: Record<string, string>,
) {
  const ctx = Object.fromEntries(Object.entries(context).map(([k, v]) => [k.toLowerCase(), v]));
  const scope = (ctx.scope ?? '').toLowerCase();
  if (scope !== 'shared' && scope !== 'single') {
    throw lineError(index, 'provisioningContext.scope must be "shared" or "single".');
  }
  const subscriptionId = ctx.subscriptionid;
  if (!subscriptionId)
    throw lineError(index, 'provisioningContext.subscriptionId must name the Azure subscription that pays.');
  const subscriptions = await db
    .selectFrom('subscriptions')
    .select(['id', 'entitlement_id', 'product_type', 'status'])
    .where('customer_id', '=', customer.id)
    .execute();
  const billing = subscriptions.find((s) => s.id === subscriptionId || s.entitlement_id === subscriptionId);
  if (!billing || !isQualifyingAzureSubscription(billing)) {
    throw new MitraError(
      'invalid',
      'azure-plan-required',
      `Line item ${index + 1}: ${subscriptionId} is not an active Azure plan or Azure Global subscription of ${customer.company_name}; buy an Azure plan for the customer first (catalog product DZH318Z0BPS6).`,
      800011,
    );
  }
}

export async function createCart(db: Db, call: Call, customerId: string, lines: CartLineInput[]) {
  authorize(call.actor, 'ordersCreate');
  const customer = await findOwnCustomer(db, call.actor, customerId);
  return insertCart(db, call, customer, lines);
}

/** Checks and stores a cart; in a transaction when the caller checks it out at once (Azure plan). */
export async function insertCart(db: Db, call: Call, customer: Customer, lines: CartLineInput[]) {
  const lineItems = await validateLines(db, customer, lines);
  return db
    .insertInto('carts')
    .values({
      id: randomUUID(),
      customer_id: customer.id,
      partner_id: customer.partner_id,
      status: 'active',
      line_items: JSON.stringify(lineItems),
      last_modified_user: modifiedBy(call.actor),
      expires_at: new Date(Date.now() + cartLifetimeMs),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

function modifiedBy(actor: Actor): string {
  if (actor.kind === 'partner_user' || actor.kind === 'customer_user') return actor.email;
  if (actor.kind === 'application') return actor.applicationId;
  return 'system';
}

export async function getCart(db: Db, call: Call, customerId: string, cartId: string) {
  authorize(call.actor, 'partnerRead');
  await findOwnCustomer(db, call.actor, customerId);
  if (!isUuid(cartId)) throw cartNotFound(cartId);
  const cart = await db
    .selectFrom('carts')
    .selectAll()
    .where('id', '=', cartId)
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
  if (!cart) throw cartNotFound(cartId);
  return cart;
}

export async function updateCart(
  db: Db,
  call: Call,
  customerId: string,
  cartId: string,
  lines: CartLineInput[],
) {
  authorize(call.actor, 'ordersCreate');
  const customer = await findOwnCustomer(db, call.actor, customerId);
  const cart = await getCart(db, call, customerId, cartId);
  if (cart.status !== 'active')
    throw conflict('cart-not-active', 'This cart was already checked out; create a new cart.');
  const lineItems = await validateLines(db, customer, lines);
  return db
    .updateTable('carts')
    .set({
      line_items: JSON.stringify(lineItems),
      last_modified_user: modifiedBy(call.actor),
      updated_at: new Date(),
    })
    .where('id', '=', cart.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

const subscriptionKinds: Partial<Record<OfferKind, 'azure_plan' | 'azure_global' | 'license'>> = {
  azure_plan: 'azure_plan',
  azure_global: 'azure_global',
  license: 'license',
};

/**
 * Turns a cart into orders, one per billing cycle as partner center groups them, priced from the
 * customer's price list in effect now (its own, else the partner's default). Subscriptions bought (Azure plan, licences) are created with the
 * order; the cart, the orders and their audit records commit together or not at all.
 */
export async function checkoutCart(db: Db, call: Call, customerId: string, cartId: string) {
  authorize(call.actor, 'ordersCreate');
  const customer = await findOwnCustomer(db, call.actor, customerId);
  if (!isUuid(cartId)) throw cartNotFound(cartId);
  return inTransaction(db, async (trx) => {
    const cart = await trx
      .selectFrom('carts')
      .selectAll()
      .where('id', '=', cartId)
      .where('customer_id', '=', customer.id)
      .forUpdate()
      .executeTakeFirst();
    if (!cart) throw cartNotFound(cartId);
    if (cart.status !== 'active')
      throw conflict(
        'cart-already-checked-out',
        'This cart was already checked out; its orders are in the order history.',
      );
    if (cart.expires_at < new Date())
      throw conflict('cart-expired', 'This cart has expired; create a new cart.');
    return placeOrders(trx, call, customer, cart);
  });
}

type CartRow = Awaited<ReturnType<typeof getCart>>;

/**
 * The checkout itself, inside the caller's transaction: the cart (already locked and checked by
 * the caller) becomes orders and what they buy, and the cart is marked ordered.
 */
export async function placeOrders(trx: Db, call: Call, customer: Customer, cart: CartRow) {
  const now = nowOf(call);

  const groups = new Map<string, CartLineItemRow[]>();
  for (const line of cart.line_items)
    groups.set(line.billingCycle, [...(groups.get(line.billingCycle) ?? []), line]);

  const orders = [];
  for (const [billingCycle, lines] of groups) {
    const orderId = randomUUID();
    const priced = [];
    for (const line of lines) {
      const item = await resolveCatalogItem(trx, line.catalogItemId);
      if (!item)
        throw invalid(
          'catalog-item-not-found',
          `${line.catalogItemId} left the catalog; remove it from the cart.`,
        );
      const kind = offerKindOf(item.target_view);
      const plan = billingPlanFor(kind, line.billingCycle);
      // The customer's price from the list in effect now (R14): the same resolution as commitments.
      const price = await customerPriceOf(
        trx,
        customer,
        { catalogItemId: line.catalogItemId, termDuration: line.termDuration ?? '', billingPlan: plan },
        now,
      ).catch((error) => {
        if (error instanceof MitraError && error.code === 'price-missing') {
          throw conflict(
            'price-missing',
            `There is no ${plan} price for ${line.catalogItemId}; it cannot be sold until the catalog prices it.`,
          );
        }
        throw error;
      });
      priced.push({
        line,
        kind,
        item,
        unitPrice: lineUnitPrice(kind, line.billingCycle, price.unitPrice),
        currency: price.currency,
      });
    }
    const total = orderTotal(priced.map((p) => ({ unitPrice: p.unitPrice, quantity: p.line.quantity })));
    const currency = priced[0]?.currency ?? 'USD';
    await trx
      .insertInto('orders')
      .values({
        id: orderId,
        customer_id: customer.id,
        partner_id: customer.partner_id,
        cart_id: cart.id,
        billing_cycle: billingCycle,
        currency,
        status: 'completed',
        transaction_type: 'UserPurchase',
        total_price: total,
        bought_by: 'partner',
        created_by: modifiedBy(call.actor),
      })
      .execute();
    for (const [n, p] of priced.entries()) {
      const subscriptionKind = subscriptionKinds[p.kind];
      const subscriptionId = subscriptionKind ? randomUUID() : null;
      if (subscriptionKind && subscriptionId) {
        await trx
          .insertInto('subscriptions')
          .values({
            id: subscriptionId,
            customer_id: customer.id,
            partner_id: customer.partner_id,
            entitlement_id: subscriptionKind === 'license' ? null : randomUUID(),
            offer_id: p.line.catalogItemId,
            offer_name: p.line.friendlyName,
            friendly_name: p.line.friendlyName,
            product_type: subscriptionKind,
            status: 'active',
            quantity: p.line.quantity,
            unit_type: subscriptionKind === 'license' ? 'Licenses' : 'Usage-based',
            billing_type: subscriptionKind === 'license' ? 'license' : 'usage',
            billing_cycle: p.line.billingCycle,
            term_duration: p.line.termDuration,
            order_id: orderId,
          })
          .execute();
      }
      await trx
        .insertInto('order_line_items')
        .values({
          order_id: orderId,
          line_item_number: n,
          offer_id: p.line.catalogItemId,
          friendly_name: p.line.friendlyName,
          quantity: p.line.quantity,
          term_duration: p.line.termDuration,
          billing_cycle: p.line.billingCycle,
          unit_price: p.unitPrice,
          subscription_id: subscriptionId,
          provisioning_context: JSON.stringify(p.line.provisioningContext),
        })
        .execute();
    }
    // Reservations and savings plans become commitments the partner pays for (ledger included).
    for (const p of priced) {
      if (p.kind === 'reservation' || p.kind === 'savings_plan') {
        await executePurchase(
          trx,
          call,
          customer,
          commitmentRequestOfCartLine(p.kind, p.line, p.item),
          randomUUID(),
          { partnerOrderId: orderId },
        );
      }
    }
    await writeAudit(trx, call, {
      partnerId: customer.partner_id,
      customer: { id: customer.id, name: customer.company_name },
      resourceType: 'order',
      operationType: 'create_order',
      newValue: {
        id: orderId,
        billingCycle,
        total,
        currency,
        lineItems: priced.map((p) => p.line.catalogItemId),
      },
    });
    orders.push(orderId);
  }
  await trx
    .updateTable('carts')
    .set({ status: 'ordered', updated_at: new Date() })
    .where('id', '=', cart.id)
    .execute();
  return { orderIds: orders };
}

/** A cart line for a reservation or savings plan, as the purchase service reads it. */
function commitmentRequestOfCartLine(
  kind: 'reservation' | 'savings_plan',
  line: CartLineItemRow,
  item: { arm_sku_name: string | null; region: string | null },
): CommitmentRequest {
  const ctx = Object.fromEntries(
    Object.entries(line.provisioningContext).map(([k, v]) => [k.toLowerCase(), v]),
  );
  const single = (ctx.scope ?? '').toLowerCase() === 'single';
  const target = ctx.entitlementid ?? ctx.subscriptionid;
  const commitment = ctx.purchasecommitment ?? '';
  // PurchaseCommitment is an amount, or JSON such as {"amount":1.5,"grain":"Hourly","currencyCode":"USD"}.
  let amount = commitment;
  if (/^\s*\{/.test(commitment)) {
    try {
      amount = String((JSON.parse(commitment) as { amount?: unknown }).amount ?? '');
    } catch {
      throw invalid(
        'invalid-purchase-commitment',
        'provisioningContext.PurchaseCommitment must be an amount or JSON like {"amount":1.5}.',
      );
    }
  }
  return {
    kind,
    billingSubscription: ctx.subscriptionid,
    sku: item.arm_sku_name ?? undefined,
    region: item.region ?? undefined,
    hourlyCommitment: kind === 'savings_plan' ? amount : undefined,
    term: (line.termDuration ?? 'P1Y') as 'P1Y' | 'P3Y',
    billingPlan: line.billingCycle === 'monthly' ? 'Monthly' : 'Upfront',
    quantity: kind === 'reservation' ? line.quantity : 1,
    displayName: line.friendlyName,
    appliedScopeType: single ? 'Single' : 'Shared',
    appliedScope: single ? { subscriptionId: target } : {},
  };
}
