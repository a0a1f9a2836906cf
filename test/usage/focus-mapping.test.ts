import Big from 'big.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type FocusColumn,
  focusDateTime,
  focusRowToUsage,
  focusVersionOf,
  spreadOverDay,
  subscriptionIdOf,
} from '../../src/domain/focus-usage.ts';

const place = { kind: 'Row' as const, at: 3 };
const ctx = {
  ledgerCurrency: 'USD',
  savingsPlanRates: (sku: string) =>
    sku === 'Standard_D2s_v3' ? { P1Y: '0.070000', P3Y: '0.050000' } : null,
};
const vmRow: Partial<Record<FocusColumn, string>> = {
  ChargeCategory: 'Usage',
  ChargePeriodStart: '2026-11-01T10:00:00Z',
  ChargePeriodEnd: '2026-11-01T11:00:00Z',
  SubAccountId: '/subscriptions/89BBF096-E84A-5FD2-AD40-4EFFF1731F82',
  ConsumedQuantity: '0.75',
  ListUnitPrice: '0.096',
  BillingCurrency: 'USD',
  RegionId: 'eastus',
  x_SkuMeterCategory: 'Virtual Machines',
  x_SkuMeterName: 'D2s v3',
  x_SkuDetails: '{"ServiceType":"Standard_D2s_v3","VCPUs":2}',
};
const map = (overrides: Partial<Record<FocusColumn, string>> = {}) => {
  const row = { ...vmRow, ...overrides };
  return focusRowToUsage((c) => row[c] ?? '', place, ctx);
};
const usage = (overrides: Partial<Record<FocusColumn, string>> = {}) => {
  const outcome = map(overrides);
  if (outcome.kind !== 'usage') throw new Error(`skipped: ${outcome.reason}`);
  return outcome.rows;
};

describe('FocusCost rows as Mitra usage rows', () => {
  it('a VM hour: the ARM size from x_SkuDetails, reservable, savings plan rates from the price list', () => {
    expect(usage()).toEqual([
      {
        customerId: null,
        subscription: '89bbf096-e84a-5fd2-ad40-4efff1731f82',
        hour: new Date('2026-11-01T10:00:00Z'),
        resourceGroup: 'default',
        region: 'eastus',
        meterCategory: 'Virtual Machines',
        reservedResourceType: 'VirtualMachines',
        sku: 'Standard_D2s_v3',
        quantity: '0.750000',
        paygUnitPrice: '0.096000',
        spUnitPriceP1Y: '0.070000',
        spUnitPriceP3Y: '0.050000',
        benefitEligible: true,
        resourceId: null,
      },
    ]);
  });

  it('without x_SkuDetails the meter name gives the size; spot and licence meters are not reservable', () => {
    expect(usage({ x_SkuDetails: '' })[0].sku).toBe('Standard_D2s_v3');
    expect(usage({ x_SkuDetails: '', SkuPriceDetails: '{"InstanceType":"Standard_E4s_v3"}' })[0].sku).toBe(
      'Standard_E4s_v3',
    );
    const spot = usage({ x_SkuDetails: '', x_SkuMeterName: 'D2s v3 Spot' })[0];
    expect(spot).toMatchObject({ reservedResourceType: null, benefitEligible: false, spUnitPriceP1Y: null });
    const licence = usage({
      x_SkuMeterCategory: 'Virtual Machines Licenses',
      x_SkuMeterName: 'Windows Server 2 vCPU VM License',
    })[0];
    expect(licence).toMatchObject({
      sku: 'Windows Server 2 vCPU VM License',
      benefitEligible: false,
      reservedResourceType: null,
    });
  });

  it('quantity from PricingQuantity × block size, price per consumed unit; billing currency converted back', () => {
    const [row] = usage({
      ConsumedQuantity: '',
      PricingQuantity: '0.25',
      x_PricingBlockSize: '100',
      ListUnitPrice: '5',
    });
    expect(row).toMatchObject({ quantity: '25.000000', paygUnitPrice: '0.050000' });
    const idr = usage({
      BillingCurrency: 'IDR',
      x_PricingCurrency: 'USD',
      ListUnitPrice: '1560',
      x_BillingExchangeRate: '16250',
    })[0];
    expect(idr.paygUnitPrice).toBe('0.096000');
    const own = usage({
      BillingCurrency: 'IDR',
      PricingCurrency: 'USD',
      PricingCurrencyListUnitPrice: '0.1',
      ListUnitPrice: '1625',
    })[0];
    expect(own.paygUnitPrice).toBe('0.100000');
    expect(() => usage({ BillingCurrency: 'EUR' })).toThrow(
      /Row 3, column BillingCurrency: prices are in EUR, but Mitra keeps usage in USD/,
    );
    expect(() => usage({ BillingCurrency: 'IDR', x_PricingCurrency: 'USD' })).toThrow(
      /column x_BillingExchangeRate/,
    );
  });

  it('purchases, unused hours and money rows are skipped; covered usage is usage', () => {
    expect(map({ ChargeCategory: 'Purchase' })).toEqual({ kind: 'skip', reason: 'purchases' });
    expect(map({ CommitmentDiscountStatus: 'Unused', ConsumedQuantity: '' })).toEqual({
      kind: 'skip',
      reason: 'unused',
    });
    for (const c of ['Tax', 'Credit', 'Adjustment'])
      expect(map({ ChargeCategory: c })).toEqual({ kind: 'skip', reason: 'other' });
    expect(map({ CommitmentDiscountStatus: 'Used' }).kind).toBe('usage');
    expect(() => map({ ChargeCategory: 'Refund' })).toThrow(/column ChargeCategory/);
  });

  it('a daily row is 24 hours from its start; other periods and half hours are refused', () => {
    const day = usage({
      ChargePeriodStart: '2026-11-01T00:00Z',
      ChargePeriodEnd: '2026-11-02T00:00Z',
      ConsumedQuantity: '1',
    });
    expect(day.map((r) => r.hour.getUTCHours())).toEqual(Array.from({ length: 24 }, (_, h) => h));
    expect(() => usage({ ChargePeriodEnd: '2026-12-01T10:00:00Z' })).toThrow(
      /column ChargePeriodEnd: a charge period must last/,
    );
    expect(() => usage({ ChargePeriodStart: '2026-11-01T10:30:00Z' })).toThrow(/column ChargePeriodStart/);
  });

  it('spreading a day keeps every millionth and differs by at most one between hours', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 12 }), (millionths) => {
        const quantity = new Big(millionths).div(1_000_000).toFixed(6);
        const hours = spreadOverDay(quantity).map((q) => Number(new Big(q).times(1_000_000)));
        expect(hours).toHaveLength(24);
        expect(hours.reduce((a, b) => a + b, 0)).toBe(millionths);
        expect(Math.max(...hours) - Math.min(...hours)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('dates: seconds optional (1.0), fractions allowed, always UTC', () => {
    expect(focusDateTime('2026-11-01T10:00Z', place, 'x').toISOString()).toBe('2026-11-01T10:00:00.000Z');
    expect(focusDateTime('2026-11-01T10:00:00.000Z', place, 'x').toISOString()).toBe(
      '2026-11-01T10:00:00.000Z',
    );
    for (const bad of [
      '2026-11-01 10:00:00',
      '2026-11-01T10:00:00+07:00',
      '2026-02-30T10:00:00Z',
      '2026-11-01',
      '',
    ])
      expect(() => focusDateTime(bad, place, 'ChargePeriodStart')).toThrow(/Row 3, column ChargePeriodStart/);
  });

  it('subscriptions: /subscriptions/{id} or a bare id; versions from the header', () => {
    expect(subscriptionIdOf('/subscriptions/ABC/resourceGroups/x')).toBe('abc');
    expect(subscriptionIdOf('abc')).toBe('abc');
    expect(subscriptionIdOf('/providers/x')).toBeNull();
    const header = Object.keys(vmRow);
    expect(focusVersionOf(header)).toBe('1.0');
    expect(focusVersionOf([...header, 'SkuMeter'])).toBe('1.2-preview');
    expect(() => focusVersionOf(header.filter((c) => c !== 'RegionId'))).toThrow(/the header lacks RegionId/);
  });
});
