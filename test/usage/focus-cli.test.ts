import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLock } from '../../src/cli/data-dir-lock.ts';
import { demoId, loadDemoData } from '../../src/demo/load.ts';
import { openDatabase } from '../../src/store/db.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { demoPassword } from '../support/app.ts';
import { type MitraServer, runMitra, startMitraServer } from '../support/cli.ts';
import { demoUsageRows, focusCostCsv } from '../support/focus-cost.ts';

const dayMs = 86_400_000;
const yesterday = new Date(Math.floor(Date.now() / dayMs) * dayMs - dayMs);
const oneLine = (text: string) => text.trim().split('\n').filter(Boolean);

/** `mitra usage import` of FOCUS files from a shell: alone on the folder, then beside a server. */
// Child processes on a shared machine: each step may take a while, none is timed.
describe('mitra usage import of a FOCUS export, alone and beside a running server', {
  timeout: 240_000,
}, () => {
  let dir: string;
  let server: MitraServer | undefined;
  let rows = 0;
  const file = (name: string) => join(dir, name);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mitra-focus-cli-'));
    const handle = await openDatabase({ dataDir: join(dir, 'data') });
    try {
      await migrateToLatest(handle.db);
      await loadDemoData(handle.db, { password: demoPassword, usageDays: 0 });
      const usage = await demoUsageRows(handle.db, [demoId('fabrikam'), demoId('tailspin')], yesterday, 24);
      rows = usage.length;
      writeFileSync(file('focus.csv.gz'), gzipSync(focusCostCsv(usage, { version: '1.2-preview' })));
      writeFileSync(file('focus-for-parquet.csv'), focusCostCsv(usage, { version: '1.0r2' }));
      const bad = focusCostCsv(usage, { version: '1.0' }).split('\n');
      bad[3] = bad[3].replace(
        /,\/subscriptions\/[0-9a-f-]+,/,
        ',/subscriptions/00000000-0000-4000-8000-00000000dead,',
      );
      writeFileSync(file('bad-focus.csv'), bad.join('\n'));
    } finally {
      await handle.close();
    }
    const instance = await DuckDBInstance.create(':memory:');
    const c = await instance.connect();
    await c.run(
      `COPY (SELECT * FROM read_csv('${file('focus-for-parquet.csv')}', all_varchar = true)) TO '${file('focus.parquet')}' (FORMAT parquet)`,
    );
    c.closeSync();
    instance.closeSync();
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const data = () => join(dir, 'data');

  it('alone, a gzip FOCUS CSV is recognised by itself, imported, and its commitments skipped', async () => {
    const run = await runMitra(data(), ['usage', 'import', file('focus.csv.gz')]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      `Imported ${rows} usage rows for 2 customer(s) (skipped: 1 purchase, 2 unused-commitment and 0 other rows); benefit runs queued`,
    );
    expect(readLock(data()).state).toBe('free');
  });

  it('beside the server, a Parquet file is streamed to it and imported there', async () => {
    server = await startMitraServer(data());
    const run = await runMitra(data(), ['usage', 'import', '--format', 'focus', file('focus.parquet')]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(
        `^Imported ${rows} usage rows for 2 customer\\(s\\) \\(skipped: 1 purchase.*the server \\(pid ${server.pid}\\) applies`,
      ),
    );
  });

  it('beside the server, a bad FOCUS file imports nothing and says in one line where it is wrong', async () => {
    const run = await runMitra(data(), ['usage', 'import', file('bad-focus.csv')]);
    expect(run.code).toBe(1);
    expect(oneLine(run.stderr)).toEqual([
      expect.stringMatching(
        /^Line 4, column SubAccountId: not an Azure subscription of that customer\. Nothing was imported/,
      ),
    ]);
    const wrong = await runMitra(data(), ['usage', 'import', '--format', 'xml', file('bad-focus.csv')]);
    expect(wrong.code).toBe(2);
  });

  it('both imports stored the same rows', async () => {
    expect(await server!.stop()).toBe(0);
    server = undefined;
    const handle = await openDatabase({ dataDir: data() });
    try {
      const { rows: groups } = await sql<{ n: number }>`
        select count(*)::int as n from usage_records
        group by customer_id, subscription_id, hour, resource_group, region, meter_category,
          reserved_resource_type, sku, quantity, payg_unit_price, sp_unit_price_p1y, sp_unit_price_p3y,
          benefit_eligible, resource_id`.execute(handle.db);
      expect(groups.reduce((s, g) => s + g.n, 0)).toBe(2 * rows);
      expect(groups.every((g) => g.n === 2)).toBe(true);
    } finally {
      await handle.close();
    }
  });
});
