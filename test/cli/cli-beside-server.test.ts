import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockPathOf, readLock } from '../../src/cli/data-dir-lock.ts';
import { demoId, loadDemoCommitments, loadDemoData } from '../../src/demo/load.ts';
import { inlineApply } from '../../src/jobs/engine-pool.ts';
import { openDatabase } from '../../src/store/db.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { demoPassword, users } from '../support/app.ts';
import { type MitraServer, runMitra, startMitraServer } from '../support/cli.ts';

const dayMs = 86_400_000;
const yesterday = new Date(Math.floor(Date.now() / dayMs) * dayMs - dayMs).toISOString().slice(0, 10);
const today = new Date(Math.floor(Date.now() / dayMs) * dayMs).toISOString().slice(0, 10);
const oneLine = (text: string) => text.trim().split('\n').filter(Boolean);

/**
 * The `mitra` command as a partner runs it from a shell, beside `mitra serve` on the same embedded
 * folder (which the command used to open too, forking and corrupting the database), and alone.
 */
describe('mitra commands beside a running server on the embedded database', () => {
  let dir: string;
  let server: MitraServer | undefined;
  const csv = () => join(dir, 'usage.csv');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mitra-cli-'));
    // The demo world without its 90 days of usage: the commands below bring usage in.
    const handle = await openDatabase({ dataDir: dir });
    await migrateToLatest(handle.db);
    await loadDemoData(handle.db, { password: demoPassword, usageDays: 0 });
    await loadDemoCommitments(handle.db, inlineApply(), { usageDays: 0 });
    await handle.close();
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('with no server, a command opens the folder itself and lets it go', async () => {
    const run = await runMitra(dir, [
      'usage',
      'generate',
      '--days',
      '1',
      '--from',
      yesterday,
      '--out',
      csv(),
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(csv(), 'utf8').split('\n').length).toBeGreaterThan(100);
    expect(readLock(dir).state).toBe('free');
  });

  it('the server holds the folder: its lock names its pid and URL and is readable by its owner only', async () => {
    server = await startMitraServer(dir);
    const lock = readLock(dir);
    expect(lock).toMatchObject({
      state: 'held',
      holder: { holder: 'server', pid: server.pid, url: server.url },
    });
    expect(statSync(lockPathOf(dir)).mode & 0o777).toBe(0o600);
  });

  it('a second server on the same folder refuses in one line', async () => {
    const run = await runMitra(dir, ['serve']);
    expect(run.code).toBe(1);
    expect(oneLine(run.stderr)).toEqual([expect.stringMatching(/already runs on .*; stop it first/)]);
  });

  it('usage generate reads the subscriptions through the server: the same CSV as alone', async () => {
    const out = join(dir, 'again.csv');
    const run = await runMitra(dir, ['usage', 'generate', '--days', '1', '--from', yesterday, '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(csv(), 'utf8'));
  });

  it('usage import streams the file to the server, which applies benefits in the background', async () => {
    const run = await runMitra(dir, ['usage', 'import', csv()]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /Imported \d+ usage rows for \d+ customer\(s\); the server \(pid \d+\) applies/,
    );
    // Visible through the API: the savings plan's utilisation gets the imported day.
    const token = await fetch(`${server!.url}/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'password', username: users.admin, password: demoPassword }),
    }).then(async (r) => (await r.json()).access_token as string);
    const get = (path: string) =>
      fetch(`${server!.url}${path}`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.json());
    const fabrikam = demoId('fabrikam');
    const plan = (await get(`/api/customers/${fabrikam}/savings-plans`)).items[0];
    const days = async () =>
      (await get(`/api/customers/${fabrikam}/savings-plans/${plan.id}/utilization`)).daily.map(
        (d: { day: string }) => d.day,
      );
    for (let tries = 0; !(await days()).includes(yesterday); tries++) {
      expect(tries, 'the server applies the imported day').toBeLessThan(200);
      await new Promise((r) => setTimeout(r, 250));
    }
  });

  it('a bad file imports nothing and says in one line where it is wrong', async () => {
    const bad = join(dir, 'bad.csv');
    const [header, first] = readFileSync(csv(), 'utf8').split('\n');
    writeFileSync(bad, `${header}\n${first}\n${first.replace(/T\d\d:00:00/, 'T10:30:00')}\n`);
    const run = await runMitra(dir, ['usage', 'import', bad]);
    expect(run.code).toBe(1);
    expect(oneLine(run.stderr)).toEqual([
      expect.stringMatching(/^Line 3, column hour: .*Nothing was imported/),
    ]);
  });

  it('benefits run queues through the server and follows the server applying it', async () => {
    const run = await runMitra(dir, ['benefits', 'run', '--from', yesterday, '--to', today]);
    expect(run.code, run.stderr).toBe(0);
    const [, customers, rows] = /Applied benefits for (\d+) customer\(s\), (\d+) usage rows/.exec(
      run.stdout,
    )!;
    expect(Number(customers)).toBeGreaterThan(0);
    expect(Number(rows)).toBe(readFileSync(csv(), 'utf8').trim().split('\n').length - 1);
  });

  it('invoices issue and rates import go through the server', async () => {
    const rates = join(dir, 'rates.csv');
    writeFileSync(rates, 'date,base,quote,rate\n2026-11-30,USD,IDR,16600\n');
    const [invoices, imported] = await Promise.all([
      runMitra(dir, ['invoices', 'issue', '--month', '2025-01']),
      runMitra(dir, ['rates', 'import', rates]),
    ]);
    expect(invoices.code, invoices.stderr).toBe(0);
    expect(invoices.stdout).toMatch(
      /Contoso Cloud Partner: 2025-01 (closed|was already closed); \d+ invoice\(s\)/,
    );
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/Imported 1 exchange rate\(s\)/);
  });

  it('alerts run goes through the server; the server said once that e-mail is off', async () => {
    const first = await runMitra(dir, ['alerts', 'run']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^Alerts raised: \d+ expiring, \d+ under-used commitment\(s\)\.$/m);
    // Each alert once per condition: its own hourly check or this run raised them already.
    const again = await runMitra(dir, ['alerts', 'run']);
    expect(again.stdout).toMatch(/Alerts raised: 0 expiring, 0 under-used commitment\(s\)\./);
    expect(server?.output().match(/E-mail notifications are off/g)).toHaveLength(1);
  });

  it('migrate, worker and demo say in one line what they do beside the server', async () => {
    const [migrate, worker, demo] = await Promise.all([
      runMitra(dir, ['migrate']),
      runMitra(dir, ['worker']),
      runMitra(dir, ['demo', '--reset']),
    ]);
    expect(migrate.code).toBe(0);
    expect(oneLine(migrate.stdout)).toEqual([expect.stringMatching(/^Nothing to do: the server/)]);
    expect(worker.code).toBe(0);
    expect(oneLine(worker.stdout)).toEqual([expect.stringMatching(/^No worker is needed/)]);
    expect(demo.code).toBe(1);
    expect(oneLine(demo.stderr)).toEqual([expect.stringMatching(/stop the server on .* \(pid \d+\)/)]);
  });

  it('once the server stops, the folder is free and holds everything the commands did', async () => {
    expect(await server!.stop()).toBe(0);
    server = undefined;
    expect(existsSync(lockPathOf(dir))).toBe(false);
    const handle = await openDatabase({ dataDir: dir });
    try {
      const usage = await handle.db
        .selectFrom('usage_records')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(usage.n)).toBe(readFileSync(csv(), 'utf8').trim().split('\n').length - 1);
      const records = await handle.db.selectFrom('audit_records').select('operation_type').execute();
      expect(records.map((r) => r.operation_type)).toEqual(
        expect.arrayContaining(['import_usage', 'apply_benefits']),
      );
    } finally {
      await handle.close();
    }
  });

  it('a stale lock (its process is gone) is ignored and replaced', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    writeFileSync(
      lockPathOf(dir),
      JSON.stringify({
        format: 1,
        holder: 'server',
        command: 'serve',
        pid: dead,
        hostname: hostname(),
        url: 'http://127.0.0.1:9',
        token: 'x',
        instance: 'old',
        startedAt: '',
      }),
    );
    const run = await runMitra(dir, ['migrate']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/The database is migrated/);
    expect(existsSync(lockPathOf(dir))).toBe(false);
  });

  it('a folder held by a live process that does not answer gets one line saying what to do', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as { port: number };
        s.close(() => resolve(port));
      });
    });
    // This test's own process: alive, but no Mitra server answers at the lock's address.
    writeFileSync(
      lockPathOf(dir),
      JSON.stringify({
        format: 1,
        holder: 'server',
        command: 'serve',
        pid: process.pid,
        hostname: hostname(),
        url: `http://127.0.0.1:${closed}`,
        token: 'x',
        instance: 'hung',
        startedAt: '',
      }),
    );
    const run = await runMitra(dir, ['usage', 'import', csv()]);
    expect(run.code).toBe(1);
    expect(oneLine(run.stderr)).toEqual([
      expect.stringMatching(/holds .* but does not answer .*; stop it \(kill \d+\).*or delete .*mitra\.lock/),
    ]);
    rmSync(lockPathOf(dir));
  });
});
