import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyBenefits } from '../../src/engine/index.ts';
import type { BenefitInput, BenefitOutput, CommitmentInput, UsageRowInput } from '../../src/engine/types.ts';
import { asCustomer, inputArb } from './arbitraries.ts';
import { close } from './compare.ts';
import { ratios } from './helpers.ts';

const RUNS = { numRuns: 400 };
const apply = (input: BenefitInput) => applyBenefits(input, ratios);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const hourKey = (iso: string) => Math.floor(Date.parse(iso) / 3_600_000);

/** Rows by id, commitments by id, hours by (hour, id): what must not depend on input order. */
function canonical(out: BenefitOutput) {
  return {
    rows: Object.fromEntries(out.rows.map((r) => [r.rowId, r])),
    commitments: Object.fromEntries(out.commitments.map((c) => [c.id, c])),
    perHour: Object.fromEntries(out.perHour.map((h) => [`${h.hour}/${h.id}`, h])),
  };
}

function shuffle<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = Math.imul(s ^ (s >>> 13), 0x5bd1e995) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Normalized units a row needs per hour under a reservation, as the rules define them. */
function unitsPerHour(row: UsageRowInput, c: CommitmentInput): number {
  if (c.type !== 'reservation') return 1;
  const flexible = c.instanceFlexibility
    ? c.instanceFlexibility === 'On'
    : c.reservedResourceType === 'VirtualMachines';
  if (!flexible) return 1;
  return row.skuRatio ?? ratios.get(row.sku!.toLowerCase())!.ratio;
}

describe('engine properties (fast-check)', () => {
  it('covered + pay-as-you-go quantity equals the usage quantity, for every row', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const out = apply(input);
        const byId = new Map(input.usage.map((r) => [r.rowId, r]));
        for (const r of out.rows) {
          const total = sum(r.coverage.map((p) => p.quantity)) + r.paygQuantity;
          expect(close(total, byId.get(r.rowId)!.quantity)).toBe(true);
          expect(r.paygQuantity).toBeGreaterThanOrEqual(0);
          for (const p of r.coverage) expect(p.quantity).toBeGreaterThan(0);
        }
      }),
      RUNS,
    );
  });

  it('no commitment covers more than its capacity in any hour', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const out = apply(input);
        const rows = new Map(input.usage.map((r) => [r.rowId, r]));
        const commitments = new Map((input.commitments ?? []).map((c) => [c.id, c]));
        const used = new Map<string, number>();
        for (const r of out.rows) {
          for (const p of r.coverage) {
            const key = `${hourKey(rows.get(r.rowId)!.hour)}/${p.by}`;
            const c = commitments.get(p.by)!;
            const amount =
              c.type === 'reservation' ? p.quantity * unitsPerHour(rows.get(r.rowId)!, c) : p.consumed!;
            used.set(key, (used.get(key) ?? 0) + amount);
          }
        }
        for (const h of out.perHour) {
          const fromParts = used.get(`${hourKey(h.hour)}/${h.id}`) ?? 0;
          expect(close(fromParts, h.consumed)).toBe(true);
          expect(h.consumed).toBeLessThanOrEqual(h.capacity * (1 + 1e-12));
          expect(close(h.consumed + h.unused, h.capacity)).toBe(true);
          used.delete(`${hourKey(h.hour)}/${h.id}`);
        }
        // Every coverage part belongs to an hour that reports the commitment.
        expect([...used.keys()]).toEqual([]);
      }),
      RUNS,
    );
  });

  it('amortized total = pay-as-you-go of uncovered usage + commitment cost for the period', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const out = apply(input);
        const rows = new Map(input.usage.map((r) => [r.rowId, r]));
        const commitments = new Map((input.commitments ?? []).map((c) => [c.id, c]));
        const payg = sum(out.rows.map((r) => r.paygQuantity * rows.get(r.rowId)!.paygUnitPrice));
        const commitmentCost = sum(
          out.perHour.map((h) => {
            const c = commitments.get(h.id)!;
            return c.type === 'reservation' ? c.amortizedHourlyCost : c.hourlyCommitment;
          }),
        );
        const amortized =
          sum(out.rows.map((r) => r.amortizedCost)) + sum(out.commitments.map((c) => c.unusedAmortizedCost));
        expect(close(amortized, payg + commitmentCost)).toBe(true);
        expect(close(sum(out.rows.map((r) => r.actualCost)), payg)).toBe(true);
      }),
      RUNS,
    );
  });

  it('results do not depend on the order of input rows or commitments', () => {
    fc.assert(
      fc.property(inputArb, fc.integer(), (input, seed) => {
        const shuffled = {
          ...input,
          usage: shuffle(input.usage, seed),
          commitments: shuffle(input.commitments ?? [], seed + 1),
        };
        expect(canonical(apply(shuffled))).toEqual(canonical(apply(input)));
      }),
      RUNS,
    );
  });

  it("a customer's results do not change when another customer's data is added", () => {
    fc.assert(
      fc.property(inputArb, inputArb, (a, b) => {
        const mine = asCustomer(a, 'A');
        const other = asCustomer(b, 'B');
        const both: BenefitInput = {
          context: {
            managementGroups: { ...mine.context!.managementGroups, ...other.context!.managementGroups },
          },
          usage: [...other.usage.slice(0, 3), ...mine.usage, ...other.usage.slice(3)],
          commitments: [...(other.commitments ?? []), ...(mine.commitments ?? [])],
          ...(a.hours ? { hours: a.hours } : {}),
        };
        const alone = canonical(apply(mine));
        const together = canonical(apply(both));
        const onlyA = <T>(o: Record<string, T>) =>
          Object.fromEntries(Object.entries(o).filter(([k]) => k.includes('A-')));
        expect(onlyA(together.rows)).toEqual(alone.rows);
        expect(onlyA(together.commitments)).toEqual(alone.commitments);
        expect(onlyA(together.perHour)).toEqual(alone.perHour);
      }),
      RUNS,
    );
  });

  it('late usage for an hour recomputes that hour only, and identically', () => {
    fc.assert(
      fc.property(inputArb, inputArb, fc.integer({ min: 0, max: 2 }), (input, late, t) => {
        const hours = ['2025-06-01T00:00:00Z', '2025-06-01T01:00:00Z', '2025-06-01T02:00:00Z'];
        const base = { ...input, hours };
        const lateRows = late.usage.map((r) => ({ ...r, rowId: `late-${r.rowId}`, hour: hours[t] }));
        const before = canonical(apply(base));
        const after = canonical(apply({ ...base, usage: [...input.usage, ...lateRows] }));
        const other = (iso: string) => hourKey(iso) !== hourKey(hours[t]);
        const rowHour = new Map(input.usage.map((r) => [r.rowId, r.hour]));
        for (const [id, r] of Object.entries(before.rows))
          if (other(rowHour.get(id)!)) expect(after.rows[id]).toEqual(r);
        for (const [k, h] of Object.entries(before.perHour))
          if (other(h.hour)) expect(after.perHour[k]).toEqual(h);
        // Recomputing with the same rows again gives the same hour (idempotent).
        expect(canonical(apply({ ...base, usage: [...lateRows, ...input.usage] }))).toEqual(after);
      }),
      { numRuns: 200 },
    );
  });
});
