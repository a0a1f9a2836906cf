import { describe, expect, it } from 'vitest';
import { MitraError } from './errors.ts';
import { type CatalogFacts, checkPriceList, parseEffectiveFrom, parsePercent } from './price-list-input.ts';

const now = new Date('2026-06-15T10:00:00Z');
const catalog: Record<string, CatalogFacts> = {
  RI: { termDuration: 'P1Y', billingPlans: ['upfront', 'monthly'] },
  SEAT: { termDuration: 'P1M', billingPlans: ['license_monthly'] },
};
const markups = { usage: '0', reservations: '5', savingsPlans: '3', licences: '10' };
const check = (input: Parameters<typeof checkPriceList>[0]) =>
  checkPriceList(input, (id) => catalog[id], now);
const codeOf = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    if (error instanceof MitraError) return `${error.kind}:${error.code}`;
    throw error;
  }
  return 'ok';
};

describe('price list input', () => {
  it('accepts percents with at most two decimals between -100 and 1000, in their shortest form', () => {
    expect(parsePercent('10', 'm')).toBe('10');
    expect(parsePercent('-5.50', 'm')).toBe('-5.5');
    expect(parsePercent('+0.00', 'm')).toBe('0');
    expect(parsePercent(7.25, 'm')).toBe('7.25');
    expect(parsePercent('-100', 'm')).toBe('-100');
    for (const bad of ['abc', '', '1e2', '10.555', '10,5', ' ', '--1', 'NaN', null, undefined])
      expect(
        codeOf(() => parsePercent(bad, 'm')),
        String(bad),
      ).toBe('invalid:invalid-markup');
    for (const far of ['-150', '-100.01', '1000.01', '99999'])
      expect(
        codeOf(() => parsePercent(far, 'm')),
        far,
      ).toBe('invalid:markup-out-of-range');
  });

  it('names the field in the sentence', () => {
    try {
      check({ markups: { ...markups, licences: '3.141' } });
    } catch (error) {
      expect((error as MitraError).message).toContain('markups.licences');
      expect((error as MitraError).details).toEqual({ field: 'markups.licences' });
    }
  });

  it('checks overrides against the catalog', () => {
    const ok = check({
      markups,
      overrides: [
        { catalogItemId: 'RI', billingPlan: 'monthly', unitPrice: '35.5' },
        { catalogItemId: 'RI', termDuration: 'P1Y', markupPercent: '2' },
        { catalogItemId: 'SEAT', unitPrice: '9' },
      ],
    });
    expect(ok.overrides).toEqual([
      { catalogItemId: 'RI', billingPlan: 'monthly', unitPrice: '35.500000' },
      { catalogItemId: 'RI', termDuration: 'P1Y', markupPercent: '2' },
      { catalogItemId: 'SEAT', unitPrice: '9.000000' },
    ]);
    expect(ok.effectiveFrom).toBeNull();
    const cases: [Parameters<typeof checkPriceList>[0]['overrides'], string][] = [
      [[{ catalogItemId: 'NOPE', markupPercent: '1' }], 'unknown-catalog-item'],
      [[{ catalogItemId: 'RI', termDuration: 'P3Y', markupPercent: '1' }], 'override-term-mismatch'],
      [
        [{ catalogItemId: 'RI', billingPlan: 'license_monthly', markupPercent: '1' }],
        'override-billing-plan-invalid',
      ],
      [[{ catalogItemId: 'RI', billingPlan: 'weekly', markupPercent: '1' }], 'override-billing-plan-invalid'],
      [[{ catalogItemId: 'RI', unitPrice: '10' }], 'override-billing-plan-required'],
      [[{ catalogItemId: 'RI' }], 'override-needs-one-price'],
      [
        [{ catalogItemId: 'RI', billingPlan: 'upfront', unitPrice: '1', markupPercent: '1' }],
        'override-needs-one-price',
      ],
      [[{ catalogItemId: 'SEAT', unitPrice: '-1' }], 'invalid-override-price'],
      [[{ catalogItemId: 'SEAT', unitPrice: '1.1234567' }], 'invalid-override-price'],
      [[{ catalogItemId: 'SEAT', markupPercent: '-101' }], 'markup-out-of-range'],
      [
        [
          { catalogItemId: 'SEAT', markupPercent: '1' },
          { catalogItemId: 'SEAT', unitPrice: '2' },
        ],
        'duplicate-override',
      ],
    ];
    for (const [overrides, code] of cases)
      expect(
        codeOf(() => check({ markups, overrides })),
        JSON.stringify(overrides),
      ).toBe(`invalid:${code}`);
  });

  it('takes a future date or date-time as the moment a version takes effect', () => {
    expect(parseEffectiveFrom(undefined, now)).toBeNull();
    expect(parseEffectiveFrom(null, now)).toBeNull();
    expect(parseEffectiveFrom('', now)).toBeNull();
    expect(parseEffectiveFrom('2026-07-01', now)?.toISOString()).toBe('2026-07-01T00:00:00.000Z');
    expect(parseEffectiveFrom('2026-07-01T08:00:00+07:00', now)?.toISOString()).toBe(
      '2026-07-01T01:00:00.000Z',
    );
    for (const bad of ['2026-02-30', 'tomorrow', '07/01/2026', '2026-07-01T08:00:00', '99999-01-01'])
      expect(
        codeOf(() => parseEffectiveFrom(bad, now)),
        bad,
      ).toBe('invalid:invalid-effective-date');
    // Today has begun already: past prices are never rewritten.
    for (const past of ['2026-06-15', '2020-01-01', '2026-06-15T09:59:59Z'])
      expect(
        codeOf(() => parseEffectiveFrom(past, now)),
        past,
      ).toBe('invalid:effective-date-in-past');
    expect(codeOf(() => parseEffectiveFrom('2032-01-01', now))).toBe('invalid:effective-date-too-far');
  });
});
