import { describe, expect, it } from 'vitest';
import { amortizedHourlyCost } from '../../src/engine/index.ts';
import { commitment, covered, H0, hour, plan, reservation, row, run, vm } from './helpers.ts';

/**
 * The worked examples of `shared/spec/reference/benefit-semantics.md` that the contract can
 * express, with the reference's numbers, plus one example per rule of `shared/spec/benefits.md`.
 */
const near = (actual: number, expected: number) => expect(actual).toBeCloseTo(expected, 9);

describe('reference §1.1: hourly, use it or lose it (VMCHG, one reservation, two instances)', () => {
  const usage = [
    vm('h1-vm1', 'Standard_D2s_v3', 0.75, { hour: hour(0), paygUnitPrice: 0.096 }),
    vm('h1-vm2', 'Standard_D2s_v3', 0.5, { hour: hour(0), paygUnitPrice: 0.096 }),
    vm('h2-vm1', 'Standard_D2s_v3', 1, { hour: hour(1), paygUnitPrice: 0.096 }),
    vm('h2-vm2', 'Standard_D2s_v3', 1, { hour: hour(1), paygUnitPrice: 0.096 }),
    vm('h3-vm1', 'Standard_D2s_v3', 1, { hour: hour(2), paygUnitPrice: 0.096 }),
    vm('h3-vm2', 'Standard_D2s_v3', 1, { hour: hour(2), paygUnitPrice: 0.096 }),
    vm('h4-vm1', 'Standard_D2s_v3', 0.5, { hour: hour(3), paygUnitPrice: 0.096 }),
    vm('h4-vm2', 'Standard_D2s_v3', 1, { hour: hour(3), paygUnitPrice: 0.096 }),
  ];
  const out = run(usage, [reservation('R', 'Standard_D2s_v3', 1, { amortizedHourlyCost: 0.06 })]);

  it('hour 1: 0.75 h + 0.5 h gives 1.0 h covered and 0.25 h pay-as-you-go', () => {
    near(covered(out, 'h1-vm1', 'R') + covered(out, 'h1-vm2', 'R'), 1);
    near(row(out, 'h1-vm1').paygQuantity + row(out, 'h1-vm2').paygQuantity, 0.25);
    near(row(out, 'h1-vm2').actualCost, 0.25 * 0.096);
    near(row(out, 'h1-vm1').amortizedCost, 0.06 * 0.75);
    near(row(out, 'h1-vm2').amortizedCost, 0.06 * 0.25 + 0.25 * 0.096);
  });

  it('hours 2 and 3: one instance-hour covered, one pay-as-you-go', () => {
    for (const h of ['h2', 'h3']) {
      near(covered(out, `${h}-vm1`, 'R') + covered(out, `${h}-vm2`, 'R'), 1);
      near(row(out, `${h}-vm1`).paygQuantity + row(out, `${h}-vm2`).paygQuantity, 1);
    }
  });

  it('hour 4: instance 1 fully covered, 0.5 h of instance 2 covered and 0.5 h pay-as-you-go', () => {
    near(covered(out, 'h4-vm1', 'R'), 0.5);
    near(row(out, 'h4-vm1').paygQuantity, 0);
    near(covered(out, 'h4-vm2', 'R'), 0.5);
    near(row(out, 'h4-vm2').paygQuantity, 0.5);
  });

  it('the reservation is fully used in each hour', () => {
    expect(out.perHour.map((h) => h.utilizationPct)).toEqual([100, 100, 100, 100]);
    expect(commitment(out, 'R')).toMatchObject({ utilizationPct: 100, consumed: 4, unused: 0 });
  });

  it('capacity left in an hour is lost, never carried to the next', () => {
    const idle = run(
      [vm('a', 'Standard_D2s_v3', 1, { hour: hour(1) }), vm('b', 'Standard_D2s_v3', 1, { hour: hour(1) })],
      [reservation('R', 'Standard_D2s_v3', 1)],
      { hours: [hour(0), hour(1)] },
    );
    expect(idle.perHour.map((h) => [h.consumed, h.unused])).toEqual([
      [0, 1],
      [1, 0],
    ]);
    near(row(idle, 'b').paygQuantity, 1);
    expect(commitment(idle, 'R').utilizationPct).toBe(50);
  });
});

describe('reference §1.3: instance size flexibility (VMISF, one DS4_v2 reservation = 8 units)', () => {
  const r = reservation('R', 'Standard_DS4_v2', 1);
  it('covers 8 × DS1_v2', () => {
    const rows = Array.from({ length: 8 }, (_, i) => vm(`ds1-${i}`, 'Standard_DS1_v2', 1));
    const out = run(rows, [r]);
    for (const x of rows) near(covered(out, x.rowId, 'R'), 1);
    expect(commitment(out, 'R').utilizationPct).toBe(100);
  });
  it('covers 2 × DS2_v2 + 1 × DS3_v2 (2 + 2 + 4 = 8)', () => {
    const out = run(
      [vm('a', 'Standard_DS2_v2', 1), vm('b', 'Standard_DS2_v2', 1), vm('c', 'Standard_DS3_v2', 1)],
      [r],
    );
    for (const id of ['a', 'b', 'c']) near(row(out, id).paygQuantity, 0);
    expect(commitment(out, 'R').consumed).toBe(8);
  });
  it('covers half of one DS5_v2 (16)', () => {
    const out = run([vm('a', 'Standard_DS5_v2', 1)], [r]);
    near(covered(out, 'a', 'R'), 0.5);
    near(row(out, 'a').paygQuantity, 0.5);
  });
  it('BAO: a D4s_v3 reservation covers half of a D8s_v3; the rest goes to savings plans, then pay-as-you-go', () => {
    const out = run(
      [vm('a', 'Standard_D8s_v3', 1, { paygUnitPrice: 0.384, spUnitPrice: { P1Y: 0.3 } })],
      [reservation('R', 'Standard_D4s_v3', 1, { amortizedHourlyCost: 0.12 }), plan('SP', 0.09)],
    );
    expect(row(out, 'a').coverage).toEqual([
      { by: 'R', quantity: 0.5 },
      { by: 'SP', quantity: 0.3, consumed: 0.09 },
    ]);
    near(row(out, 'a').paygQuantity, 0.2);
    near(row(out, 'a').actualCost, 0.2 * 0.384);
    near(row(out, 'a').amortizedCost, 0.12 + 0.09 + 0.2 * 0.384);
  });
  it('ratios are decimals (ESv3: E64s_v3 = 28.8)', () => {
    const out = run(
      [vm('a-e64', 'Standard_E64s_v3', 1), vm('b-e2', 'Standard_E2s_v3', 4)],
      [reservation('R', 'Standard_E32s_v3', 2)],
    );
    near(covered(out, 'a-e64', 'R'), 1);
    near(covered(out, 'b-e2', 'R'), 3.2);
    near(row(out, 'b-e2').paygQuantity, 0.8);
  });
  it('ratios need not start at 1: rows and reservations may carry their own', () => {
    const q = { isfGroup: 'Q Series' };
    const out = run(
      [
        vm('q1', 'Custom_Q1', 4, { ...q, skuRatio: 0.25 }),
        vm('q3', 'Custom_Q3', 1, { ...q, skuRatio: 0.75 }),
      ],
      [reservation('R', 'Custom_Q3', 2, { ...q, skuRatio: 0.75 })],
    );
    near(covered(out, 'q1', 'R'), 4);
    near(covered(out, 'q3', 'R'), 0.5 / 0.75);
    near(row(out, 'q3').paygQuantity, 1 - 0.5 / 0.75);
    expect(commitment(out, 'R').consumed).toBe(1.5);
  });
  it('premium storage families are separate groups: Standard_D1 does not cover Standard_DS1', () => {
    const out = run(
      [vm('a', 'Standard_DS1', 1), vm('b', 'Standard_D1', 1)],
      [reservation('R', 'Standard_D1', 1)],
    );
    expect(row(out, 'a').coverage).toEqual([]);
    near(covered(out, 'b', 'R'), 1);
  });
  it('with flexibility Off only the exact SKU matches, one unit per instance-hour', () => {
    const out = run(
      [vm('a', 'Standard_D2s_v3', 1), vm('b', 'Standard_D4s_v3', 1.5)],
      [reservation('R', 'Standard_D4s_v3', 1, { instanceFlexibility: 'Off' })],
    );
    expect(row(out, 'a').coverage).toEqual([]);
    near(covered(out, 'b', 'R'), 1);
    near(row(out, 'b').paygQuantity, 0.5);
  });
  it('region and resource type must match', () => {
    const out = run(
      [
        vm('a', 'Standard_D2s_v3', 1, { region: 'westus2' }),
        vm('b', 'Standard_D2s_v3', 1, { reservedResourceType: null }),
      ],
      [reservation('R', 'Standard_D2s_v3', 2)],
    );
    expect(out.rows.map((r) => r.coverage)).toEqual([[], []]);
  });
});

describe('reference §1.4: quantity caps the hour (TRBL)', () => {
  it('a 5-instance SQL Database reservation with 7 instances running covers 5', () => {
    const sql = Array.from({ length: 7 }, (_, i) =>
      vm(`db-${i}`, 'SQL_GP_Gen5_2', 1, { reservedResourceType: 'SqlDatabases' }),
    );
    const out = run(sql, [reservation('R', 'SQL_GP_Gen5_2', 5, { reservedResourceType: 'SqlDatabases' })]);
    expect(out.rows.map((r) => r.paygQuantity)).toEqual([0, 0, 0, 0, 0, 1, 1]);
  });
  it('a 100 TB Blob reservation with 101 TB used covers 100 TB', () => {
    const out = run(
      [vm('blob', 'Hot_LRS', 101, { reservedResourceType: 'BlockBlob' })],
      [reservation('R', 'Hot_LRS', 100, { reservedResourceType: 'BlockBlob' })],
    );
    near(covered(out, 'blob', 'R'), 100);
    near(row(out, 'blob').paygQuantity, 1);
  });
});

describe('reference §1.5: scope precedence, narrowest first', () => {
  const scoped = [
    reservation('R-shared', 'Standard_D2s_v3', 1, { purchaseDate: '2024-06-01', scope: { type: 'Shared' } }),
    reservation('R-mg', 'Standard_D2s_v3', 1, {
      scope: { type: 'ManagementGroup', managementGroup: 'mg-1' },
    }),
    reservation('R-sub', 'Standard_D2s_v3', 1, { scope: { type: 'Subscription', subscription: 'sub-1' } }),
    reservation('R-rg', 'Standard_D2s_v3', 1, {
      purchaseDate: '2025-02-01',
      scope: { type: 'ResourceGroup', subscription: 'sub-1', resourceGroup: 'rg-a' },
    }),
  ];
  const context = { managementGroups: { 'mg-1': ['sub-1'] } };
  it('resource group, subscription, management group, shared; the remainder moves on', () => {
    const out = run([vm('x', 'Standard_D2s_v3', 4.5)], scoped, { context });
    expect(row(out, 'x').coverage.map((p) => [p.by, p.quantity])).toEqual([
      ['R-rg', 1],
      ['R-sub', 1],
      ['R-mg', 1],
      ['R-shared', 1],
    ]);
    near(row(out, 'x').paygQuantity, 0.5);
  });
  it('rows outside a scope are not reached by it', () => {
    const out = run(
      [
        vm('other-rg', 'Standard_D2s_v3', 1, { resourceGroup: 'rg-b' }),
        vm('other-sub', 'Standard_D2s_v3', 1, { subscription: 'sub-2' }),
      ],
      scoped.slice(0, 3),
      { context },
    );
    expect(row(out, 'other-rg').coverage.map((p) => p.by)).toEqual(['R-sub']);
    expect(row(out, 'other-sub').coverage.map((p) => p.by)).toEqual(['R-shared']);
  });
  it('within a level: reservations by purchase date, then id', () => {
    const out = run(
      [vm('x', 'Standard_D2s_v3', 1)],
      [
        reservation('R-b', 'Standard_D2s_v3', 1, { purchaseDate: '2025-01-01' }),
        reservation('R-new', 'Standard_D2s_v3', 1, { purchaseDate: '2025-02-01' }),
        reservation('R-a', 'Standard_D2s_v3', 1, { purchaseDate: '2025-01-01' }),
      ],
    );
    expect(row(out, 'x').coverage.map((p) => p.by)).toEqual(['R-a']);
  });
  it('rows competing for one reservation: by subscription, resource group, then row id', () => {
    const out = run(
      [
        vm('a', 'Standard_D2s_v3', 1, { subscription: 'sub-2' }),
        vm('b', 'Standard_D2s_v3', 1, { resourceGroup: 'rg-b' }),
        vm('c', 'Standard_D2s_v3', 1),
      ],
      [reservation('R', 'Standard_D2s_v3', 2)],
    );
    expect(out.rows.map((r) => r.paygQuantity)).toEqual([1, 0, 0]);
  });
});

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
