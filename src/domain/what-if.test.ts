import Big from 'big.js';
import { describe, expect, it } from 'vitest';
import { applyBenefits, type BenefitInput, parseRatioTable } from '../engine/index.ts';
import { breakEvenMonth, lookbackWindow, whatIfFigures, windowHours, withoutMoney } from './what-if.ts';

const day = (s: string) => new Date(`${s}T00:00:00Z`);
const ratios = parseRatioTable('InstanceSizeFlexibilityGroup,ArmSkuName,Ratio\nDSv3,Standard_D2s_v3,1\n');

describe('break-even month', () => {
  it('is the first month of the term by whose end the savings reach the whole term cost', () => {
    // 1,200 over the term, 5 a day: 240 days; January to August 2025 holds 243 days, to July 212.
    expect(breakEvenMonth(new Big(1200), new Big(5), day('2025-01-01'), 12)).toBe(8);
    // Exactly on a month's end counts.
    expect(breakEvenMonth(new Big(31 * 5), new Big(5), day('2025-01-01'), 12)).toBe(1);
  });
  it('is null when it never pays back within the term, or saves nothing', () => {
    expect(breakEvenMonth(new Big(1200), new Big(3), day('2025-01-01'), 12)).toBeNull();
    expect(breakEvenMonth(new Big(1200), new Big(0), day('2025-01-01'), 36)).toBeNull();
  });
});

describe('the look-back window', () => {
  it('ends where usage ends (the end of its last UTC day), or at today when there is none', () => {
    const now = new Date('2025-03-10T15:30:00Z');
    expect(lookbackWindow(new Date('2025-03-08T22:00:00Z'), now, 7)).toEqual({
      from: day('2025-03-02'),
      to: day('2025-03-09'),
    });
    expect(lookbackWindow(null, now, 30)).toEqual({ from: day('2025-02-08'), to: day('2025-03-10') });
    expect(windowHours({ from: day('2025-03-02'), to: day('2025-03-09') })).toHaveLength(168);
  });
});

describe('what-if figures', () => {
  // Two hours of one D2s_v3 at 0.10 an hour; the usage markup goes from 0% to 10% at the second.
  const period = { from: day('2025-01-01'), to: day('2025-01-02') };
  const hours = windowHours(period);
  const input: BenefitInput = {
    hours,
    usage: [0, 1].map((h) => ({
      rowId: `u${h}`,
      hour: hours[h],
      subscription: 's',
      region: 'eastus',
      reservedResourceType: 'VirtualMachines',
      sku: 'Standard_D2s_v3',
      quantity: 1,
      paygUnitPrice: 0.1,
    })),
    commitments: [],
  };
  const candidate = {
    id: 'c',
    type: 'reservation' as const,
    reservedResourceType: 'VirtualMachines',
    sku: 'Standard_D2s_v3',
    region: 'eastus',
    quantity: 1,
    term: 'P1Y',
    purchaseDate: period.from.toISOString(),
    scope: { type: 'Shared' as const },
    amortizedHourlyCost: 0.06,
  };
  const facts = {
    lookbackDays: 7 as const,
    period,
    input,
    today: applyBenefits(input, ratios),
    withCandidates: applyBenefits({ ...input, commitments: [candidate] }, ratios),
    hourlyCosts: new Map([['c', 0.06]]),
    candidates: [{ id: 'c', hourlyCost: 0.06, totalCost: '525.6', termMonths: 12 }],
    usageMarkups: [
      { from: period.from, to: new Date(hours[1]), markupPercent: '0' },
      { from: new Date(hours[1]), to: period.to, markupPercent: '10' },
    ],
    termStart: day('2025-01-08'),
  };
  const figures = whatIfFigures(facts);

  it('prices usage at the markup of its hour and commitments at their hourly cost', () => {
    expect(figures.today).toMatchObject({
      actualCost: '0.210000',
      amortizedCost: '0.210000',
      coveragePct: 0,
    });
    // Covered both hours; the reservation runs 24 hours at 0.06.
    expect(figures.withCandidates).toMatchObject({
      actualCost: '0.000000',
      amortizedCost: '1.440000',
      coveragePct: 100,
    });
    expect(figures.savings).toEqual({ actualCost: '0.210000', amortizedCost: '-1.230000' });
  });

  it('gives each candidate its utilisation, unused and idle hours, and what it covered', () => {
    expect(figures.candidates[0]).toMatchObject({
      utilizationPct: 8.3333,
      unusedHours: 22,
      idleHours: 22,
      activeHours: 24,
      coveredQuantity: 2,
      windowCost: '1.440000',
      coveredPaygCost: '0.210000',
      breakEvenMonth: null,
    });
    expect(figures.daily).toHaveLength(1);
    expect(figures.daily[0].candidates).toEqual([{ utilizationPct: 8.3333 }]);
  });

  it('without money keeps utilisation, coverage and unused hours only', () => {
    const hidden = withoutMoney(figures);
    expect(hidden.savings).toBeUndefined();
    expect(hidden.today).toEqual({ eligibleQuantity: 2, coveredQuantity: 0, coveragePct: 0 });
    expect(Object.keys(hidden.candidates[0]).sort()).toEqual(
      ['activeHours', 'coveredQuantity', 'idleHours', 'unusedHours', 'utilizationPct'].sort(),
    );
    expect(JSON.stringify(hidden.daily)).not.toContain('Cost');
  });
});
