import fc from 'fast-check';
import type { BenefitInput, CommitmentInput, ScopeInput, UsageRowInput } from '../../src/engine/types.ts';

/**
 * fast-check inputs for the engine: small domains so that rows compete, shrinking to the
 * smallest input that breaks a property.
 */

const BASE = Date.UTC(2025, 5, 1);
export const hourAt = (t: number, minute = 0) =>
  new Date(BASE + t * 3_600_000 + minute * 60_000).toISOString().replace('.000Z', 'Z');

/** [sku, group on the row, ratio on the row, payg]; table SKUs leave group and ratio to the table. */
export const VMS: [string, string | undefined, number | undefined, number][] = [
  ['Standard_D2s_v3', undefined, undefined, 0.096],
  ['Standard_D4s_v3', undefined, undefined, 0.192],
  ['Standard_E2s_v3', undefined, undefined, 0.126],
  ['Standard_E64s_v3', undefined, undefined, 3.629],
  ['Custom_Q1', 'Q Series', 0.25, 0.03],
  ['Custom_Q3', 'Q Series', 0.75, 0.09],
];
const SUBS = ['sub-a', 'sub-b', 'sub-c'];
const RGS = ['rg-1', 'rg-2'];
const REGIONS = ['eastus', 'westus2'];

const quantity = fc.oneof(
  fc.constantFrom(0, 0.25, 0.5, 1, 1, 2, 1 / 3),
  fc.double({ min: 0, max: 4, noNaN: true, noDefaultInfinity: true }),
);

const rowArb = fc.record({
  t: fc.integer({ min: 0, max: 2 }),
  minute: fc.integer({ min: 0, max: 59 }),
  sub: fc.constantFrom(...SUBS),
  rg: fc.constantFrom(...RGS),
  region: fc.constantFrom(...REGIONS),
  kind: fc.constantFrom('vm', 'vm', 'vm', 'sql', 'licence', 'app'),
  vm: fc.integer({ min: 0, max: VMS.length - 1 }),
  quantity,
  priceFactor: fc.constantFrom(1, 1, 1.25),
  p1: fc.option(fc.constantFrom(0.6, 0.7, 0.75), { nil: undefined }),
  p3: fc.option(fc.constantFrom(0.5, 0.6), { nil: undefined }),
});

type RowSeed = typeof rowArb extends fc.Arbitrary<infer T> ? T : never;

function toRow(s: RowSeed, rowId: string): UsageRowInput {
  const [sku, group, ratio, price] = VMS[s.vm];
  const row: UsageRowInput = {
    rowId,
    hour: hourAt(s.t, s.minute),
    subscription: s.sub,
    resourceGroup: s.rg,
    region: s.region,
    quantity: s.quantity,
    paygUnitPrice: Math.round(price * s.priceFactor * 1e4) / 1e4,
  };
  if (s.kind === 'vm') {
    row.reservedResourceType = 'VirtualMachines';
    row.sku = sku;
    if (group) Object.assign(row, { isfGroup: group, skuRatio: ratio });
  } else if (s.kind === 'sql') {
    row.reservedResourceType = 'SqlDatabases';
    row.sku = 'SQL_GP_Gen5_2';
  } else if (s.kind === 'licence') {
    row.sku = 'Windows Server 2 vCPU VM License';
    row.benefitEligible = false;
  } else {
    row.sku = 'App Service P1v3';
  }
  if (s.kind !== 'licence' && (s.p1 || s.p3)) {
    row.spUnitPrice = {};
    if (s.p1) row.spUnitPrice.P1Y = Math.round(row.paygUnitPrice * s.p1 * 1e6) / 1e6 || undefined;
    if (s.p3) row.spUnitPrice.P3Y = Math.round(row.paygUnitPrice * s.p3 * 1e6) / 1e6 || undefined;
  }
  return row;
}

const scopeArb: fc.Arbitrary<ScopeInput> = fc.oneof(
  fc.record({ type: fc.constant('Shared' as const) }),
  fc.record({ type: fc.constant('Subscription' as const), subscription: fc.constantFrom(...SUBS) }),
  fc.record({
    type: fc.constant('ResourceGroup' as const),
    subscription: fc.constantFrom(...SUBS),
    resourceGroup: fc.constantFrom(...RGS),
  }),
  fc.record({ type: fc.constant('ManagementGroup' as const), managementGroup: fc.constant('mg-1') }),
);

const purchaseArb = fc.option(
  fc.oneof(
    fc.constantFrom('2025-01-01', '2024-06-01T01:30:00Z'),
    fc.integer({ min: 0, max: 2 }).map((t) => hourAt(t, 30)),
  ),
  { nil: undefined },
);

const commitmentArb = fc.oneof(
  fc.record({
    kind: fc.constant('reservation' as const),
    vm: fc.integer({ min: 0, max: VMS.length - 1 }),
    sql: fc.boolean(),
    region: fc.constantFrom(...REGIONS),
    quantity: fc.constantFrom(0.5, 1, 2, 3),
    flexibility: fc.constantFrom(undefined, 'On' as const, 'Off' as const),
    term: fc.constantFrom('P1Y', 'P3Y'),
    scope: scopeArb,
    purchaseDate: purchaseArb,
    cost: fc.constantFrom(0.05, 0.1, 1.37),
  }),
  fc.record({
    kind: fc.constant('savingsPlan' as const),
    term: fc.constantFrom('P1Y' as const, 'P3Y' as const),
    hourlyCommitment: fc.constantFrom(0.01, 0.05, 0.1, 0.5, 2),
    scope: scopeArb,
    purchaseDate: purchaseArb,
  }),
);

type CommitmentSeed = typeof commitmentArb extends fc.Arbitrary<infer T> ? T : never;

function toCommitment(s: CommitmentSeed, id: string): CommitmentInput {
  const base = { id, scope: s.scope, ...(s.purchaseDate ? { purchaseDate: s.purchaseDate } : {}) };
  if (s.kind === 'savingsPlan')
    return { ...base, type: 'savingsPlan', term: s.term, hourlyCommitment: s.hourlyCommitment };
  const [sku, group, ratio] = VMS[s.vm];
  return {
    ...base,
    type: 'reservation',
    reservedResourceType: s.sql ? 'SqlDatabases' : 'VirtualMachines',
    sku: s.sql ? 'SQL_GP_Gen5_2' : sku,
    region: s.region,
    quantity: s.quantity,
    term: s.term,
    amortizedHourlyCost: s.cost,
    ...(!s.sql && group ? { isfGroup: group, skuRatio: ratio } : {}),
    ...(!s.sql && s.flexibility ? { instanceFlexibility: s.flexibility } : {}),
  };
}

/** An input with unique, shuffled row ids and commitment ids. */
export const inputArb: fc.Arbitrary<BenefitInput> = fc
  .record({
    rows: fc.array(rowArb, { minLength: 1, maxLength: 14 }),
    commitments: fc.array(commitmentArb, { minLength: 1, maxLength: 6 }),
    rowIds: fc.uniqueArray(fc.stringMatching(/^[a-z0-9]{1,4}$/), { minLength: 14, maxLength: 14 }),
    mg: fc.subarray(SUBS),
    hours: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
  })
  .map(({ rows, commitments, rowIds, mg, hours }) => {
    const input: BenefitInput = {
      context: { managementGroups: { 'mg-1': mg } },
      usage: rows.map((r, i) => toRow(r, rowIds[i])),
      commitments: commitments.map((c, i) => toCommitment(c, `C${(i * 7) % 10}${i}`)),
    };
    if (hours) input.hours = Array.from({ length: hours }, (_, t) => hourAt(t));
    return input;
  });

/** The same input for another customer: every row, commitment and management group renamed. */
export function asCustomer(input: BenefitInput, customer: string): BenefitInput {
  const mg = (s: ScopeInput): ScopeInput =>
    s.type === 'ManagementGroup' ? { ...s, managementGroup: `${customer}-${s.managementGroup}` } : s;
  return {
    ...input,
    context: {
      managementGroups: Object.fromEntries(
        Object.entries(input.context?.managementGroups ?? {}).map(([k, v]) => [`${customer}-${k}`, v]),
      ),
    },
    usage: input.usage.map((r) => ({ ...r, customer, rowId: `${customer}-${r.rowId}` })),
    commitments: (input.commitments ?? []).map((c) => ({
      ...c,
      customer,
      id: `${customer}-${c.id}`,
      scope: mg(c.scope),
    })),
  };
}
