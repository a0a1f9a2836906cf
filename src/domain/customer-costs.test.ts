import { describe, expect, it } from 'vitest';
import {
  armTimeframeRange,
  costView,
  daysIn,
  daysOf,
  inclusiveRange,
  presetRange,
  rateDayOf,
} from './customer-costs.ts';

const now = new Date('2026-12-01T16:00:00Z');

describe('customer cost view rules', () => {
  it('presets are UTC days [from, to)', () => {
    expect(presetRange('thisMonth', now)).toEqual({ from: '2026-12-01', to: '2027-01-01' });
    expect(presetRange('lastMonth', now)).toEqual({ from: '2026-11-01', to: '2026-12-01' });
    expect(presetRange('last30Days', now)).toEqual({ from: '2026-11-02', to: '2026-12-02' });
    expect(daysIn(presetRange('last30Days', now))).toBe(30);
    expect(daysIn(presetRange('last90Days', now))).toBe(90);
    expect(presetRange('lastMonth', new Date('2026-01-15T00:00:00Z'))).toEqual({
      from: '2025-12-01',
      to: '2026-01-01',
    });
  });

  it('custom ranges are inclusive of their last day, checked, and at most 366 days', () => {
    expect(inclusiveRange('2026-11-01', '2026-11-30')).toEqual({ from: '2026-11-01', to: '2026-12-01' });
    expect(daysOf(inclusiveRange('2026-02-27', '2026-03-01'))).toEqual([
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
    ]);
    expect(() => inclusiveRange('2026-02-30', '2026-03-01')).toThrow(/day like/);
    expect(() => inclusiveRange('2026-03-02', '2026-03-01')).toThrow(/before/);
    expect(() => inclusiveRange('2025-01-01', '2026-12-31')).toThrow(/at most 366/);
  });

  it("ARM timeframes: Custom's to is inclusive; month and week to date end today", () => {
    expect(
      armTimeframeRange('Custom', { from: '2026-11-01T00:00:00Z', to: '2026-11-30T23:59:59Z' }, now),
    ).toEqual({ from: '2026-11-01', to: '2026-12-01' });
    expect(armTimeframeRange('MonthToDate', undefined, now)).toEqual({
      from: '2026-12-01',
      to: '2026-12-02',
    });
    expect(armTimeframeRange('TheLastBillingMonth', undefined, now)).toEqual({
      from: '2026-11-01',
      to: '2026-12-01',
    });
    // 1 December 2026 is a Tuesday: the week began on Sunday 29 November.
    expect(armTimeframeRange('weektodate', undefined, now)).toEqual({ from: '2026-11-29', to: '2026-12-02' });
    expect(() => armTimeframeRange('Custom', undefined, now)).toThrow(/timePeriod/);
    expect(() => armTimeframeRange('Yesterday', undefined, now)).toThrow(/not supported/);
  });

  it('converts at the last day of the range, or today while the range runs on', () => {
    expect(rateDayOf({ from: '2026-11-01', to: '2026-12-01' }, now)).toBe('2026-11-30');
    expect(rateDayOf({ from: '2026-12-01', to: '2027-01-01' }, now)).toBe('2026-12-01');
  });

  it('rounds each line once after converting; the total is the sum of the rounded lines', () => {
    const rate = { base: 'USD', quote: 'IDR', rate: '16250.5', date: '2026-11-30' };
    const group = (usdCost: string) => ({ day: null, keys: {}, quantity: '1', usdCost });
    const view = costView([group('0.000123'), group('0.000123'), group('1.234567891')], 'IDR', rate, {
      from: '2026-11-01',
      to: '2026-12-01',
    });
    // 0.000123 × 16250.5 = 1.9988…: 2.00 each; 1.234567891 × 16250.5 = 20062.345…
    expect(view.lines.map((l) => l.cost)).toEqual(['2.00', '2.00', '20062.35']);
    expect(view.total).toBe('20066.35');
    const jpy = costView([group('1.5')], 'JPY', { ...rate, quote: 'JPY', rate: '150.33' }, view.range);
    expect(jpy.lines[0].cost).toBe('225');
    expect(costView([group('0.005')], 'USD', null, view.range).total).toBe('0.01');
  });
});
