import Big from 'big.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  closesBy,
  closesOn,
  creditNoteFigures,
  documentNumber,
  invoiceFigures,
  lastDayOf,
} from './invoices.ts';
import { minorUnits } from './money.ts';

const amount = fc
  .bigInt({ min: -5_000_000_000n, max: 50_000_000_000n })
  .map((micros) => new Big(micros.toString()).div(1_000_000).toFixed(6));
const line = amount.map((a) => ({
  ledgerEntryId: 1,
  date: '2026-11-15',
  type: 'instalment',
  description: 'x',
  commitmentId: null,
  subscriptionId: null,
  amount: a,
  currency: 'USD',
}));
const currency = fc.constantFrom('USD', 'IDR', 'JPY', 'EUR', 'KWD');
const rate = fc.option(
  fc.integer({ min: 1, max: 200_000_000 }).map((n) => new Big(n).div(10_000).toString()),
  { nil: null },
);
const taxRate = fc.integer({ min: 0, max: 2500 }).map((n) => new Big(n).div(100).toString());

describe('invoice figures', () => {
  it('subtotal is the sum of the rounded lines, tax is rounded once on it, total adds up; a credit note cancels it', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), currency, rate, taxRate, (lines, cur, r, tax) => {
        const fx = r ? { base: 'USD', quote: cur, rate: r, date: '2026-11-30' } : null;
        const f = invoiceFigures(lines, cur, tax, fx);
        const dp = minorUnits(cur);
        for (const [i, l] of f.lines.entries()) {
          const exact = new Big(lines[i].amount).times(r ?? 1);
          // Each line is the exact amount rounded once, to the currency's minor unit.
          expect(new Big(l.amount).minus(exact).abs().lte(new Big(10).pow(-dp).div(2))).toBe(true);
          expect(l.amount.split('.')[1]?.length ?? 0).toBe(dp);
        }
        const sum = f.lines.reduce((s, l) => s.plus(l.amount), new Big(0));
        expect(f.subtotal).toBe(sum.toFixed(dp));
        expect(f.tax).toBe(sum.times(tax).div(100).round(dp, Big.roundHalfUp).toFixed(dp));
        expect(f.total).toBe(new Big(f.subtotal).plus(f.tax).toFixed(dp));
        const credit = creditNoteFigures(f, cur);
        expect(new Big(credit.total).plus(f.total).eq(0)).toBe(true);
        expect(
          credit.lines
            .reduce((s, l) => s.plus(l.amount), new Big(0))
            .plus(sum)
            .eq(0),
        ).toBe(true);
      }),
    );
  });

  it('numbers, month ends and when a month closes by itself', () => {
    expect(documentNumber('invoice', 42)).toBe('INV-000042');
    expect(documentNumber('credit_note', 7)).toBe('CN-000007');
    expect(lastDayOf('2028-02')).toBe('2028-02-29');
    expect(closesBy('2026-11', new Date('2026-12-01T23:59:59Z'), 1)).toBe(false);
    expect(closesBy('2026-11', new Date('2026-12-02T00:00:00Z'), 1)).toBe(true);
    expect(closesBy('2026-11', new Date('2026-12-01T00:00:00Z'), 0)).toBe(true);
  });
});

describe('the day a month closes by itself', () => {
  it('is the day closesBy turns true, for any number of days after the end', () => {
    for (const [month, days, day] of [
      ['2026-11', 1, '2026-12-02'],
      ['2026-12', 1, '2027-01-02'],
      ['2026-02', 0, '2026-03-01'],
      ['2028-02', 3, '2028-03-04'],
    ] as const) {
      expect(closesOn(month, days)).toBe(day);
      const at = new Date(`${day}T00:00:00Z`);
      expect(closesBy(month, at, days)).toBe(true);
      expect(closesBy(month, new Date(at.getTime() - 1), days)).toBe(false);
    }
  });
});
