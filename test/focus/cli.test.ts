import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLock } from '../../src/cli/data-dir-lock.ts';
import { demoId, loadDemoCommitments, loadDemoData } from '../../src/demo/load.ts';
import { inlineApply } from '../../src/jobs/engine-pool.ts';
import { openDatabase } from '../../src/store/db.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { demoPassword } from '../support/app.ts';
import { type MitraServer, runMitra, startMitraServer } from '../support/cli.ts';
import { readFocusCsv, readFocusParquet, validateFocus } from '../support/focus-validator.ts';

const DAY = 86_400_000;
const today = Math.floor(Date.now() / DAY) * DAY;
const from = new Date(today - 2 * DAY).toISOString().slice(0, 10);
const to = new Date(today + DAY).toISOString().slice(0, 10);
const fabrikam = demoId('fabrikam');

/** `mitra export focus` from a shell: alone on the embedded folder, and beside `mitra serve`. */
describe('mitra export focus', () => {
  let dir: string;
  let server: MitraServer | undefined;
  const args = (out: string, ...more: string[]) => [
    'export',
    'focus',
    '--customer',
    fabrikam,
    '--from',
    from,
    '--to',
    to,
    '--out',
    join(dir, out),
    ...more,
  ];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mitra-focus-cli-'));
    const handle = await openDatabase({ dataDir: dir });
    await migrateToLatest(handle.db);
    await loadDemoData(handle.db, { password: demoPassword, usageDays: 2 });
    await loadDemoCommitments(handle.db, inlineApply(), { usageDays: 2 });
    await handle.close();
  }, 240_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('alone, writes the partner view from the database and lets the folder go', async () => {
    const run = await runMitra(dir, args('direct.csv', '--partner', '--format', 'csv'));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Wrote .*direct\.csv \(csv, \d+ bytes, partner view\)/);
    const file = readFocusCsv(join(dir, 'direct.csv'));
    expect(validateFocus(file, { require: ['@commitment'] }).errors).toEqual([]);
    expect(file.rows.some((r) => r.CommitmentDiscountStatus === 'Used')).toBe(true);
    expect(readLock(dir).state).toBe('free');
  }, 120_000);

  it('beside a running server, the server streams the same file and the command writes it', async () => {
    server = await startMitraServer(dir);
    const run = await runMitra(dir, args('via-server.csv', '--partner', '--format', 'csv'));
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(join(dir, 'via-server.csv'), 'utf8')).toBe(
      readFileSync(join(dir, 'direct.csv'), 'utf8'),
    );
    const parquet = await runMitra(dir, args('via-server.parquet', '--partner', '--format', 'parquet'));
    expect(parquet.code, parquet.stderr).toBe(0);
    const file = await readFocusParquet(join(dir, 'via-server.parquet'));
    expect(file.physicalTypes?.EffectiveCost).toBe('DECIMAL(38,10)');
    expect(validateFocus(file, { require: ['@commitment'] }).errors).toEqual([]);
    expect(file.rows.length).toBe(readFocusCsv(join(dir, 'direct.csv')).rows.length);
  }, 180_000);

  it("the customer's view has usage only; a missing customer is one line and no file", async () => {
    const run = await runMitra(dir, args('customer.csv'));
    expect(run.code, run.stderr).toBe(0);
    const rows = readFocusCsv(join(dir, 'customer.csv')).rows;
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.ChargeCategory))).toEqual(new Set(['Usage']));
    expect(rows.some((r) => r.CommitmentDiscountStatus === 'Unused')).toBe(false);
    const bad = await runMitra(dir, [
      'export',
      'focus',
      '--customer',
      crypto.randomUUID(),
      '--from',
      from,
      '--to',
      to,
      '--out',
      join(dir, 'missing.csv'),
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^No customer with id .* exists/)]);
    expect(() => readFileSync(join(dir, 'missing.csv'))).toThrow();
  }, 180_000);
});
