import Big from 'big.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { billingDay, dayOf, monthOfDay, purchaseSchedule, returnOf } from './billing.ts';
import { commitmentTotal, expiryOf } from './commitments.ts';
import { roundToMinor } from './money.ts';

const price = fc.integer({ min: 1, max: 5_000_000 }).map((cents) => new Big(cents).div(100).toFixed(6));
const term = fc.constantFrom('P1Y' as const, 'P3Y' as const);
const plan = fc.constantFrom('Upfront' as const, 'Monthly' as const);
const date = fc.date({ min: new Date('2024-01-01'), max: new Date('2030-01-01'), noInvalidDate: true });

describe('commitment money rules', () => {
  it('a purchase schedule adds up to its total and every entry is dated inside its month', () => {
    fc.assert(
      fc.property(plan, term, price, fc.integer({ min: 1, max: 100 }), date, (p, t, unit, qty, at) => {
        const schedule = purchaseSchedule(p, t, unit, qty, at);
        const sum = schedule.reduce((s, e) => s.plus(e.amount), new Big(0));
        expect(sum.toFixed(6)).toBe(commitmentTotal(p, t, unit, qty));
        expect(schedule.length).toBe(p === 'Upfront' ? 1 : t === 'P1Y' ? 12 : 36);
        expect(schedule[0].date).toBe(dayOf(at));
        for (const e of schedule) expect(monthOfDay(e.date)).toBe(e.month);
        expect(new Set(schedule.map((e) => e.month)).size).toBe(schedule.length);
      }),
    );
  });

  it('bills on the purchase day of each month, or the last day of a shorter month', () => {
    expect(billingDay(new Date('2026-01-31T10:00:00Z'), 1)).toBe('2026-02-28');
    expect(billingDay(new Date('2026-01-31T10:00:00Z'), 2)).toBe('2026-03-31');
    expect(billingDay(new Date('2026-10-15T10:00:00Z'), 3)).toBe('2027-01-15');
  });

  it('a return gives back at most what was paid, cancels exactly the unpaid instalments, within the cap', () => {
    fc.assert(
      fc.property(
        plan,
        term,
        price,
        fc.integer({ min: 1, max: 20 }),
        date,
        fc.integer({ min: 0, max: 1200 }),
        fc.integer({ min: 0, max: 60_000 }),
        fc.boolean(),
        (p, t, unit, qty, at, daysLater, refunded, withinExchange) => {
          const charges = purchaseSchedule(p, t, unit, qty, at);
          const now = new Date(at.getTime() + daysLater * 86_400_000);
          let ret: ReturnType<typeof returnOf>;
          try {
            ret = returnOf({
              billingPlan: p,
              purchasedAt: at,
              expiresAt: expiryOf(at, t),
              charges,
              refundedLast12Months: String(refunded),
              now,
              withinExchange,
              currency: 'USD',
              moneyBackType: withinExchange ? 'exchange_credit' : 'refund',
            });
          } catch (error) {
            expect(withinExchange).toBe(false);
            expect((error as { code: string }).code).toBe('refund-limit-exceeded');
            return;
          }
          const today = dayOf(now);
          const paid = charges.filter((c) => c.date <= today);
          // What the bills showed: each charge rounded once.
          const billed = (x: { amount: string }) => new Big(roundToMinor(x.amount, 'USD'));
          const paidSum = paid.reduce((s, c) => s.plus(billed(c)), new Big(0));
          expect(ret.paidSoFar).toBe(paidSum.toFixed(6));
          expect(new Big(ret.moneyBack).lte(paidSum)).toBe(true);
          expect(new Big(ret.moneyBack).gte(0)).toBe(true);
          // Money back is already at the currency's precision, so the bill shows exactly it.
          expect(roundToMinor(ret.moneyBack, 'USD')).toBe(new Big(ret.moneyBack).toFixed(2));
          const cancelled = ret.entries.filter((e) => e.type === 'cancelled_instalment');
          expect(cancelled.map((e) => e.date)).toEqual(
            charges.filter((c) => c.date > today).map((c) => c.date),
          );
          for (const e of ret.entries) expect(monthOfDay(e.date)).toBe(e.month);
          const entriesSum = ret.entries.reduce((s, e) => s.plus(e.amount), new Big(0)).neg();
          expect(entriesSum.toFixed(6)).toBe(ret.returnedValue);
          // Never more back than the term cost as billed.
          const termBilled = charges.reduce((s, c) => s.plus(billed(c)), new Big(0));
          expect(new Big(ret.returnedValue).lte(termBilled.plus(charges.length * 0.005))).toBe(true);
          if (daysLater === 0) expect(ret.moneyBack).toBe(paidSum.toFixed(6));
          if (!withinExchange) expect(new Big(ret.returnedValue).plus(refunded).lte(50_000)).toBe(true);
        },
      ),
    );
  });

  it('an upfront reservation returned halfway gives back the unused half; a monthly one only the unused part of this month', () => {
    const at = new Date('2026-01-01T00:00:00Z');
    const base = {
      purchasedAt: at,
      expiresAt: expiryOf(at, 'P1Y'),
      refundedLast12Months: '0',
      withinExchange: false,
      currency: 'USD',
      moneyBackType: 'refund' as const,
      now: new Date('2026-07-02T12:00:00Z'),
    };
    const upfront = returnOf({
      ...base,
      billingPlan: 'Upfront',
      charges: purchaseSchedule('Upfront', 'P1Y', '3650', 1, at),
    });
    expect(upfront.moneyBack).toBe('1830.000000');
    expect(upfront.entries).toHaveLength(1);
    const monthly = returnOf({
      ...base,
      billingPlan: 'Monthly',
      charges: purchaseSchedule('Monthly', 'P1Y', new Big(3650).div(12).toFixed(6), 1, at),
    });
    // Seven instalments billed at 304.17 (January–July); 182 of 365 days of the 3,650.04 billed
    // term used (1,820.02): the rest of July comes back.
    expect(monthly.paidSoFar).toBe('2129.190000');
    expect(monthly.moneyBack).toBe('309.170000');
    expect(monthly.entries.filter((e) => e.type === 'cancelled_instalment')).toHaveLength(5);
  });
});
