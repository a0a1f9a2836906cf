import { describe, expect, it } from 'vitest';
import { MitraError } from './errors.ts';
import { costBillingPlan, type PriceSheetColumn, parsePriceSheetRow } from './price-sheet.ts';

const row = (over: Partial<Record<PriceSheetColumn, string>> = {}) => {
  const cells: Partial<Record<PriceSheetColumn, string>> = {
    ProductId: 'DZH318Z0ABCD',
    SkuId: '0ABC',
    TermDuration: 'P1Y',
    BillingPlan: 'Upfront',
    Currency: 'usd',
    UnitPrice: '403.68',
    EffectiveStartDate: '2026-06-01T00:00:00.0000000Z',
    ...over,
  };
  return (c: PriceSheetColumn) => cells[c] ?? '';
};
const problem = (over: Partial<Record<PriceSheetColumn, string>>) => {
  try {
    parsePriceSheetRow(row(over), 7);
  } catch (error) {
    return { code: (error as MitraError).code, message: (error as MitraError).message };
  }
  return null;
};

describe('price sheet rows', () => {
  it('reads Partner Center values: terms in words or ISO, plans, dates with times', () => {
    expect(parsePriceSheetRow(row(), 2)).toEqual({
      line: 2,
      productId: 'DZH318Z0ABCD',
      skuId: '0ABC',
      termDuration: 'P1Y',
      billingPlan: 'upfront',
      currency: 'USD',
      unitPrice: '403.680000',
      effectiveStart: '2026-06-01',
      effectiveEnd: null,
      baseTier: true,
    });
    expect(parsePriceSheetRow(row({ TermDuration: '3 Years', BillingPlan: 'Monthly' }), 2)).toMatchObject({
      termDuration: 'P3Y',
      billingPlan: 'monthly',
    });
    expect(parsePriceSheetRow(row({ PricingTierRangeMin: '1000' }), 2).baseTier).toBe(false);
    expect(parsePriceSheetRow(row({ EffectiveEndDate: '2026-07-01' }), 2).effectiveEnd).toBe('2026-07-01');
  });

  it('refuses a bad row with its line and column', () => {
    expect(problem({ UnitPrice: 'abc' })).toMatchObject({
      code: 'invalid-price-sheet-row',
      message: expect.stringContaining('Line 7, column UnitPrice'),
    });
    expect(problem({ UnitPrice: '-1' })?.message).toContain('UnitPrice');
    expect(problem({ ProductId: '' })?.message).toContain('column ProductId');
    expect(problem({ TermDuration: '2 Years' })?.message).toContain('column TermDuration');
    expect(problem({ BillingPlan: 'Weekly' })?.message).toContain('column BillingPlan');
    expect(problem({ Currency: 'US Dollar' })?.message).toContain('column Currency');
    expect(problem({ EffectiveStartDate: '6/1/2026' })?.message).toContain('column EffectiveStartDate');
    expect(problem({ EffectiveEndDate: '2026-05-01' })?.message).toContain('column EffectiveEndDate');
    expect(problem({ PricingTierRangeMin: 'x' })?.message).toContain('column PricingTierRangeMin');
    expect(problem({ SkuId: 'a\u0000' })?.message).toContain('NUL');
    expect(problem({})).toBeNull();
    expect(new MitraError('invalid', 'x', 'y').kind).toBe('invalid');
  });

  it('costs the price rows the catalog sells', () => {
    expect(costBillingPlan('reservation', 'upfront')).toBe('upfront');
    expect(costBillingPlan('savings_plan', 'monthly')).toBe('monthly');
    expect(costBillingPlan('license', 'monthly')).toBe('license_monthly');
    expect(costBillingPlan('license', 'annual')).toBeNull();
    expect(costBillingPlan('azure_plan', 'monthly')).toBeNull();
  });
});
