import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Big from 'big.js';
import { describe, expect, it } from 'vitest';
import { customerUnitPrice, priceKindOf } from '../domain/customer-prices.ts';
import { azureGlobal, azurePlan, catalog, findAvailability, productOf, skuOf, vmSizes } from './catalog.ts';
import { demoDefaultMarkups } from './price-sheet.ts';
import {
  billingPlansOf,
  HOURS_PER_MONTH,
  type PriceEntry,
  payAsYouGoHourly,
  retailPrices,
  termMonths,
} from './prices.ts';
import { generateHourlyUsage, type UsageInput, type UsageRow } from './usage.ts';

const retail = retailPrices();
const priceKey = (p: Pick<PriceEntry, 'catalogItemId' | 'termDuration' | 'billingPlan'>) =>
  `${p.catalogItemId}|${p.termDuration}|${p.billingPlan}`;
const byKey = (list: PriceEntry[]) => new Map(list.map((p) => [priceKey(p), p]));

describe('catalog', () => {
  it('gives every availability a unique catalog item id of the partner-center form', () => {
    const ids = catalog.availabilities.map((a) => a.catalogItemId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const a of catalog.availabilities) {
      if (a.productId === azureGlobal.offerId) expect(a.catalogItemId).toBe(azureGlobal.offerId);
      else expect(a.catalogItemId).toBe(`${a.productId}:${a.skuId}:${a.id}`);
    }
    expect(findAvailability(azurePlan.catalogItemId)?.termDuration).toBeNull();
  });

  it('uses 12-character product and availability ids and 4-character SKU ids', () => {
    const pcId = /^[0-9A-Z]{12}$/;
    for (const p of catalog.products) if (p.id !== azureGlobal.offerId) expect(p.id).toMatch(pcId);
    for (const s of catalog.skus) expect(s.id).toMatch(/^[0-9A-Z]{4}$/);
    for (const a of catalog.availabilities)
      if (a.productId !== azureGlobal.offerId) expect(a.id).toMatch(pcId);
  });

  it('keeps the keys and references of the tables intact', () => {
    const products = new Set(catalog.products.map((p) => p.id));
    expect(products.size).toBe(catalog.products.length);
    const skuKeys = catalog.skus.map((s) => `${s.productId}:${s.id}`);
    expect(new Set(skuKeys).size).toBe(skuKeys.length);
    for (const s of catalog.skus) expect(products.has(s.productId)).toBe(true);
    for (const a of catalog.availabilities) expect(skuKeys).toContain(`${a.productId}:${a.skuId}`);
  });

  it('offers every VM reservation SKU for 1 and 3 years, upfront or monthly, 1 to 100 instances', () => {
    const reservationSkus = catalog.skus.filter((s) => s.armSkuName !== null);
    expect(reservationSkus.length).toBeGreaterThan(200);
    for (const s of reservationSkus) {
      expect(s).toMatchObject({ minimumQuantity: 1, maximumQuantity: 100 });
      expect(s.provisioningVariables).toEqual(['Scope', 'SubscriptionId']);
      const terms = catalog.availabilities
        .filter((a) => a.productId === s.productId && a.skuId === s.id)
        .map((a) => [a.termDuration, a.billingCycles]);
      expect(terms).toEqual([
        ['P1Y', ['one_time', 'monthly']],
        ['P3Y', ['one_time', 'monthly']],
      ]);
    }
  });

  it('takes every SKU ratio from the public instance-size-flexibility table', () => {
    const table = readIsfTable();
    for (const size of vmSizes) {
      const row = table.get(size.armSkuName);
      expect(row, size.armSkuName).toBeDefined();
      expect(row!.group).toBe(size.isfGroup);
      expect(new Big(row!.ratio).eq(size.isfRatio), size.armSkuName).toBe(true);
    }
    for (const s of catalog.skus.filter((x) => x.armSkuName !== null)) {
      const row = table.get(s.armSkuName!)!;
      expect(s.isfGroup).toBe(row.group);
      expect(new Big(s.isfRatio!).eq(row.ratio)).toBe(true);
    }
  });
});

describe('prices', () => {
  it('prices every availability under each of its billing plans, and nothing else', () => {
    const keys = byKey(retail);
    expect(keys.size).toBe(retail.length);
    const expected = catalog.availabilities.flatMap((a) =>
      billingPlansOf(a).map((billingPlan) =>
        priceKey({ catalogItemId: a.catalogItemId, termDuration: a.termDuration ?? '', billingPlan }),
      ),
    );
    expect([...keys.keys()].sort()).toEqual(expected.sort());
    for (const p of retail) expect(p.unitPrice).toMatch(/^\d+\.\d{6}$/);
  });

  it('charges nothing for the Azure plan and the legacy offer themselves', () => {
    const keys = byKey(retail);
    expect(keys.get(`${azurePlan.catalogItemId}||usage`)?.unitPrice).toBe('0.000000');
    expect(keys.get(`${azureGlobal.offerId}||usage`)?.unitPrice).toBe('0.000000');
  });

  it('makes monthly × months equal upfront exactly, on the retail and the default customer list', () => {
    const customerList = retail.map((p) => ({
      ...p,
      unitPrice: customerUnitPrice(
        p.unitPrice,
        priceKindOf(productOf(findAvailability(p.catalogItemId)!).productType),
        { markups: demoDefaultMarkups },
      ).unitPrice,
    }));
    for (const list of [retail, customerList]) {
      const keys = byKey(list);
      const monthly = list.filter((p) => p.billingPlan === 'monthly');
      expect(monthly.length).toBeGreaterThan(500);
      for (const m of monthly) {
        const upfront = keys.get(priceKey({ ...m, billingPlan: 'upfront' }))!;
        expect(
          new Big(m.unitPrice).times(termMonths(m.termDuration)).eq(upfront.unitPrice),
          priceKey(m),
        ).toBe(true);
      }
    }
  });

  it('discounts reservations by about 40% for 1 year and 60% for 3 years', () => {
    for (const p of retail.filter((x) => x.billingPlan === 'upfront')) {
      const availability = findAvailability(p.catalogItemId)!;
      if (productOf(availability).productType !== 'reservation') continue;
      const sku = skuOf(availability);
      const hours = termMonths(p.termDuration) * HOURS_PER_MONTH;
      const payg = new Big(payAsYouGoHourly(sku.armSkuName!, sku.region!)).times(hours);
      const paid = Number(new Big(p.unitPrice).div(payg));
      if (p.termDuration === 'P1Y') expect(paid).toBeGreaterThan(0.55);
      if (p.termDuration === 'P1Y') expect(paid).toBeLessThan(0.66);
      if (p.termDuration === 'P3Y') expect(paid).toBeGreaterThan(0.35);
      if (p.termDuration === 'P3Y') expect(paid).toBeLessThan(0.45);
    }
  });

  it('prices a savings plan per 1.00 USD of hourly commitment', () => {
    const sp = retail.filter(
      (p) => productOf(findAvailability(p.catalogItemId)!).productType === 'savings_plan',
    );
    expect(sp.map((p) => [p.termDuration, p.billingPlan, p.unitPrice, p.unit])).toEqual([
      ['P1Y', 'upfront', '8760.000000', '1 Hour'],
      ['P1Y', 'monthly', '730.000000', '1 Hour'],
      ['P3Y', 'upfront', '26280.000000', '1 Hour'],
      ['P3Y', 'monthly', '730.000000', '1 Hour'],
    ]);
  });
});

describe('usage', () => {
  const input = (over: Partial<UsageInput> = {}): UsageInput => ({
    customerId: '11111111-1111-4111-8111-111111111111',
    subscriptions: [{ id: '22222222-2222-4222-8222-222222222222', seed: 'contoso-prod' }],
    from: new Date('2025-03-03T00:00:00Z'),
    hours: 7 * 24,
    seed: 42,
    ...over,
  });
  const week = [...generateHourlyUsage(input())];

  it('is the same for the same seed and differs for another', () => {
    expect([...generateHourlyUsage(input())]).toEqual(week);
    expect([...generateHourlyUsage(input({ seed: 43 }))]).not.toEqual(week);
    const otherSubscription = input({ subscriptions: [{ id: input().subscriptions[0].id, seed: 'x' }] });
    expect([...generateHourlyUsage(otherSubscription)]).not.toEqual(week);
  });

  it('gives an hour the same rows whatever window it is generated in', () => {
    const third = [...generateHourlyUsage(input({ from: new Date('2025-03-05T00:00:00Z'), hours: 24 }))];
    const start = Date.parse('2025-03-05T00:00:00Z');
    const inWeek = week.filter((r) => r.hour.getTime() >= start && r.hour.getTime() < start + 24 * 3_600_000);
    expect(third).toEqual(inWeek);
  });

  it('has no negative or malformed quantities and prices', () => {
    for (const r of week) {
      expect(r.quantity).toMatch(/^\d+\.\d{6}$/);
      expect(new Big(r.quantity).gt(0)).toBe(true);
      expect(r.paygUnitPrice).toMatch(/^\d+\.\d{6}$/);
      expect(r.hour.getUTCMinutes()).toBe(0);
    }
  });

  it('never makes licence, storage or bandwidth rows eligible for benefits', () => {
    const categories = new Set(week.map((r) => r.meterCategory));
    expect([...categories].sort()).toEqual([
      'Bandwidth',
      'Storage',
      'Virtual Machines',
      'Virtual Machines Licenses',
    ]);
    for (const r of week) {
      const vm = r.meterCategory === 'Virtual Machines';
      expect(r.benefitEligible).toBe(vm);
      expect(r.reservedResourceType).toBe(vm ? 'VirtualMachines' : null);
    }
  });

  it('prices VM rows at the pay-as-you-go rate of a catalogued size', () => {
    const sizes = new Set(vmSizes.map((s) => s.armSkuName));
    for (const r of week.filter((x) => x.meterCategory === 'Virtual Machines')) {
      expect(sizes.has(r.sku)).toBe(true);
      expect(r.paygUnitPrice).toBe(payAsYouGoHourly(r.sku, r.region));
    }
  });

  it('looks like a real fleet: always-on, office-hours and partial-hour VMs', () => {
    const vmRows = week.filter((r) => r.meterCategory === 'Virtual Machines');
    expect(vmRows.some((r) => r.quantity !== '1.000000')).toBe(true);
    const perHour = new Map<number, number>();
    for (const r of vmRows) perHour.set(r.hour.getTime(), (perHour.get(r.hour.getTime()) ?? 0) + 1);
    const counts = [...perHour.values()];
    expect(Math.max(...counts)).toBeGreaterThan(Math.min(...counts) + 3);
    expect(perHour.size).toBe(7 * 24); // something runs every hour
    expect(new Set(week.map((r) => r.resourceGroup)).size).toBeGreaterThanOrEqual(3);
  });

  it('keeps 90 days of one subscription between 20k and 60k rows', () => {
    let rows = 0;
    for (const _ of generateHourlyUsage(input({ hours: 90 * 24 }))) rows++;
    expect(rows).toBeGreaterThan(20_000);
    expect(rows).toBeLessThan(60_000);
  });

  it('labels every row with its customer and subscription', () => {
    const subscriptions = [
      { id: 'sub-a', seed: 'a' },
      { id: 'sub-b', seed: 'b' },
    ];
    const rows: UsageRow[] = [...generateHourlyUsage(input({ subscriptions, hours: 24 }))];
    expect(new Set(rows.map((r) => r.subscriptionId))).toEqual(new Set(['sub-a', 'sub-b']));
    expect(new Set(rows.map((r) => r.customerId))).toEqual(new Set([input().customerId]));
  });
});

/** The public table as the repository ships it (src/engine/isf-ratios.csv); MITRA_ISF_RATIOS points elsewhere. */
function readIsfTable(): Map<string, { group: string; ratio: string }> {
  const path =
    process.env.MITRA_ISF_RATIOS ?? fileURLToPath(new URL('../engine/isf-ratios.csv', import.meta.url));
  if (!existsSync(path)) throw new Error(`isf-ratios.csv not found at ${path}; set MITRA_ISF_RATIOS`);
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  expect(header).toBe('InstanceSizeFlexibilityGroup,ArmSkuName,Ratio');
  return new Map(
    lines.map((line) => {
      const [group, armSkuName, ratio] = line.split(',');
      return [armSkuName, { group, ratio }];
    }),
  );
}
