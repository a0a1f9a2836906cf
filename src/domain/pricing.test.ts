import Big from 'big.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { billingPlanFor, lineUnitPrice, offerKindOf, orderTotal } from './pricing.ts';

const decimal = fc
  .tuple(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 999_999 }))
  .map(([i, f]) => `${i}.${String(f).padStart(6, '0')}`);

describe('pricing', () => {
  it('maps catalog views to offer kinds and billing plans', () => {
    expect(offerKindOf('AzureReservationsVM')).toBe('reservation');
    expect(billingPlanFor('reservation', 'one_time')).toBe('upfront');
    expect(billingPlanFor('reservation', 'monthly')).toBe('monthly');
    expect(billingPlanFor('license', 'annual')).toBe('license_monthly');
    expect(billingPlanFor('azure_plan', 'monthly')).toBe('usage');
    expect(lineUnitPrice('license', 'annual', '12.500000')).toBe('150.000000');
  });

  it('order totals are the exact sum of unit price × quantity, whatever the order of lines', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ unitPrice: decimal, quantity: fc.integer({ min: 1, max: 1000 }) }), {
          maxLength: 30,
        }),
        (lines) => {
          const total = new Big(orderTotal(lines));
          const cents = lines.reduce(
            (s, l) => s + BigInt(l.unitPrice.replace('.', '')) * BigInt(l.quantity),
            0n,
          );
          expect(total.times(1_000_000).toFixed(0)).toBe(cents.toString());
          expect(orderTotal([...lines].reverse())).toBe(orderTotal(lines));
        },
      ),
    );
  });
});
