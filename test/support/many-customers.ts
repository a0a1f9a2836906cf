import { randomUUID } from 'node:crypto';
import type { Db } from '../../src/store/db.ts';

/**
 * Adds `count` customers to a partner, each with an active Azure plan subscription except every
 * `withoutAzurePlanEvery`-th one (which only has a licence), for bulk tests and benchmarks.
 */
export async function addManyCustomers(
  db: Db,
  partnerId: string,
  count: number,
  withoutAzurePlanEvery = 10,
): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += 500) {
    const batch = Array.from({ length: Math.min(500, count - start) }, (_, i) => start + i);
    const customers = batch.map((n) => ({
      id: randomUUID(),
      partner_id: partnerId,
      commerce_id: randomUUID(),
      company_name: `Bulk Customer ${String(n).padStart(5, '0')}`,
      domain: `bulk-${n}-${randomUUID().slice(0, 8)}.example`,
      country: 'ID',
      currency: 'USD',
      culture: 'id-ID',
      language: 'id',
      email: `it@bulk-${n}.example`,
      first_name: 'Bulk',
      last_name: 'Customer',
      address_line1: '1 Bulk Road',
      city: 'Bandung',
      postal_code: '40111',
    }));
    await db.insertInto('customers').values(customers).execute();
    await db
      .insertInto('subscriptions')
      .values(
        customers.map((c, i) => {
          const licenceOnly = (start + i) % withoutAzurePlanEvery === withoutAzurePlanEvery - 1;
          return {
            id: randomUUID(),
            customer_id: c.id,
            partner_id: partnerId,
            entitlement_id: licenceOnly ? null : randomUUID(),
            offer_id: licenceOnly ? 'licence' : 'DZH318Z0BPS6:0001:DZH318Z0BML6',
            offer_name: licenceOnly ? 'Licence' : 'Azure plan',
            friendly_name: licenceOnly ? 'Licence' : 'Azure plan',
            product_type: licenceOnly ? ('license' as const) : ('azure_plan' as const),
            status: 'active' as const,
            unit_type: licenceOnly ? 'Licenses' : 'Usage-based',
            billing_type: licenceOnly ? ('license' as const) : ('usage' as const),
            billing_cycle: 'monthly',
            term_duration: null,
          };
        }),
      )
      .execute();
    ids.push(...customers.map((c) => c.id));
  }
  return ids;
}
