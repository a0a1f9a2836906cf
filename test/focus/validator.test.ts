import { describe, expect, it } from 'vitest';
import { type FocusFile, parseCsv, specColumns, validateFocus } from '../support/focus-validator.ts';

/** Two rows written by hand from the spec (not by Mitra's export): pay-as-you-go usage and an upfront reservation purchase. */
const usage: Record<string, string | null> = {
  ...Object.fromEntries(Object.keys(specColumns).map((c) => [c, null])),
  BilledCost: '0.192',
  BillingAccountId: '/partners/p/customers/c',
  BillingAccountName: 'Fabrikam',
  BillingAccountType: 'Customer',
  BillingCurrency: 'USD',
  BillingPeriodStart: '2026-11-01T00:00:00Z',
  BillingPeriodEnd: '2026-12-01T00:00:00Z',
  ChargeCategory: 'Usage',
  ChargeDescription: 'Virtual Machines: Standard_D2s_v3 in East US',
  ChargeFrequency: 'Usage-Based',
  ChargePeriodStart: '2026-11-03T10:00:00Z',
  ChargePeriodEnd: '2026-11-03T11:00:00Z',
  ConsumedQuantity: '2',
  ConsumedUnit: 'Hours',
  ContractedCost: '0.192',
  ContractedUnitPrice: '0.096',
  EffectiveCost: '0.192',
  InvoiceIssuerName: 'Contoso',
  ListCost: '0.192',
  ListUnitPrice: '0.096',
  PricingCategory: 'Standard',
  PricingCurrency: 'USD',
  PricingCurrencyContractedUnitPrice: '0.096',
  PricingCurrencyEffectiveCost: '0.192',
  PricingCurrencyListUnitPrice: '0.096',
  PricingQuantity: '2',
  PricingUnit: 'Hours',
  ProviderName: 'Microsoft',
  PublisherName: 'Microsoft',
  RegionId: 'eastus',
  RegionName: 'East US',
  ResourceId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1',
  ResourceName: 'vm1',
  ResourceType: 'Virtual machine',
  ServiceCategory: 'Compute',
  ServiceName: 'Virtual Machines',
  ServiceSubcategory: 'Virtual Machines',
  SkuId: 'Standard_D2s_v3',
  SkuMeter: 'D2s v3',
  SkuPriceId: 'Standard_D2s_v3/eastus',
  SubAccountId: '/subscriptions/s',
  SubAccountName: 'Production',
  SubAccountType: 'Subscription',
  Tags: '{"env":"prod","owned":true}',
  x_ResourceGroupName: 'rg',
};
const reservation = '/providers/Microsoft.Capacity/reservationOrders/o/reservations/r';
const purchase: Record<string, string | null> = {
  ...usage,
  BilledCost: '700',
  ChargeCategory: 'Purchase',
  ChargeFrequency: 'One-Time',
  ChargeDescription: 'Reservation, paid upfront',
  ChargePeriodStart: '2026-11-03T00:00:00Z',
  ChargePeriodEnd: '2026-11-04T00:00:00Z',
  ConsumedQuantity: null,
  ConsumedUnit: null,
  ContractedCost: '700',
  ContractedUnitPrice: '700',
  ListCost: '800',
  ListUnitPrice: '800',
  EffectiveCost: '0',
  PricingCurrencyEffectiveCost: '0',
  PricingCurrencyContractedUnitPrice: '700',
  PricingCurrencyListUnitPrice: '800',
  PricingQuantity: '1',
  PricingUnit: 'Units',
  CommitmentDiscountId: reservation,
  CommitmentDiscountCategory: 'Usage',
  CommitmentDiscountType: 'Reservation',
  CommitmentDiscountName: 'Web fleet',
  CommitmentDiscountQuantity: '8760',
  CommitmentDiscountUnit: 'Hours',
  ResourceId: reservation,
  ResourceName: 'Web fleet',
  ResourceType: 'Reservation',
  Tags: null,
};
const columns = [...Object.keys(specColumns), 'x_ResourceGroupName'];
const file = (rows: Record<string, string | null>[], cols = columns): FocusFile => ({ columns: cols, rows });
const broken = (change: Record<string, string | null>, base = usage) =>
  validateFocus(file([{ ...base, ...change }]));

describe('the FOCUS validator of the tests', () => {
  it('accepts the hand-written rows', () => {
    expect(validateFocus(file([usage, purchase]), { require: ['@commitment'] }).errors).toEqual([]);
  });

  it('refuses a missing or miscased mandatory column and an unprefixed custom column', () => {
    const noBilled = columns.filter((c) => c !== 'BilledCost');
    expect(validateFocus(file([usage], noBilled)).counts.presence).toBe(1);
    const cased = columns.map((c) => (c === 'BilledCost' ? 'billedCost' : c));
    const result = validateFocus(file([usage], cased));
    expect(result.counts.presence).toBe(1);
    expect(result.counts['custom-prefix']).toBe(1);
    expect(validateFocus(file([usage], [...columns, 'ResourceGroup'])).counts['custom-prefix']).toBe(1);
    expect(validateFocus(file([usage], ['x_First', ...columns])).counts['column-order']).toBeGreaterThan(0);
    expect(validateFocus(file([]), { require: ['@commitment'] }).errors).toEqual([]);
    expect(
      validateFocus(
        file(
          [],
          columns.filter((c) => c !== 'CommitmentDiscountUnit'),
        ),
        { require: ['@commitment'] },
      ).counts.presence,
    ).toBe(1);
  });

  it('refuses bad formats: dates without seconds or zone, numbers with + or E+, blanks, nested JSON', () => {
    expect(broken({ ChargePeriodStart: '2026-11-03T10:00Z' }).counts.type).toBe(1);
    expect(broken({ ChargePeriodEnd: '2026-11-03 11:00:00' }).counts.type).toBe(1);
    expect(broken({ BilledCost: '+0.192' }).counts.type).toBe(1);
    expect(broken({ ListCost: '1.92E+1' }).counts.type).toBe(1);
    expect(broken({ ListCost: '1,92' }).counts.type).toBe(1);
    expect(broken({ ListCost: '1.92E-1', ListUnitPrice: '0.96E-1' }).errors).toEqual([]);
    expect(broken({ AvailabilityZone: '' }).counts.blank).toBe(1);
    expect(broken({ Tags: '["a"]' }).counts.type).toBe(1);
    expect(broken({ Tags: '{"a":{"b":1}}' }).counts.type).toBe(1);
    expect(broken({ Tags: '{"a":1,"a":2}' }).counts.type).toBe(1);
  });

  it('tells NULL (empty unquoted) from an empty string (quoted) in CSV', () => {
    const header = 'AvailabilityZone,BilledCost';
    expect(parseCsv(`${header}\r\n,1\r\n`).rows[0].AvailabilityZone).toBeNull();
    expect(parseCsv(`${header}\r\n"",1\r\n`).rows[0].AvailabilityZone).toBe('');
    expect(parseCsv(`${header}\r\n"a, ""b""",1\r\n`).rows[0].AvailabilityZone).toBe('a, "b"');
  });

  it('refuses NULLs, values outside the allowed lists, currencies and negative prices', () => {
    expect(broken({ BilledCost: null }).counts['not-null']).toBe(1);
    expect(broken({ ChargeCategory: 'usage' }).counts.allowed).toBe(1);
    expect(broken({ ChargeClass: 'Refund' }).counts.allowed).toBe(1);
    expect(broken({ ServiceCategory: 'Computers' }).counts.allowed).toBe(1);
    expect(broken({ ServiceSubcategory: 'Object Storage' }).counts.subcategory).toBe(1);
    expect(broken({ BillingCurrency: 'XXX' }).counts.currency).toBe(1);
    expect(broken({ ListUnitPrice: '-0.096', ListCost: '-0.192' }).counts['negative-price']).toBe(1);
  });

  it('refuses broken cross-column rules', () => {
    expect(broken({ RegionName: null }).counts['null-iff']).toBe(1);
    expect(broken({ ConsumedUnit: null }).counts['null-iff']).toBe(1);
    expect(broken({ PricingQuantity: null, PricingUnit: null }).counts['set-when']).toBe(1);
    expect(broken({ CommitmentDiscountCategory: null }, purchase).counts['null-iff']).toBe(1);
    expect(broken({ CommitmentDiscountStatus: 'Used' }).counts['null-when']).toBe(1);
    expect(broken({ ConsumedQuantity: '1', ConsumedUnit: 'Hours' }, purchase).counts['null-when']).toBe(1);
    expect(broken({ ChargePeriodEnd: '2026-11-03T10:00:00Z' }).counts.period).toBe(1);
    expect(broken({ ListCost: '0.5' }).counts['unit-price']).toBe(1);
    expect(broken({ EffectiveCost: '0.5' }).counts.payg).toBe(1);
  });

  it('refuses what §4 forbids on commitment rows', () => {
    expect(broken({ EffectiveCost: '700' }, purchase).counts.purchase).toBeGreaterThan(0);
    expect(broken({ ChargeFrequency: 'Usage-Based' }, purchase).counts.purchase).toBe(1);
    expect(broken({ PricingCategory: 'Committed' }, purchase).counts.purchase).toBeGreaterThan(0);
    expect(broken({ CommitmentDiscountStatus: 'Unused' }, purchase).counts.unused).toBeGreaterThan(0);
    const covered = {
      ...usage,
      CommitmentDiscountId: reservation,
      CommitmentDiscountCategory: 'Usage',
      CommitmentDiscountType: 'Reservation',
      CommitmentDiscountName: 'Web fleet',
      CommitmentDiscountStatus: 'Used',
      CommitmentDiscountQuantity: '2',
      CommitmentDiscountUnit: 'Hours',
      PricingCategory: 'Committed',
      BilledCost: '0',
      EffectiveCost: '0.15',
    };
    expect(validateFocus(file([covered])).errors).toEqual([]);
    expect(broken({ BilledCost: '0.192' }, covered).counts.used).toBe(1);
    expect(broken({ PricingCategory: 'Standard' }, covered).counts.committed).toBe(1);
    expect(broken({ CommitmentDiscountStatus: null }, covered).counts['set-when']).toBe(1);
    expect(
      broken({ CommitmentDiscountQuantity: null, CommitmentDiscountUnit: null }, covered).counts['set-when'],
    ).toBe(1);
  });
});
