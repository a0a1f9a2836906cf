import Big from 'big.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { azurePlan } from '../../src/demo/catalog.ts';
import { demoWorld, type TestWorld, users } from '../support/app.ts';
import { databaseKinds } from '../support/db.ts';
import {
  type CustomerIds,
  createCart,
  customerIds,
  expectPartnerCenterError,
  licence,
  licenceLine,
  reservation,
  reservationLine,
  reservationSkuRow,
} from './fixtures.ts';

/** Catalog browse, cart → checkout → orders, order history (reference §2 Catalog, Cart → order flow, Orders). */

interface PcOrder {
  id: string;
  referenceCustomerId: string;
  billingCycle: string;
  currencyCode: string;
  status: string;
  totalPrice?: number;
  lineItems: {
    lineItemNumber: number;
    offerId: string;
    subscriptionId: string | null;
    quantity: number;
    termDuration: string | null;
    provisioningContext: Record<string, string>;
    pricing?: { listPrice: string };
  }[];
  attributes: { objectType: string };
}

interface PriceView {
  catalogItemId: string;
  termDuration: string;
  billingPlan: string;
  unitPrice: string;
}

describe.each(databaseKinds)('catalog, carts and orders on %s', (kind) => {
  let world: TestWorld;
  let admin: Record<string, string>;
  let fabrikam: CustomerIds;
  let northwind: CustomerIds;
  let tailspin: CustomerIds;
  let partnerPrices: PriceView[];

  beforeAll(async () => {
    world = await demoWorld(kind);
    admin = await world.as(users.admin);
    fabrikam = await customerIds(world, users.admin, 'Fabrikam');
    northwind = await customerIds(world, users.admin, 'Northwind Traders');
    tailspin = await customerIds(world, users.admin, 'Tailspin Toys');
    const prices = await world.app.inject({ method: 'GET', url: '/api/prices?kind=partner', headers: admin });
    expect(prices.statusCode).toBe(200);
    partnerPrices = prices.json().items;
  });
  afterAll(() => world.close());

  const get = (url: string, headers = admin) => world.app.inject({ method: 'GET', url, headers });
  const priceOf = (catalogItemId: string, billingPlan: string, termDuration: string) => {
    const found = partnerPrices.find(
      (p) =>
        p.catalogItemId === catalogItemId && p.billingPlan === billingPlan && p.termDuration === termDuration,
    );
    if (!found) throw new Error(`no partner ${billingPlan} price for ${catalogItemId} ${termDuration}`);
    return found.unitPrice;
  };
  const postCart = (customerId: string, lineItems: unknown[], headers = admin) =>
    world.app.inject({
      method: 'POST',
      url: `/v1/customers/${customerId}/carts`,
      headers,
      payload: { lineItems },
    });
  const checkout = (customerId: string, cartId: string, headers = admin) =>
    world.app.inject({
      method: 'POST',
      url: `/v1/customers/${customerId}/carts/${cartId}/checkout`,
      headers,
    });
  const auditFor = async (customerId: string) => {
    const res = await get(`/api/activity?customerId=${customerId}&operationType=create_order`);
    expect(res.statusCode).toBe(200);
    return res.json().items as {
      newValue: string;
      userPrincipalName: string | null;
      resourceType: string;
      customerName: string;
    }[];
  };

  describe('catalog', () => {
    it('lists reservation products for a country and view, with their SKUs and availabilities', async () => {
      const products = await get('/v1/products?country=US&targetView=AzureReservationsVM');
      expect(products.statusCode).toBe(200);
      const items = products.json().items as {
        id: string;
        title: string;
        attributes: { objectType: string };
      }[];
      expect(items.length).toBeGreaterThan(0);
      expect(items.map((p) => p.id)).toContain(reservation.productId);
      for (const p of items) {
        expect(p.title).toMatch(/^Reserved VM Instance/);
        expect(p.attributes.objectType).toBe('Product');
      }
      // The view name is matched as partner center clients send it, in any case.
      const lower = await get('/v1/products?country=us&targetView=azurereservationsvm');
      expect(lower.json().items.map((p: { id: string }) => p.id)).toEqual(items.map((p) => p.id));

      const product = await get(`/v1/products/${reservation.productId}?country=US`);
      expect(product.json()).toMatchObject({
        id: reservation.productId,
        attributes: { objectType: 'Product' },
      });

      const skus = await get(`/v1/products/${reservation.productId}/skus?country=US`);
      expect(skus.statusCode).toBe(200);
      const sku = skus.json().items.find((s: { id: string }) => s.id === reservation.skuId);
      expect(sku).toMatchObject({
        productId: reservation.productId,
        provisioningVariables: ['Scope', 'SubscriptionId'],
        dynamicAttributes: {
          armSkuName: 'Standard_D2s_v3',
          armRegionName: 'eastus',
          instanceSizeFlexibilityGroup: reservationSkuRow.isfGroup,
        },
        attributes: { objectType: 'Sku' },
      });

      const availabilities = await get(
        `/v1/products/${reservation.productId}/skus/${reservation.skuId}/availabilities?country=US`,
      );
      expect(availabilities.statusCode).toBe(200);
      const terms = availabilities
        .json()
        .items.map((a: { terms: { duration: string }[] }) => a.terms[0].duration)
        .sort();
      expect(terms).toEqual(['P1Y', 'P3Y']);

      const one = await get(
        `/v1/products/${reservation.productId}/skus/${reservation.skuId}/availabilities/${reservation.id}?country=US`,
      );
      expect(one.statusCode).toBe(200);
      expect(one.json()).toMatchObject({
        id: reservation.id,
        productId: reservation.productId,
        skuId: reservation.skuId,
        catalogItemId: `${reservation.productId}:${reservation.skuId}:${reservation.id}`,
        billingCycles: expect.arrayContaining(['one_time', 'monthly']),
        terms: [{ duration: 'P1Y' }],
        attributes: { objectType: 'Availability' },
      });

      // The customer-scoped catalog answers the same.
      const scoped = await get(
        `/v1/customers/${fabrikam.id}/products/${reservation.productId}/skus/${reservation.skuId}/availabilities/${reservation.id}?country=US`,
      );
      expect(scoped.json()).toEqual(one.json());
    });

    it.each([
      '/v1/products',
      '/v1/products?targetView=AzureReservationsVM',
      '/v1/products?country=USA',
      `/v1/products/${reservation.productId}/skus`,
      `/v1/products/${reservation.productId}/skus/${reservation.skuId}/availabilities`,
    ])('%s without a two-letter country: 400 country-required', async (url) => {
      const body = expectPartnerCenterError(await get(url), 400, 'country-required');
      expect(body.description).toMatch(/country=US/);
    });

    it('unknown products, SKUs and availabilities are 404', async () => {
      expectPartnerCenterError(await get('/v1/products/NOSUCHPRODUCT?country=US'), 404, 'product-not-found');
      expectPartnerCenterError(
        await get(`/v1/products/${reservation.productId}/skus/ZZZZ?country=US`),
        404,
        'sku-not-found',
      );
      expectPartnerCenterError(
        await get(
          `/v1/products/${reservation.productId}/skus/${reservation.skuId}/availabilities/NOPE?country=US`,
        ),
        404,
        'availability-not-found',
      );
    });
  });

  describe('licence purchase', () => {
    it('cart → checkout → 201 with an order priced from the partner price list; the subscription appears', async () => {
      const quantity = 7;
      const cart = await postCart(fabrikam.id, [licenceLine(quantity)]);
      expect(cart.statusCode, cart.body).toBe(201);
      expect(cart.json()).toMatchObject({
        status: 'Active',
        lastModifiedUser: users.admin,
        lineItems: [
          { catalogItemId: licence.catalogItemId, quantity, billingCycle: 'monthly', termDuration: 'P1Y' },
        ],
        attributes: { objectType: 'Cart' },
      });
      const cartId = cart.json().id;
      expect((await get(`/v1/customers/${fabrikam.id}/carts/${cartId}`)).json()).toEqual(cart.json());

      const res = await checkout(fabrikam.id, cartId);
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json();
      expect(body.orderErrors).toEqual([]);
      expect(body.orders).toHaveLength(1);
      const order = body.orders[0] as PcOrder;
      const unit = priceOf(licence.catalogItemId, 'license_monthly', 'P1Y');
      expect(unit).toBe('6.600000'); // retail 6.00 + the demo's 10% licence markup
      const expectedTotal = new Big(unit).times(quantity);
      expect(order).toMatchObject({
        referenceCustomerId: fabrikam.id,
        billingCycle: 'monthly',
        currencyCode: 'USD',
        attributes: { objectType: 'Order' },
        lineItems: [
          {
            lineItemNumber: 0,
            offerId: licence.catalogItemId,
            quantity,
            termDuration: 'P1Y',
            pricing: { listPrice: unit },
          },
        ],
      });
      expect(
        new Big(order.totalPrice!).eq(expectedTotal),
        `total ${order.totalPrice} ≠ ${expectedTotal}`,
      ).toBe(true);
      // Mitra's view carries money as a decimal string, exact.
      const mitraOrders = (await get(`/api/customers/${fabrikam.id}/orders`)).json().items as {
        id: string;
        totalPrice: string;
        boughtBy: string;
        createdBy: string;
      }[];
      expect(mitraOrders.find((o) => o.id === order.id)).toMatchObject({
        totalPrice: expectedTotal.toFixed(6),
        boughtBy: 'partner',
        createdBy: users.admin,
      });

      const cartAfter = await get(`/v1/customers/${fabrikam.id}/carts/${cartId}`);
      expect(cartAfter.json().status).toBe('Ordered');

      const subscriptionId = order.lineItems[0].subscriptionId!;
      expect(subscriptionId).toMatch(/^[0-9a-f-]{36}$/);
      const sub = await get(`/v1/customers/${fabrikam.id}/subscriptions/${subscriptionId}`);
      expect(sub.statusCode).toBe(200);
      expect(sub.json()).toMatchObject({
        id: subscriptionId,
        offerId: licence.catalogItemId,
        quantity,
        status: 'active',
        billingType: 'license',
        orderId: order.id,
      });
      const byOrder = await get(`/v1/customers/${fabrikam.id}/subscriptions?order_id=${order.id}`);
      expect(byOrder.json().items.map((s: { id: string }) => s.id)).toEqual([subscriptionId]);
      const mitraSubs = (await get(`/api/customers/${fabrikam.id}/subscriptions`)).json().items;
      expect(mitraSubs.map((s: { id: string }) => s.id)).toContain(subscriptionId);
    });

    it('an annual licence line is charged twelve months at once', async () => {
      const cartId = await createCart(world, users.admin, northwind.id, [licenceLine(2, 'annual')]);
      const res = await checkout(northwind.id, cartId);
      expect(res.statusCode, res.body).toBe(201);
      const order = res.json().orders[0] as PcOrder;
      expect(order.billingCycle).toBe('annual');
      const expected = new Big(priceOf(licence.catalogItemId, 'license_monthly', 'P1Y')).times(12).times(2);
      expect(new Big(order.totalPrice!).eq(expected), `total ${order.totalPrice} ≠ ${expected}`).toBe(true);
    });

    it('checking out the same cart twice: 409, and no second order', async () => {
      const cartId = await createCart(world, users.admin, tailspin.id);
      expect((await checkout(tailspin.id, cartId)).statusCode).toBe(201);
      const ordersBefore = (await get(`/v1/customers/${tailspin.id}/orders`)).json().totalCount;
      expectPartnerCenterError(await checkout(tailspin.id, cartId), 409, 'cart-already-checked-out');
      // Nor can it be changed any more.
      const put = await world.app.inject({
        method: 'PUT',
        url: `/v1/customers/${tailspin.id}/carts/${cartId}`,
        headers: admin,
        payload: { lineItems: [licenceLine(1)] },
      });
      expectPartnerCenterError(put, 409, 'cart-not-active');
      expect((await get(`/v1/customers/${tailspin.id}/orders`)).json().totalCount).toBe(ordersBefore);
    });

    it('checks out the way the .NET SDK sends it: Content-Type application/json with an empty body', async () => {
      // The partner-center docs' own checkout request carries `Content-Type: application/json` and
      // `Content-Length: 0` (develop/checkout-a-cart.md, "Request example").
      const cartId = await createCart(world, users.admin, tailspin.id);
      const res = await world.app.inject({
        method: 'POST',
        url: `/v1/customers/${tailspin.id}/carts/${cartId}/checkout`,
        headers: { ...admin, 'content-type': 'application/json', 'content-length': '0' },
        payload: '',
      });
      expect(res.statusCode, res.body).toBe(201);
    });
  });

  describe('reservation purchase', () => {
    it('a VM reservation for Fabrikam on its Azure plan: a one_time order at the partner’s upfront price', async () => {
      const quantity = 2;
      const cart = await postCart(fabrikam.id, [reservationLine(fabrikam.subscriptionId, quantity)]);
      expect(cart.statusCode, cart.body).toBe(201);
      expect(cart.json().lineItems[0]).toMatchObject({
        catalogItemId: reservation.catalogItemId,
        billingCycle: 'one_time',
        termDuration: 'P1Y',
        provisioningContext: { subscriptionId: fabrikam.subscriptionId, scope: 'shared' },
      });
      const res = await checkout(fabrikam.id, cart.json().id);
      expect(res.statusCode, res.body).toBe(201);
      const [order] = res.json().orders as PcOrder[];
      expect(order).toMatchObject({
        billingCycle: 'one_time',
        referenceCustomerId: fabrikam.id,
        lineItems: [
          {
            offerId: reservation.catalogItemId,
            quantity,
            termDuration: 'P1Y',
            provisioningContext: { subscriptionId: fabrikam.subscriptionId, scope: 'shared' },
          },
        ],
      });
      const unit = priceOf(reservation.catalogItemId, 'upfront', 'P1Y');
      expect(
        new Big(order.totalPrice!).eq(new Big(unit).times(quantity)),
        `total ${order.totalPrice} ≠ ${unit} × ${quantity}`,
      ).toBe(true);
      // The partner's price is not the retail one (R14): the demo marks reservations up by 5%.
      const retail = (await get('/api/prices?kind=retail')).json().items as PriceView[];
      const retailUnit = retail.find(
        (p) => p.catalogItemId === reservation.catalogItemId && p.billingPlan === 'upfront',
      )!.unitPrice;
      expect(new Big(unit).eq(new Big(retailUnit).times('1.05'))).toBe(true);

      const onetime = await get(`/v1/customers/${fabrikam.id}/orders?billingType=onetime`);
      expect(onetime.json().items.map((o: PcOrder) => o.id)).toContain(order.id);
      for (const o of onetime.json().items as PcOrder[]) expect(o.billingCycle).toBe('one_time');
    });

    it('names the Azure subscription by its Azure id (entitlement) too, as the partner-center example does', async () => {
      const cart = await postCart(tailspin.id, [reservationLine(tailspin.entitlementId!, 1, 'single')]);
      expect(cart.statusCode, cart.body).toBe(201);
      const res = await checkout(tailspin.id, cart.json().id);
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().orders[0].billingCycle).toBe('one_time');
    });

    it('Northwind has no Azure plan: 400 azure-plan-required, whichever subscription it names', async () => {
      for (const subscriptionId of [
        northwind.subscriptionId,
        fabrikam.subscriptionId,
        fabrikam.entitlementId!,
        '00000000-0000-0000-0000-000000000000',
      ]) {
        const res = await postCart(northwind.id, [reservationLine(subscriptionId)]);
        const body = expectPartnerCenterError(res, 400, 'azure-plan-required');
        expect(body.description).toMatch(/Azure plan/);
        // Naming another customer's subscription must not reveal anything about it.
        expect(body.description).not.toMatch(/Fabrikam/);
      }
    });

    it.each([
      ['no provisioning context', { provisioningContext: undefined }],
      ['no scope', { provisioningContext: { subscriptionId: 'x' } }],
      [
        'a scope other than shared or single',
        { provisioningContext: { subscriptionId: 'x', scope: 'everywhere' } },
      ],
      ['no subscription', { provisioningContext: { scope: 'shared' } }],
      ['a billing cycle the availability does not offer', { billingCycle: 'annual' }],
      ['a term other than the availability’s', { termDuration: 'P3Y' }],
      ['a quantity above the SKU maximum', { quantity: 101 }],
    ])('a reservation line with %s: 400 invalid-cart-line', async (_what, change) => {
      const line = { ...reservationLine(fabrikam.subscriptionId), ...change };
      const res = await postCart(fabrikam.id, [line]);
      expectPartnerCenterError(res, 400, 'invalid-cart-line');
    });
  });

  describe('order history', () => {
    it('lists orders, with prices only when include_price=true, and reads one', async () => {
      const plain = await get(`/v1/customers/${fabrikam.id}/orders`);
      expect(plain.statusCode).toBe(200);
      const orders = plain.json().items as PcOrder[];
      expect(orders.length).toBeGreaterThanOrEqual(3); // the demo's Azure plan, a licence, a reservation
      expect(plain.json()).toMatchObject({
        totalCount: orders.length,
        attributes: { objectType: 'Collection' },
      });
      for (const o of orders) {
        expect(o.referenceCustomerId).toBe(fabrikam.id);
        expect(o).not.toHaveProperty('totalPrice');
        for (const l of o.lineItems) expect(l).not.toHaveProperty('pricing');
      }
      const priced = await get(`/v1/customers/${fabrikam.id}/orders?include_price=true`);
      const pricedOrders = priced.json().items as PcOrder[];
      expect(pricedOrders.map((o) => o.id)).toEqual(orders.map((o) => o.id));
      for (const o of pricedOrders) {
        expect(typeof o.totalPrice).toBe('number');
        const sum = o.lineItems.reduce(
          (s, l) => s.plus(new Big(l.pricing!.listPrice).times(l.quantity)),
          new Big(0),
        );
        expect(new Big(o.totalPrice!).eq(sum), `order ${o.id}: ${o.totalPrice} ≠ Σ lines ${sum}`).toBe(true);
      }
      // Newest first.
      const dates = orders.map((o) => (o as unknown as { creationDate: string }).creationDate);
      expect([...dates].sort().reverse()).toEqual(dates);

      const one = await get(`/v1/customers/${fabrikam.id}/orders/${orders[0].id}`);
      expect(one.statusCode).toBe(200);
      expect(one.json()).toEqual(orders[0]);
      const onePriced = await get(`/v1/customers/${fabrikam.id}/orders/${orders[0].id}?include_price=true`);
      expect(onePriced.json()).toEqual(pricedOrders[0]);

      // An order is read under its own customer only.
      expectPartnerCenterError(
        await get(`/v1/customers/${northwind.id}/orders/${orders[0].id}`),
        404,
        'order-not-found',
      );
      expectPartnerCenterError(
        await get(`/v1/customers/${fabrikam.id}/orders/00000000-0000-0000-0000-000000000000`),
        404,
        'order-not-found',
      );
    });

    it('each order has exactly one create_order record, with the actor, customer and total', async () => {
      // One cart, two billing cycles: partner center makes one order per billing cycle.
      const cartId = await createCart(world, users.sales, fabrikam.id, [
        licenceLine(1),
        reservationLine(fabrikam.subscriptionId, 1),
      ]);
      const before = await auditFor(fabrikam.id);
      const res = await checkout(fabrikam.id, cartId, await world.as(users.sales));
      expect(res.statusCode, res.body).toBe(201);
      const orders = res.json().orders as PcOrder[];
      expect(orders.map((o) => o.billingCycle).sort()).toEqual(['monthly', 'one_time']);
      const after = await auditFor(fabrikam.id);
      expect(after.length).toBe(before.length + 2);
      for (const o of orders) {
        const records = after.filter((r) => JSON.parse(r.newValue).id === o.id);
        expect(records, `create_order records of order ${o.id}`).toHaveLength(1);
        expect(records[0]).toMatchObject({
          userPrincipalName: users.sales,
          resourceType: 'order',
          customerName: 'Fabrikam',
        });
        const value = JSON.parse(records[0].newValue);
        expect(new Big(value.total).eq(new Big(o.totalPrice!))).toBe(true);
        expect(value.billingCycle).toBe(o.billingCycle);
      }
      // Every order in the history has its record.
      const history = (await get(`/v1/customers/${fabrikam.id}/orders`)).json().items as PcOrder[];
      for (const o of history)
        expect(
          after.filter((r) => JSON.parse(r.newValue).id === o.id),
          `order ${o.id}`,
        ).toHaveLength(1);
    });
  });

  describe('who may buy', () => {
    it('a Helpdesk agent cannot create, change or check out carts (403) and nothing is written', async () => {
      const helpdesk = await world.as(users.helpdesk);
      const ordersBefore = (await get(`/v1/customers/${fabrikam.id}/orders`)).json().totalCount;
      expectPartnerCenterError(
        await postCart(fabrikam.id, [licenceLine(1)], helpdesk),
        403,
        'role-not-allowed',
      );
      const cartId = await createCart(world, users.admin, fabrikam.id);
      const put = await world.app.inject({
        method: 'PUT',
        url: `/v1/customers/${fabrikam.id}/carts/${cartId}`,
        headers: helpdesk,
        payload: { lineItems: [licenceLine(9)] },
      });
      expectPartnerCenterError(put, 403, 'role-not-allowed');
      expectPartnerCenterError(await checkout(fabrikam.id, cartId, helpdesk), 403, 'role-not-allowed');
      // The Helpdesk agent can still read the cart and the history.
      const cart = await get(`/v1/customers/${fabrikam.id}/carts/${cartId}`, helpdesk);
      expect(cart.json()).toMatchObject({ status: 'Active', lineItems: [{ quantity: 3 }] });
      expect((await get(`/v1/customers/${fabrikam.id}/orders`, helpdesk)).json().totalCount).toBe(
        ordersBefore,
      );
    });

    it('a Sales agent can buy', async () => {
      const cart = await postCart(northwind.id, [licenceLine(1)], await world.as(users.sales));
      expect(cart.statusCode, cart.body).toBe(201);
      expect(cart.json().lastModifiedUser).toBe(users.sales);
    });
  });

  describe('invalid carts', () => {
    it.each([
      [
        'an unknown catalog item',
        [{ catalogItemId: 'NOPE:0001:NOPE', quantity: 1, billingCycle: 'monthly' }],
        'catalog-item-not-found',
      ],
      [
        'a product id instead of a catalog item id',
        [{ catalogItemId: reservation.productId, quantity: 1, billingCycle: 'one_time' }],
        'catalog-item-not-found',
      ],
      ['a zero quantity', [{ ...licenceLine(), quantity: 0 }], 'invalid-request'],
      ['a fractional quantity', [{ ...licenceLine(), quantity: 1.5 }], 'invalid-request'],
      ['no line items', [], 'invalid-request'],
      ['a line without a catalog item', [{ quantity: 1, billingCycle: 'monthly' }], 'invalid-request'],
      [
        'a second Azure plan quantity',
        [{ catalogItemId: azurePlan.catalogItemId, quantity: 2, billingCycle: 'one_time' }],
        'invalid-cart-line',
      ],
    ])('%s: 400', async (_what, lineItems, errorName) => {
      const res = await postCart(fabrikam.id, lineItems);
      expectPartnerCenterError(res, 400, errorName);
    });

    it('an unknown catalog item carries the partner-center cart code 10001', async () => {
      const body = expectPartnerCenterError(
        await postCart(fabrikam.id, [
          { catalogItemId: 'NOPE:0001:NOPE', quantity: 1, billingCycle: 'monthly' },
        ]),
        400,
      );
      expect(body.code).toBe(10001);
    });
  });
});
