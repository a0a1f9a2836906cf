import Big from 'big.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyMarkup,
  customerUnitPrice,
  type Markups,
  marginOf,
  overrideFor,
  type PriceKind,
  type PriceListVersion,
  priceKinds,
  retailMarkups,
  timelineOf,
  versionInEffect,
} from './customer-prices.ts';

/** A retail unit price as numeric(20, 6) returns it. */
const retail = fc
  .tuple(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 999_999 }))
  .map(([i, f]) => `${i}.${String(f).padStart(6, '0')}`);
/** Cent-precise, as the demo's and the cloud's commitment prices are. */
const cents = fc.integer({ min: 0, max: 1_000_000_000 }).map((c) => new Big(c).div(100).toFixed(2));
/** A markup as a partner may send it: −100 to 1000, at most two decimals. */
const markup = fc.integer({ min: -10_000, max: 100_000 }).map((n) => new Big(n).div(100).toString());
const kind = fc.constantFrom<PriceKind>(...priceKinds);
const all = (m: string): Markups => ({ usage: m, reservations: m, savingsPlans: m, licences: m });

describe('customerUnitPrice', () => {
  it('markup 0 is retail, to the last of six decimals', () => {
    fc.assert(
      fc.property(retail, kind, (r, k) => {
        expect(customerUnitPrice(r, k, { markups: retailMarkups }).unitPrice).toBe(r);
        expect(customerUnitPrice(r, k, null)).toEqual({ unitPrice: r, basis: 'retail', markupPercent: null });
      }),
    );
  });

  it('is monotone in the markup: a larger markup never gives a smaller price', () => {
    fc.assert(
      fc.property(retail, kind, markup, markup, (r, k, a, b) => {
        const [low, high] = new Big(a).lte(b) ? [a, b] : [b, a];
        const p = (m: string) => new Big(customerUnitPrice(r, k, { markups: all(m) }).unitPrice);
        expect(p(low).lte(p(high))).toBe(true);
      }),
    );
  });

  it('uses the markup of the kind, and only that one', () => {
    fc.assert(
      fc.property(cents, kind, markup, markup, (r, k, mine, others) => {
        const markups = { ...all(others), [k]: mine };
        const price = customerUnitPrice(r, k, { markups });
        expect(price).toEqual({ unitPrice: applyMarkup(r, mine), basis: 'markup', markupPercent: mine });
        // Exact: retail × (100 + m) / 100 with no rounding at all for cents and two-decimal markups.
        expect(new Big(price.unitPrice).times(100).eq(new Big(r).times(new Big(100).plus(mine)))).toBe(true);
      }),
    );
  });

  it('an override wins over the list: a fixed price as it is, a markup on retail', () => {
    fc.assert(
      fc.property(retail, kind, markup, retail, markup, (r, k, listMarkup, fixed, overrideMarkup) => {
        const version = { markups: all(listMarkup) };
        const byPrice = customerUnitPrice(r, k, version, { catalogItemId: 'x', unitPrice: fixed });
        expect(byPrice).toEqual({ unitPrice: fixed, basis: 'override-price', markupPercent: null });
        const byMarkup = customerUnitPrice(r, k, version, {
          catalogItemId: 'x',
          markupPercent: overrideMarkup,
        });
        expect(byMarkup.unitPrice).toBe(customerUnitPrice(r, k, { markups: all(overrideMarkup) }).unitPrice);
        expect(byMarkup.basis).toBe('override-markup');
        // Even with no list at all, an override still applies.
        expect(customerUnitPrice(r, k, null, { catalogItemId: 'x', unitPrice: fixed }).unitPrice).toBe(fixed);
      }),
    );
  });

  it('keeps monthly × months = upfront when markups have at most two decimals', () => {
    fc.assert(
      fc.property(cents, fc.constantFrom(1, 12, 36), markup, kind, (monthly, months, m, k) => {
        const upfront = new Big(monthly).times(months).toFixed(6);
        const version = { markups: all(m) };
        const customerMonthly = customerUnitPrice(monthly, k, version).unitPrice;
        const customerUpfront = customerUnitPrice(upfront, k, version).unitPrice;
        expect(new Big(customerMonthly).times(months).eq(customerUpfront)).toBe(true);
      }),
    );
  });

  it('rounds half-up at six decimals when retail itself has six', () => {
    expect(applyMarkup('0.000001', '50')).toBe('0.000002');
    expect(applyMarkup('0.000003', '-50')).toBe('0.000002');
    expect(applyMarkup('33.64', '5')).toBe('35.322000');
    expect(applyMarkup('100', '-100')).toBe('0.000000');
  });
});

describe('overrideFor', () => {
  const key = { catalogItemId: 'A', termDuration: 'P1Y', billingPlan: 'monthly' as const };
  it('matches the item, and prefers the override naming the billing plan', () => {
    const general = { catalogItemId: 'A', markupPercent: '2' };
    const termOnly = { catalogItemId: 'A', termDuration: 'P1Y', markupPercent: '3' };
    const monthly = { catalogItemId: 'A', billingPlan: 'monthly' as const, unitPrice: '9.000000' };
    const upfront = { catalogItemId: 'A', billingPlan: 'upfront' as const, unitPrice: '99.000000' };
    const other = { catalogItemId: 'B', markupPercent: '50' };
    expect(overrideFor([other], key)).toBeUndefined();
    expect(overrideFor([other, general], key)).toBe(general);
    expect(overrideFor([general, termOnly], key)).toBe(termOnly);
    expect(overrideFor([upfront, general, monthly, termOnly], key)).toBe(monthly);
    expect(
      overrideFor([{ catalogItemId: 'A', termDuration: 'P3Y', markupPercent: '1' }], key),
    ).toBeUndefined();
  });
});

describe('versionInEffect', () => {
  const base = Date.UTC(2026, 0, 1);
  const version = (days: number, seq: number): PriceListVersion => ({
    id: `v${seq}`,
    customerId: null,
    effectiveFrom: new Date(base + days * 86_400_000),
    seq,
    markups: retailMarkups,
    overrides: [],
    createdBy: 't',
    createdAt: new Date(base),
  });
  const versions = fc
    .array(fc.integer({ min: 0, max: 60 }), { maxLength: 20 })
    .map((days) => days.map((d, i) => version(d, i + 1)));

  it('is the latest version effective at or before the moment, never a future one', () => {
    fc.assert(
      fc.property(versions, fc.integer({ min: -5, max: 70 }), (list, day) => {
        const at = new Date(base + day * 86_400_000 + 3_600_000);
        const found = versionInEffect(list, at);
        const eligible = list.filter((v) => v.effectiveFrom <= at);
        if (eligible.length === 0) {
          expect(found).toBeUndefined();
          return;
        }
        const newest = eligible.reduce((a, b) =>
          b.effectiveFrom > a.effectiveFrom || (+b.effectiveFrom === +a.effectiveFrom && b.seq > a.seq)
            ? b
            : a,
        );
        expect(found).toBe(newest);
        expect(found!.effectiveFrom.getTime()).toBeLessThanOrEqual(at.getTime());
      }),
    );
  });

  it('does not depend on the order versions are read in, and a later save does not rewrite the past', () => {
    fc.assert(
      fc.property(
        versions,
        fc.integer({ min: 0, max: 70 }),
        fc.integer({ min: 0, max: 70 }),
        (list, day, later) => {
          const at = new Date(base + day * 86_400_000);
          expect(versionInEffect([...list].reverse(), at)).toBe(versionInEffect(list, at));
          // A version saved afterwards, effective after `at`, leaves the price at `at` as it was.
          const next = version(Math.max(later, day + 1), list.length + 1);
          expect(versionInEffect([...list, next], at)).toBe(versionInEffect(list, at));
        },
      ),
    );
  });

  it('the timeline keeps one version per moment, the last saved, in order', () => {
    const list = [version(10, 1), version(0, 2), version(10, 3), version(5, 4)];
    expect(timelineOf(list).map((v) => v.id)).toEqual(['v2', 'v4', 'v3']);
  });
});

describe('marginOf', () => {
  it('is price − cost, as a percent of the price', () => {
    expect(marginOf('105.000000', '96.000000')).toEqual({ amount: '9.000000', percent: '8.57' });
    expect(marginOf('90.000000', '96.000000')).toEqual({ amount: '-6.000000', percent: '-6.67' });
    expect(marginOf('0.000000', '0.000000')).toEqual({ amount: '0.000000', percent: null });
    expect(marginOf('10.000000', null)).toBeNull();
  });
});
