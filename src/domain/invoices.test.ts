import { describe, expect, it } from 'vitest';
import { closesBy, closesOn } from './invoices.ts';

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
