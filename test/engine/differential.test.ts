import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCustomer } from '../../src/engine/generate.ts';
import { customerRows } from '../../src/engine/generate-objects.ts';
import { applyBenefits } from '../../src/engine/index.ts';
import { ratiosPath } from '../../src/engine/ratio-file.ts';
import type { BenefitInput, BenefitOutput } from '../../src/engine/types.ts';
import { generateCase } from './cases.ts';
import { differences } from './compare.ts';
import { DuckOracle, type OracleCommitment, type OracleHour, type OracleRow } from './duckdb-oracle.ts';
import { ratios } from './helpers.ts';

/**
 * Differential test: the engine against an independent SQL implementation of the same rules on
 * DuckDB (`duckdb-oracle.ts`), on thousands of random crowded cases and on realistic generated
 * customers, all loaded into DuckDB at once (one customer per case) and compared per customer
 * within 1e-9. A failure names the case's seed; `ENGINE_DIFF_SEED` replays a run.
 */
const baseSeed = Number(process.env.ENGINE_DIFF_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CASES = Number(process.env.ENGINE_DIFF_CASES ?? 4000);
const REALISTIC = 12;

interface Case {
  customer: string;
  seed: string;
  input: BenefitInput;
  out?: BenefitOutput;
}

const cases: Case[] = [];
const oracle = {
  rows: new Map<string, OracleRow[]>(),
  commitments: new Map<string, OracleCommitment[]>(),
  hours: new Map<string, OracleHour[]>(),
};

function group<T extends { customer: string }>(xs: T[], into: Map<string, T[]>) {
  for (const x of xs) {
    const list = into.get(x.customer);
    if (list) list.push(x);
    else into.set(x.customer, [x]);
  }
}

beforeAll(async () => {
  for (let i = 0; i < CASES; i++) {
    const seed = baseSeed + i;
    cases.push({
      customer: `case-${i}`,
      seed: `ENGINE_DIFF_SEED=${baseSeed} case ${i} (generateCase(${seed}))`,
      input: generateCase(seed),
    });
  }
  for (let c = 0; c < REALISTIC; c++) {
    const g = generateCustomer({ seed: baseSeed, hours: 72 }, c);
    cases.push({
      customer: g.name,
      seed: `ENGINE_DIFF_SEED=${baseSeed} realistic customer ${c}`,
      input: {
        context: { managementGroups: g.managementGroups },
        usage: customerRows(g),
        commitments: g.commitments,
      },
    });
  }
  for (const c of cases) c.out = applyBenefits(c.input, ratios);

  const db = await DuckOracle.create();
  try {
    await db.loadCases(cases, ratiosPath());
    await db.apply();
    group(await db.rows(), oracle.rows);
    group(await db.commitments(), oracle.commitments);
    group(await db.hours(), oracle.hours);
  } finally {
    db.close();
  }
}, 120_000);

afterAll(() => {
  cases.length = 0;
});

describe(`differential: engine vs SQL on DuckDB (${CASES} random cases + ${REALISTIC} realistic customers)`, () => {
  it('agree on every row, commitment and hour within 1e-9', () => {
    const failures: string[] = [];
    for (const c of cases) {
      const diffs = differences(
        c.out!,
        oracle.rows.get(c.customer) ?? [],
        oracle.commitments.get(c.customer) ?? [],
        oracle.hours.get(c.customer) ?? [],
      );
      if (diffs.length) failures.push(`${c.seed}: ${diffs.slice(0, 5).join('; ')}`);
    }
    expect(failures.slice(0, 10)).toEqual([]);
  });

  it('exercise what they are meant to: coverage, partial rows, plans and idle hours', () => {
    const parts = cases.flatMap((c) => c.out!.rows.flatMap((r) => r.coverage));
    const partial = cases.flatMap((c) => c.out!.rows.filter((r) => r.coverage.length && r.paygQuantity > 0));
    expect(parts.filter((p) => p.consumed === undefined).length).toBeGreaterThan(CASES / 4);
    expect(parts.filter((p) => p.consumed !== undefined).length).toBeGreaterThan(CASES / 4);
    expect(partial.length).toBeGreaterThan(CASES / 10);
    const idle = cases.flatMap((c) => c.out!.perHour.filter((h) => h.consumed === 0));
    expect(idle.length).toBeGreaterThan(CASES / 10);
  });

  it('the multi-customer input gives each customer the results it gets alone', () => {
    const some = cases.filter((_, i) => i % 40 === 0);
    const prefixed = some.map((c) => ({
      ...c.input,
      usage: c.input.usage.map((r) => ({ ...r, customer: c.customer, rowId: `${c.customer}/${r.rowId}` })),
      commitments: (c.input.commitments ?? []).map((x) => ({
        ...x,
        customer: c.customer,
        id: `${c.customer}/${x.id}`,
        scope:
          x.scope.type === 'ManagementGroup'
            ? { ...x.scope, managementGroup: `${c.customer}/${x.scope.managementGroup}` }
            : x.scope,
      })),
      context: {
        managementGroups: Object.fromEntries(
          Object.entries(c.input.context?.managementGroups ?? {}).map(([k, v]) => [`${c.customer}/${k}`, v]),
        ),
      },
    }));
    // Reported hours are one list for the whole input, so only cases without one combine.
    const combinable = prefixed.filter((p) => !p.hours);
    const all = applyBenefits(
      {
        context: {
          managementGroups: Object.assign({}, ...combinable.map((p) => p.context.managementGroups)),
        },
        usage: combinable.flatMap((p) => p.usage),
        commitments: combinable.flatMap((p) => p.commitments),
      },
      ratios,
    );
    const alone = combinable.map((p) => applyBenefits(p, ratios));
    expect(all.rows).toEqual(alone.flatMap((o) => o.rows));
    expect(all.commitments).toEqual(alone.flatMap((o) => o.commitments));
    expect(new Set(all.perHour.map((h) => JSON.stringify(h)))).toEqual(
      new Set(alone.flatMap((o) => o.perHour.map((h) => JSON.stringify(h)))),
    );
  });
});
