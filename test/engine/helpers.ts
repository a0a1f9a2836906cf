import { applyBenefits } from '../../src/engine/index.ts';
import { loadRatioTable } from '../../src/engine/ratio-file.ts';
import type {
  BenefitInput,
  BenefitOutput,
  CommitmentInput,
  ReservationInput,
  RowResult,
  SavingsPlanInput,
  UsageRowInput,
} from '../../src/engine/types.ts';

export const ratios = loadRatioTable();

export const H0 = '2025-03-03T10:00:00Z';
export const hour = (t: number) =>
  new Date(Date.parse(H0) + t * 3_600_000).toISOString().replace('.000Z', 'Z');

/** A VM row in sub-1/rg-a/eastus at H0, one hour, with the given overrides. */
export function vm(
  rowId: string,
  sku: string,
  quantity: number,
  more: Partial<UsageRowInput> = {},
): UsageRowInput {
  return {
    rowId,
    hour: H0,
    subscription: 'sub-1',
    resourceGroup: 'rg-a',
    region: 'eastus',
    reservedResourceType: 'VirtualMachines',
    sku,
    quantity,
    paygUnitPrice: 0.1,
    ...more,
  };
}

export function reservation(id: string, sku: string, quantity: number, more: Partial<ReservationInput> = {}) {
  const r: ReservationInput = {
    id,
    type: 'reservation',
    reservedResourceType: 'VirtualMachines',
    sku,
    region: 'eastus',
    quantity,
    term: 'P1Y',
    purchaseDate: '2025-01-01',
    scope: { type: 'Shared' },
    amortizedHourlyCost: 0.1,
    ...more,
  };
  return r;
}

export function plan(id: string, hourlyCommitment: number, more: Partial<SavingsPlanInput> = {}) {
  const p: SavingsPlanInput = {
    id,
    type: 'savingsPlan',
    term: 'P1Y',
    hourlyCommitment,
    currency: 'USD',
    purchaseDate: '2025-01-01',
    scope: { type: 'Shared' },
    ...more,
  };
  return p;
}

export function run(
  usage: UsageRowInput[],
  commitments: CommitmentInput[],
  more: Partial<BenefitInput> = {},
) {
  return applyBenefits({ usage, commitments, ...more }, ratios);
}

export function row(out: BenefitOutput, rowId: string): RowResult {
  const r = out.rows.find((x) => x.rowId === rowId);
  if (!r) throw new Error(`no row ${rowId}`);
  return r;
}

/** Covered quantity of a row by one commitment (0 when none). */
export const covered = (out: BenefitOutput, rowId: string, by: string): number =>
  row(out, rowId)
    .coverage.filter((p) => p.by === by)
    .reduce((s, p) => s + p.quantity, 0);

export const commitment = (out: BenefitOutput, id: string) => {
  const c = out.commitments.find((x) => x.id === id);
  if (!c) throw new Error(`no commitment ${id}`);
  return c;
};
