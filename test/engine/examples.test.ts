import { describe, expect, it } from 'vitest';
import { commitment, covered, hour, plan, reservation, row, run, vm } from './helpers.ts';

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
