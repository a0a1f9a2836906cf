import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runBenefitsApplyCli } from '../../src/engine/cli.ts';
import { usageCsvLines } from '../../src/engine/csv.ts';
import { generateInput } from '../../src/engine/generate-objects.ts';
import { applyBenefits } from '../../src/engine/index.ts';
import type { BenefitInput } from '../../src/engine/types.ts';
import { ratios, reservation, vm } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'mitra-engine-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[], stdin = '') {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (b) => out.push(b));
  stderr.on('data', (b) => err.push(b));
  const code = await runBenefitsApplyCli(args, { stdin: Readable.from([stdin]), stdout, stderr });
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}

const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

const small: BenefitInput = {
  usage: [vm('u1', 'Standard_D2s_v3', 1), vm('u2', 'Standard_D8s_v3', 1)],
  commitments: [reservation('R1', 'Standard_D4s_v3', 1)],
};

describe('mitra benefits apply [FILE] (JSON)', () => {
  it('reads a file and prints the contract output', async () => {
    const r = await cli([file('in.json', JSON.stringify(small))]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(r.stdout)).toEqual(applyBenefits(small, ratios));
  });

  it('reads standard input when FILE is absent or -', async () => {
    for (const args of [[], ['-']]) {
      const r = await cli(args, JSON.stringify(small));
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).rows).toHaveLength(2);
    }
  });

  it('prints one row per line', async () => {
    const r = await cli([], JSON.stringify(small));
    expect(r.stdout.split('\n').filter((l) => l.includes('"rowId"'))).toHaveLength(2);
  });

  const bad: [string, unknown, RegExp][] = [
    [
      'unknown scope type',
      { ...small, commitments: [{ ...small.commitments![0], scope: { type: 'Galaxy' } }] },
      /^mitra benefits apply: commitments\[0\] \(id "R1"\): scope\.type: unknown scope type "Galaxy"/,
    ],
    [
      'negative quantity',
      { ...small, usage: [small.usage[0], { ...small.usage[1], quantity: -1 }] },
      /^mitra benefits apply: usage\[1\] \(rowId "u2"\): quantity: negative: -1/,
    ],
    [
      'a row with neither ratio nor table entry when flexibility is On',
      { ...small, usage: [vm('u9', 'Standard_D2s_v3', 1, { sku: 'Standard_X', isfGroup: 'DSv3 Series' })] },
      /^mitra benefits apply: usage\[0\] \(rowId "u9"\): skuRatio: no ratio/,
    ],
    [
      'a flexible reservation without a ratio',
      { ...small, commitments: [reservation('R9', 'Standard_Unknown', 1)] },
      /^mitra benefits apply: commitments\[0\] \(id "R9"\): isfGroup: /,
    ],
    [
      'an unknown management group',
      {
        ...small,
        commitments: [
          reservation('R9', 'Standard_D2s_v3', 1, {
            scope: { type: 'ManagementGroup', managementGroup: 'mg-9' },
          }),
        ],
      },
      /commitments\[0\] \(id "R9"\): scope\.managementGroup: unknown management group "mg-9"/,
    ],
    [
      'a bad hour',
      { ...small, usage: [vm('u1', 'Standard_D2s_v3', 1, { hour: 'yesterday' })] },
      /usage\[0\] \(rowId "u1"\): hour: /,
    ],
    [
      'a repeated row id',
      { ...small, usage: [small.usage[0], small.usage[0]] },
      /usage\[1\] \(rowId "u1"\): rowId: appears twice/,
    ],
    [
      'an unknown commitment type',
      { ...small, commitments: [{ id: 'X', type: 'coupon' }] },
      /commitments\[0\] \(id "X"\): type: /,
    ],
    [
      'a plan with a 5-year term',
      {
        ...small,
        commitments: [
          { id: 'P', type: 'savingsPlan', term: 'P5Y', hourlyCommitment: 1, scope: { type: 'Shared' } },
        ],
      },
      /\(id "P"\): term: /,
    ],
    ['no usage array', { commitments: [] }, /usage: must be an array/],
  ];
  for (const [what, input, message] of bad) {
    it(`refuses ${what}: one line on standard error, nothing on standard output`, async () => {
      const r = await cli([], JSON.stringify(input));
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    });
  }

  it('refuses malformed JSON, naming the line', async () => {
    const r = await cli([file('broken.json', '{\n  "usage": [\n    {"rowId": "u1",}\n  ]\n}')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^mitra benefits apply: .*broken\.json: malformed JSON at line 3: /);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('answers bad arguments with exit code 2 and help with 0', async () => {
    expect((await cli(['--frobnicate'])).code).toBe(2);
    expect((await cli(['a.json', 'b.json'])).code).toBe(2);
    expect((await cli(['in.json', '--usage', 'u.csv', '--out', 'r.csv'])).code).toBe(2);
    expect((await cli(['--usage', 'u.csv'])).stderr).toMatch(/--out is required/);
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--usage usage\.csv/);
  });

  it('reports a missing file', async () => {
    const r = await cli([join(dir, 'nope.json')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nope\.json: cannot read/);
  });
});

describe('mitra benefits apply --usage --commitments --out (streaming)', () => {
  const input = generateInput({ seed: 11, customers: 4, hours: 30 });
  const usagePath = file('usage.csv', `${usageCsvLines(input.usage).join('\n')}\n`);
  const commitmentsPath = file(
    'commitments.json',
    JSON.stringify({ context: input.context, commitments: input.commitments }),
  );

  it('writes one line per row and coverage part, matching the JSON mode', async () => {
    const out = join(dir, 'results.csv');
    const r = await cli(['--usage', usagePath, '--commitments', commitmentsPath, '--out', out, '--summary']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const expected = applyBenefits(input, ratios);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('rowId,by,quantity,consumed,paygQuantity,actualCost,amortizedCost');
    const fromCsv: typeof expected.rows = [];
    for (const line of lines.slice(1)) {
      const [rowId, by, quantity, consumed, payg, actual, amortized] = line.split(',');
      if (payg !== '')
        fromCsv.push({
          rowId,
          coverage: [],
          paygQuantity: +payg,
          actualCost: +actual,
          amortizedCost: +amortized,
        });
      if (by) {
        fromCsv
          .at(-1)!
          .coverage.push({ by, quantity: +quantity, ...(consumed ? { consumed: +consumed } : {}) });
      }
    }
    expect(fromCsv).toEqual(expected.rows);
    const summary = JSON.parse(r.stdout);
    expect(summary.commitments).toEqual(expected.commitments);
    expect(summary.totals.usageQuantity).toBeCloseTo(
      input.usage.reduce((s, x) => s + x.quantity, 0),
      9,
    );
    expect(summary.totals.actualCost).toBeCloseTo(
      expected.rows.reduce((s, x) => s + x.actualCost, 0),
      9,
    );
    const unused = expected.commitments.reduce((s, c) => s + c.unusedAmortizedCost, 0);
    expect(summary.totals.amortizedCost).toBeCloseTo(
      expected.rows.reduce((s, x) => s + x.amortizedCost, 0) + unused,
      9,
    );
    expect(summary.applySeconds).toBeGreaterThan(0);
  });

  it('accepts a plain commitments array and a quoted CSV', async () => {
    const out = join(dir, 'plain.csv');
    const csv =
      'rowId,hour,subscription,region,reservedResourceType,sku,quantity,paygUnitPrice\r\n"u,1",2025-03-03T10:00:00Z,sub-1,eastus,VirtualMachines,Standard_D2s_v3,1,0.1\r\n';
    const r = await cli([
      '--usage',
      file('quoted.csv', csv),
      '--commitments',
      file('plain.json', JSON.stringify([reservation('R', 'Standard_D2s_v3', 1)])),
      '--out',
      out,
    ]);
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(readFileSync(out, 'utf8')).toBe(
      'rowId,by,quantity,consumed,paygQuantity,actualCost,amortizedCost\n"u,1",R,1,,0,0,0.1\n',
    );
  });

  const refusals: [string, string, string, RegExp][] = [
    [
      'a negative quantity',
      'rowId,hour,subscription,quantity,paygUnitPrice\nu1,2025-03-03T10:00:00Z,s,1,0.1\nu2,2025-03-03T10:00:00Z,s,-2,0.1\n',
      '[]',
      /^mitra benefits apply: neg\.csv line 3 \(rowId "u2"\): quantity: negative: -2/,
    ],
    ['a missing column', 'rowId,hour,subscription,paygUnitPrice\n', '[]', /missing column "quantity"/],
    [
      'a commitment without customer in a multi-customer file',
      'customer,rowId,hour,subscription,quantity,paygUnitPrice\na,1,2025-03-03T10:00:00Z,s,1,1\n',
      JSON.stringify([reservation('R', 'Standard_D2s_v3', 1)]),
      /commitments\[0\] \(id "R"\): customer: is required/,
    ],
    [
      'malformed commitments JSON',
      'rowId,hour,subscription,quantity,paygUnitPrice\n',
      '[{',
      /commitments-bad\.json: malformed JSON/,
    ],
    [
      'an unknown scope type',
      'rowId,hour,subscription,quantity,paygUnitPrice\n',
      JSON.stringify([{ ...reservation('R', 'Standard_D2s_v3', 1), scope: { type: 'Tenant' } }]),
      /commitments-bad\.json: commitments\[0\] \(id "R"\): scope\.type: unknown scope type "Tenant"/,
    ],
    [
      'a row with the wrong number of cells',
      'rowId,hour,subscription,quantity,paygUnitPrice\nu1,2025-03-03T10:00:00Z,s,1\n',
      '[]',
      /neg\.csv line 2: 4 cells, the header has 5/,
    ],
  ];
  for (const [what, csv, commitments, message] of refusals) {
    it(`refuses ${what}, leaving no results file`, async () => {
      const out = join(dir, 'refused.csv');
      const r = await cli([
        '--usage',
        file('neg.csv', csv),
        '--commitments',
        file('commitments-bad.json', commitments),
        '--out',
        out,
        '--summary',
      ]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(existsSync(out)).toBe(false);
    });
  }
});
