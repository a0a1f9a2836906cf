import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoData } from '../../src/demo/load.ts';
import { openDatabase } from '../../src/store/db.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { demoPassword, users } from '../support/app.ts';
import { type MitraServer, startMitraServer } from '../support/cli.ts';
import { eventually, type Receiver, startReceiver } from './receiver.ts';

/**
 * Durable delivery (B1) with the real server (`node bin/mitra.mjs serve`) on an embedded data
 * folder: the event commits, the server starts sending and is killed with SIGKILL before the
 * receiver answers. After a restart the delivery is sent again, with the same webhook-id, once its
 * lease runs out; nothing is lost, and nothing is sent again after the success.
 */
const env = {
  MITRA_WEBHOOK_ALLOW_HTTP: 'true',
  MITRA_WEBHOOK_ALLOW_PRIVATE: 'true',
  MITRA_WEBHOOK_TIMEOUT_MS: '3000',
  MITRA_WEBHOOK_LEASE_MS: '4000',
  MITRA_WEBHOOK_RETRY_SCHEDULE: '1s,1s',
  MITRA_WEBHOOK_POLL_MS: '200',
};

async function token(url: string, email: string) {
  const res = await fetch(`${url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', username: email, password: demoPassword }).toString(),
  });
  expect(res.status).toBe(200);
  return { authorization: `Bearer ${(await res.json()).access_token}`, 'content-type': 'application/json' };
}

describe('a server killed before delivering delivers after restart', () => {
  let dir: string;
  let server: MitraServer | undefined;
  let receiver: Receiver;
  let hold = true;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mitra-webhooks-'));
    const handle = await openDatabase({ dataDir: dir });
    await migrateToLatest(handle.db);
    await loadDemoData(handle.db, { password: demoPassword, usageDays: 0 });
    await handle.close();
    // The first request is held unanswered: the server is killed while it waits.
    receiver = await startReceiver(() => (hold ? 'hold' : 200));
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await receiver?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('nothing lost, nothing sent twice after a success', async () => {
    server = await startMitraServer(dir, env);
    const headers = await token(server.url, users.admin);
    const created = await fetch(`${server.url}/api/webhooks`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        url: receiver.url,
        events: ['customer.permission.enabled', 'customer.permission.disabled'],
      }),
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const endpoint = await created.json();
    const customers = await (await fetch(`${server.url}/api/customers`, { headers })).json();
    const fabrikam = customers.items.find((c: { companyName: string }) => c.companyName === 'Fabrikam').id;
    for (const allowed of [true, false]) {
      const put = await fetch(`${server.url}/api/customers/${fabrikam}/permissions/AzureSavingsPlan`, {
        method: 'PUT',
        headers,
        body: JSON.stringify({ allowed }),
      });
      expect(put.status).toBe(200);
    }

    // The event committed and the server is sending it: kill it before any answer.
    await eventually(() => receiver.received.length >= 1, 'the first delivery to reach the receiver');
    await server.kill();
    const inFlight = new Set(receiver.received.map((r) => r.headers['webhook-id']));
    hold = false;

    server = await startMitraServer(dir, env);
    const again = await token(server.url, users.admin);
    const deliveries = async () =>
      (
        await (
          await fetch(`${server!.url}/api/webhooks/${endpoint.id}/deliveries`, { headers: again })
        ).json()
      ).items as { id: string; status: string; attempts: { responseStatus: number | null }[] }[];
    await eventually(
      async () => {
        const items = await deliveries();
        return items.length >= 1 && items.every((d) => d.status === 'succeeded');
      },
      'every delivery to succeed after the restart',
      30_000,
    );
    const items = await deliveries();
    // Nothing lost: the events queued before the kill were all delivered.
    expect(items.length).toBeGreaterThanOrEqual(1);
    for (const id of inFlight) expect(items.map((d) => d.id)).toContain(id);
    // Each delivery got exactly one 200; the killed attempt was resent with the same webhook-id.
    for (const d of items) {
      const answeredOk = receiver.received.filter((r) => r.headers['webhook-id'] === d.id).length;
      expect(answeredOk, d.id).toBeGreaterThanOrEqual(1);
      expect(d.attempts.filter((a) => a.responseStatus === 200)).toHaveLength(1);
    }
    const countAfterSuccess = receiver.received.length;
    // Nothing sent twice after a success: a few polls and lease periods later, still the same.
    await new Promise((r) => setTimeout(r, 5_000));
    expect(receiver.received.length).toBe(countAfterSuccess);
    // Sent twice at most in all (the killed try and its resend), always the same id per delivery.
    const perId = new Map<string, number>();
    for (const r of receiver.received)
      perId.set(String(r.headers['webhook-id']), (perId.get(String(r.headers['webhook-id'])) ?? 0) + 1);
    for (const [id, n] of perId) expect(n, id).toBeLessThanOrEqual(inFlight.has(id) ? 2 : 1);
  }, 120_000);
});
