import Big from 'big.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commitmentTotal, expiryOf, purchaseSchedule, quoteRefund } from './commitments.ts';

const price = fc.integer({ min: 1, max: 5_000_000 }).map((cents) => new Big(cents).div(100).toFixed(6));
const term = fc.constantFrom('P1Y' as const, 'P3Y' as const);
const plan = fc.constantFrom('Upfront' as const, 'Monthly' as const);
const date = fc.date({ min: new Date('2024-01-01'), max: new Date('2030-01-01'), noInvalidDate: true });

describe('commitment money rules', () => {
  it('the ledger schedule of a purchase adds up to its total, exactly', () => {
    fc.assert(
      fc.property(plan, term, price, fc.integer({ min: 1, max: 100 }), date, (p, t, unit, qty, at) => {
        const schedule = purchaseSchedule(p, t, unit, qty, at);
        const sum = schedule.reduce((s, e) => s.plus(e.amount), new Big(0));
        expect(sum.toFixed(6)).toBe(commitmentTotal(p, t, unit, qty));
        expect(schedule.length).toBe(p === 'Upfront' ? 1 : t === 'P1Y' ? 12 : 36);
      }),
    );
  });

  it('a refund never returns more than was paid, nor more than the cap allows; its entries add up to it', () => {
    fc.assert(
      fc.property(
        plan,
        term,
        price,
        fc.integer({ min: 1, max: 20 }),
        date,
        fc.integer({ min: 0, max: 1200 }),
        fc.integer({ min: 0, max: 60_000 }),
        (p, t, unit, qty, at, daysLater, refunded) => {
          const total = commitmentTotal(p, t, unit, qty);
          const schedule = purchaseSchedule(p, t, unit, qty, at);
          const now = new Date(at.getTime() + daysLater * 86_400_000);
          let quote: ReturnType<typeof quoteRefund>;
          try {
            quote = quoteRefund({
              billingPlan: p,
              term: t,
              totalPrice: total,
              purchasedAt: at,
              expiresAt: expiryOf(at, t),
              instalments: schedule,
              refundedLast12Months: String(refunded),
              now,
              withinExchange: false,
            });
          } catch (error) {
            expect((error as { code: string }).code).toBe('refund-limit-exceeded');
            return;
          }
          expect(new Big(quote.amount).lte(total)).toBe(true);
          expect(new Big(quote.amount).gte(0)).toBe(true);
          expect(new Big(quote.amount).plus(refunded).lte(50_000)).toBe(true);
          expect(
            quote.entries
              .reduce((s, e) => s.plus(e.amount), new Big(0))
              .neg()
              .toFixed(6),
          ).toBe(quote.amount);
        },
      ),
    );
  });
});
