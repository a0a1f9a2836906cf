import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoId, loadDemoData } from '../../src/demo/load.ts';
import { type DatabaseHandle, openDatabase } from '../../src/store/db.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { eventually, type Receiver, startReceiver } from './receiver.ts';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'mitra.mjs');

/** `mitra worker` on PostgreSQL sends webhook deliveries too, and stops cleanly on SIGTERM. */
describe.skipIf(!process.env.DATABASE_URL)('mitra worker sends webhook deliveries on PostgreSQL', () => {
  // Read inside the hooks: the describe body runs even when skipped (no DATABASE_URL).
  const base = process.env.DATABASE_URL ?? '';
  const name = `mitra_test_${randomBytes(6).toString('hex')}`;
  let url: URL;
  let handle: DatabaseHandle;
  let receiver: Receiver;

  beforeAll(async () => {
    url = new URL(base);
    url.pathname = `/${name}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    handle = await openDatabase({ url: url.toString() });
    await migrateToLatest(handle.db);
    await loadDemoData(handle.db, { password: 'demo-password', usageDays: 0 });
    receiver = await startReceiver();
  }, 120_000);
  afterAll(async () => {
    await receiver?.close();
    await handle?.close();
    if (!url) return;
    const cleanup = new pg.Client({ connectionString: base });
    await cleanup.connect();
    await cleanup.query(`drop database if exists ${name} with (force)`);
    await cleanup.end();
  });

  it('delivers a queued event, then exits 0 on SIGTERM', async () => {
    const partner = demoId('contoso');
    const endpoint = randomUUID();
    const event = randomUUID();
    await handle.db
      .insertInto('webhook_endpoints')
      .values({
        id: endpoint,
        partner_id: partner,
        url: receiver.url,
        events: JSON.stringify(['commitment.refunded']),
        secret: `whsec_${randomBytes(24).toString('base64')}`,
        updated_at: new Date(),
      })
      .execute();
    await handle.db
      .insertInto('partner_events')
      .values({
        id: event,
        partner_id: partner,
        type: 'commitment.refunded',
        occurred_at: new Date(),
        data: '{}',
      })
      .execute();
    await handle.db
      .insertInto('webhook_deliveries')
      .values({
        id: 'msg_worker',
        endpoint_id: endpoint,
        event_id: event,
        partner_id: partner,
        next_attempt_at: new Date(),
      })
      .execute();

    const child = spawn(process.execPath, [bin, 'worker', '--threads', '1'], {
      env: {
        ...process.env,
        DATABASE_URL: url.toString(),
        MITRA_WEBHOOK_ALLOW_HTTP: 'true',
        MITRA_WEBHOOK_ALLOW_PRIVATE: 'true',
        MITRA_WEBHOOK_POLL_MS: '200',
        LOG_LEVEL: 'warn',
      },
    });
    let output = '';
    child.stdout.on('data', (c) => {
      output += c;
    });
    child.stderr.on('data', (c) => {
      output += c;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await eventually(() => receiver.received.length === 1, `the worker's delivery (${output})`, 30_000);
      expect(receiver.received[0].headers['webhook-id']).toBe('msg_worker');
      await eventually(
        async () =>
          (
            await handle.db
              .selectFrom('webhook_deliveries')
              .select('status')
              .where('id', '=', 'msg_worker')
              .executeTakeFirstOrThrow()
          ).status === 'succeeded',
        'the delivery to be recorded as succeeded',
      );
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited, output).toBe(0);
  }, 60_000);
});
