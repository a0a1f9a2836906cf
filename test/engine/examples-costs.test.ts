import { describe, expect, it } from 'vitest';
import { amortizedHourlyCost } from '../../src/engine/index.ts';
import { commitment, covered, H0, hour, plan, reservation, row, run, vm } from './helpers.ts';

/**
 * The worked examples of the reference (continued): savings plans, cost views, activity
 * and reporting, and the contract's own example.
 */
const near = (actual: number, expected: number) => expect(actual).toBeCloseTo(expected, 9);

describe('reference §2.3: savings plans', () => {
  const sp = (payg: number, p1: number, p3?: number) => ({
    paygUnitPrice: payg,
    spUnitPrice: { P1Y: p1, ...(p3 ? { P3Y: p3 } : {}) },
  });
  it('reservations come first: a free reservation covers the row with the best plan discount', () => {
    const out = run(
      [vm('x', 'Standard_D2s_v3', 1, sp(0.096, 0.048)), vm('y', 'Standard_E2s_v3', 1, sp(0.126, 0.1008))],
      [reservation('R', 'Standard_D2s_v3', 1), plan('SP', 0.1008)],
    );
    expect(row(out, 'x').coverage.map((p) => p.by)).toEqual(['R']);
    expect(row(out, 'y').coverage).toEqual([{ by: 'SP', quantity: 1, consumed: 0.1008 }]);
  });
  it('rows ranked by discount; the row that does not fit is covered for remaining / rate', () => {
    const out = run(
      [
        vm('a', 'Standard_D2s_v3', 1, sp(0.1, 0.06)),
        vm('b', 'Standard_D2s_v3', 1, sp(0.2, 0.15)),
        vm('c', 'Standard_D2s_v3', 1, sp(0.05, 0.03)),
        vm('d', 'Standard_D2s_v3', 1),
      ],
      [plan('SP', 0.12)],
    );
    near(covered(out, 'a', 'SP'), 1);
    near(covered(out, 'c', 'SP'), 1);
    near(covered(out, 'b', 'SP'), 0.2);
    near(row(out, 'b').paygQuantity, 0.8);
    expect(row(out, 'd').coverage).toEqual([]);
    expect(commitment(out, 'SP')).toMatchObject({ utilizationPct: 100, consumed: 0.12, unused: 0 });
  });
  it('discounts equal to 12 decimal places tie, and ties go by row id', () => {
    const out = run(
      [
        vm('p', 'Standard_D2s_v3', 1, sp(0.1, 0.06)),
        vm('o', 'Standard_D2s_v3', 1, sp(0.1, 0.060000000000001)),
      ],
      [plan('SP', 0.07)],
    );
    near(covered(out, 'o', 'SP'), 1);
    near(covered(out, 'p', 'SP'), (0.07 - 0.060000000000001) / 0.06);
  });
  it('within a level, 3-year plans before 1-year plans', () => {
    const out = run(
      [vm('a', 'Standard_D2s_v3', 1, sp(0.1, 0.06, 0.05))],
      [plan('P1', 0.06, { purchaseDate: '2024-06-01' }), plan('P3', 0.03, { term: 'P3Y' })],
    );
    expect(row(out, 'a').coverage).toEqual([
      { by: 'P3', quantity: 0.6, consumed: 0.03 },
      { by: 'P1', quantity: 0.4, consumed: 0.024 },
    ]);
    near(commitment(out, 'P1').utilizationPct!, 40);
  });
  it('scope level before term: a 1-year subscription plan goes before a 3-year shared plan', () => {
    const out = run(
      [vm('a', 'Standard_D2s_v3', 1, sp(0.1, 0.06, 0.05))],
      [
        plan('P3', 1, { term: 'P3Y' }),
        plan('P1', 0.03, { scope: { type: 'Subscription', subscription: 'sub-1' } }),
      ],
    );
    expect(row(out, 'a').coverage).toEqual([
      { by: 'P1', quantity: 0.5, consumed: 0.03 },
      { by: 'P3', quantity: 0.5, consumed: 0.025 },
    ]);
  });
  it('plans of one level and term by purchase date, then id', () => {
    const usage = [vm('a', 'Standard_D2s_v3', 1, sp(0.1, 0.06))];
    const byDate = run(usage, [plan('P-a', 1, { purchaseDate: '2025-01-02' }), plan('P-b', 1)]);
    expect(row(byDate, 'a').coverage.map((p) => p.by)).toEqual(['P-b']);
    const byId = run(usage, [plan('P-b', 1), plan('P-a', 1)]);
    expect(row(byId, 'a').coverage.map((p) => p.by)).toEqual(['P-a']);
  });
  it('unused commitment is lost and shows as an unused charge', () => {
    const out = run([vm('a', 'Standard_D2s_v3', 1, sp(0.1, 0.06))], [plan('SP', 0.1)], {
      hours: [H0, hour(1)],
    });
    expect(commitment(out, 'SP')).toMatchObject({ consumed: 0.06, unused: 0.14, unusedAmortizedCost: 0.14 });
    near(commitment(out, 'SP').utilizationPct!, 30);
  });
});

describe('reference §3: cost views', () => {
  it('AMORT: a $365 one-year reservation costs $1.00 a day, $0.50 each when two VMs share it', () => {
    const perHour = amortizedHourlyCost(365, '2025-01-01', 'P1Y');
    near(perHour * 24, 1);
    const day = Array.from({ length: 24 }, (_, t) => hour(t));
    const r = reservation('R', 'Standard_D4s_v3', 1, { amortizedHourlyCost: perHour });
    const both = run(
      day.flatMap((h, t) => [
        vm(`v1-${t}`, 'Standard_D2s_v3', 1, { hour: h }),
        vm(`v2-${t}`, 'Standard_D2s_v3', 1, { hour: h }),
      ]),
      [r],
    );
    const vmDay = (out: typeof both, prefix: string) =>
      out.rows.filter((x) => x.rowId.startsWith(prefix)).reduce((s, x) => s + x.amortizedCost, 0);
    near(vmDay(both, 'v1-'), 0.5);
    near(vmDay(both, 'v2-'), 0.5);
    near(commitment(both, 'R').unusedAmortizedCost, 0);
    const half = run(
      day.map((h, t) => vm(`v1-${t}`, 'Standard_D2s_v3', 1, { hour: h })),
      [r],
    );
    near(vmDay(half, 'v1-'), 0.5);
    near(commitment(half, 'R').unusedAmortizedCost, 0.5);
  });
  it('AMORT: $12,016 bought 2019-10-23 spans a leap day: /366 a day, November exactly $984.92', () => {
    const perHour = amortizedHourlyCost(12016, '2019-10-23', 'P1Y');
    near(perHour * 24, 12016 / 366);
    expect(Math.round(perHour * 24 * 100) / 100).toBe(32.83);
    const november = Array.from({ length: 720 }, (_, t) =>
      new Date(Date.UTC(2019, 10, 1) + t * 3_600_000).toISOString(),
    );
    const out = run(
      november.map((h, t) => vm(`n-${t}`, 'Standard_D2s_v3', 1, { hour: h })),
      [reservation('R', 'Standard_D2s_v3', 1, { purchaseDate: '2019-10-23', amortizedHourlyCost: perHour })],
    );
    const month = out.rows.reduce((s, x) => s + x.amortizedCost, 0);
    near(month, (12016 / 366) * 30);
    expect(Math.round(month * 100) / 100).toBe(984.92);
  });
  it('actual cost: covered usage costs 0 (also what a CSP customer sees), the rest pay-as-you-go', () => {
    const out = run(
      [
        vm('r', 'Standard_D2s_v3', 1, { paygUnitPrice: 0.096 }),
        vm('s', 'Standard_E2s_v3', 1, { paygUnitPrice: 0.126, spUnitPrice: { P1Y: 0.1 } }),
        vm('p', 'Standard_E2s_v3', 1, { paygUnitPrice: 0.126 }),
      ],
      [reservation('R', 'Standard_D2s_v3', 1, { amortizedHourlyCost: 1200 / 8760 }), plan('SP', 0.1)],
    );
    expect(out.rows.map((x) => x.actualCost)).toEqual([0, 0, 0.126]);
    near(row(out, 'r').amortizedCost, 1200 / 8760);
    near(row(out, 's').amortizedCost, 0.1);
  });
  it('software licences, storage and networking are always pay-as-you-go (§1.6)', () => {
    const out = run(
      [
        vm('win', 'Standard_D2s_v3', 1, {
          benefitEligible: false,
          paygUnitPrice: 0.092,
          spUnitPrice: { P1Y: 0.01 },
        }),
      ],
      [reservation('R', 'Standard_D2s_v3', 1), plan('SP', 10)],
    );
    expect(row(out, 'win')).toMatchObject({
      coverage: [],
      paygQuantity: 1,
      actualCost: 0.092,
      amortizedCost: 0.092,
    });
  });
});

describe('activity, reporting and the contract example', () => {
  it('a commitment applies from the hour of its purchase for its term', () => {
    const usage = [vm('before', 'Standard_D2s_v3', 1, { hour: hour(-1) }), vm('at', 'Standard_D2s_v3', 1)];
    const out = run(usage, [
      reservation('R', 'Standard_D2s_v3', 2, { purchaseDate: '2025-03-03T10:30:00Z' }),
    ]);
    expect(out.rows.map((x) => x.paygQuantity)).toEqual([1, 0]);
    const ended = run(usage, [
      reservation('R', 'Standard_D2s_v3', 2, { purchaseDate: '2024-03-03T10:00:00Z' }),
    ]);
    expect(ended.rows.map((x) => x.paygQuantity)).toEqual([0, 1]);
    const leap = run(
      [
        vm('27th', 'Standard_D2s_v3', 1, { hour: '2025-02-27T23:00:00Z' }),
        vm('28th', 'Standard_D2s_v3', 1, { hour: '2025-02-28T00:00:00Z' }),
      ],
      [reservation('R', 'Standard_D2s_v3', 1, { purchaseDate: '2024-02-29' })],
    );
    expect(leap.rows.map((x) => x.paygQuantity)).toEqual([0, 1]);
  });
  it('reported hours: rows outside them are left out, hours without usage still count', () => {
    const out = run(
      [vm('in', 'Standard_D2s_v3', 1), vm('out', 'Standard_D2s_v3', 1, { hour: hour(5) })],
      [reservation('R', 'Standard_D2s_v3', 1)],
      { hours: [H0, hour(1)] },
    );
    expect(out.rows.map((x) => x.rowId)).toEqual(['in']);
    expect(commitment(out, 'R')).toMatchObject({ utilizationPct: 50, consumed: 1, unused: 1 });
  });
  it("one customer's commitments never reach another customer's usage", () => {
    const out = run(
      [vm('a', 'Standard_D2s_v3', 1, { customer: 'A' }), vm('b', 'Standard_D2s_v3', 1, { customer: 'B' })],
      [{ ...reservation('R', 'Standard_D2s_v3', 5), customer: 'A' }],
    );
    expect(out.rows.map((x) => x.paygQuantity)).toEqual([0, 1]);
  });
  it("the contract's example input (its output block only illustrates the shape)", () => {
    const out = run(
      [
        vm('u1', 'Standard_D2s_v3', 1, {
          isfGroup: 'DSv3 Series',
          skuRatio: 1,
          paygUnitPrice: 0.096,
          spUnitPrice: { P1Y: 0.072, P3Y: 0.06 },
        }),
      ],
      [
        reservation('R1', 'Standard_D4s_v3', 1, {
          isfGroup: 'DSv3 Series',
          skuRatio: 2,
          instanceFlexibility: 'On',
          scope: { type: 'ResourceGroup', subscription: 'sub-1', resourceGroup: 'rg-a' },
          amortizedHourlyCost: 0.12,
        }),
        plan('SP1', 10, { term: 'P3Y' }),
      ],
      { context: { managementGroups: { 'mg-1': ['sub-1', 'sub-2'] } }, hours: [H0] },
    );
    expect(out).toEqual({
      rows: [
        {
          rowId: 'u1',
          coverage: [{ by: 'R1', quantity: 1 }],
          paygQuantity: 0,
          actualCost: 0,
          amortizedCost: 0.06,
        },
      ],
      commitments: [
        { id: 'R1', utilizationPct: 50, consumed: 1, unused: 1, unusedAmortizedCost: 0.06 },
        { id: 'SP1', utilizationPct: 0, consumed: 0, unused: 10, unusedAmortizedCost: 10 },
      ],
      perHour: [
        { hour: H0, id: 'R1', capacity: 2, consumed: 1, unused: 1, utilizationPct: 50 },
        { hour: H0, id: 'SP1', capacity: 10, consumed: 0, unused: 10, utilizationPct: 0 },
      ],
    });
  });
});
