import { it } from 'vitest';
import { demoWorld, users } from '../support/app.ts';
it('explore', async () => {
  const world = await demoWorld(process.env.DATABASE_URL ? 'postgres' : 'pglite');
  const h = await world.as(users.admin);
  const fab = 'eaf5027b-2d6a-55f6-af2c-73192343f36b';
  const dashes = '-'.repeat(36);
  const tok = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const probes: [string, string, unknown?][] = [
    ['GET', `/v1/customers/${fab}/subscriptions/${dashes}`],
    ['GET', `/v1/customers/${fab}/orders/${dashes}`],
    ['GET', `/v1/customers/${fab}/carts/${dashes}`],
    ['POST', `/v1/customers/${fab}/carts/not-a-uuid/checkout`],
    ['POST', `/v1/customers/${fab}/carts/${dashes}/checkout`],
    ['GET', `/v1/customers/${fab}/subscriptions?order_id=abc`],
    ['GET', `/v1/auditrecords?filter=${encodeURIComponent(JSON.stringify({ Field: 'CustomerId', Value: dashes, Operator: 'equals' }))}`],
    ['GET', `/v1/customers?size=1&continuationToken=${tok({ n: 'A', i: 'x' })}`],
    ['GET', `/v1/customers?size=1&continuationToken=${tok({ n: { a: 1 }, i: 'x' })}`],
    ['GET', `/v1/auditrecords?continuationToken=${tok({ s: 'abc' })}`],
    ['GET', `/v1/auditrecords?continuationToken=${tok({ s: 1e300 })}`],
    ['GET', `/api/activity?continuationToken=${tok({ s: 'abc' })}`],
    ['GET', `/api/customers?continuationToken=${tok({ n: 'A', i: 'x' })}`],
    ['GET', `/v1/customers/%E0%A4%A`],
    ['GET', `/api/customers/%E0%A4%A`],
    ['GET', `/v1/customers/${fab}/orders?billingType=${'x'.repeat(10)}`],
    ['GET', `/v1/auditrecords?startDate=2026-02-30`],
    ['GET', `/v1/auditrecords?startDate=99999-01-01`],
    ['GET', `/v1/auditrecords?endDate=9999-12-31`],
    ['GET', `/v1/products/%00?country=US`],
    ['GET', `/v1/products/${'\u0000'}?country=US`],
    ['GET', `/v1/customers?filter=${encodeURIComponent(JSON.stringify({ Field: 'CompanyName', Value: '\u0000', Operator: 'starts_with' }))}`],
    ['GET', `/v1/customers/${fab}/products/%00?country=US`],
    ['GET', `/api/activity?startDate=${'\u0000'}`],
    ['GET', `/v1/auditrecords?filter=${encodeURIComponent(JSON.stringify({ Field: 'CompanyName', Value: 'a\u0000', Operator: 'substring' }))}`],
    ['POST', `/v1/customers/${fab}/carts`, { lineItems: [{ catalogItemId: 'x\u0000', quantity: 1, billingCycle: 'monthly' }] }],
    ['GET', `/v1/auditrecords?size=2`],
  ];
  for (const [method, url, payload] of probes) {
    const res = await world.app.inject({ method: method as 'GET', url, headers: h, payload: payload as object });
    console.log(method, url.slice(0, 120), res.statusCode, res.body.slice(0, 300));
  }
  await world.close();
});
