import { performance } from 'node:perf_hooks';
import { buildApp } from '../src/api/app.ts';
import { demoId, loadDemoData } from '../src/demo/load.ts';
import { loadTokenKeys } from '../src/services/tokens.ts';
import { type DatabaseKind, databaseKinds, freshDatabase } from '../test/support/db.ts';

interface Row {
  store: string;
  what: string;
  requests: number;
  perSecond: number;
  p50ms: number;
  p99ms: number;
}

async function measure(run: () => Promise<unknown>, requests: number, concurrency: number) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        next += 1;
        const t = performance.now();
        await run();
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { perSecond: requests / seconds, p50ms: at(0.5), p99ms: at(0.99) };
}

/**
 * In-process API throughput (Fastify inject, so the network is not measured): the baseline is
 * /healthz, which touches no database; then reads of the partner-center dialect.
 */
export async function api() {
  const rows: Row[] = [];
  const loads: string[] = [];
  const kinds: DatabaseKind[] = process.env.DATABASE_URL ? databaseKinds : ['pglite'];
  for (const kind of kinds) {
    const handle = await freshDatabase(kind);
    const t = performance.now();
    await loadDemoData(handle.db, { password: 'demo-password', usageDays: 90 });
    loads.push(
      `${kind}: demo data with 90 days of usage loaded in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    const tokens = await loadTokenKeys(handle.db, {});
    const app = await buildApp({ db: handle.db, tokens, secureCookies: false }, { serveWeb: false });
    const login = await app.inject({
      method: 'POST',
      url: '/oauth2/token',
      payload: 'grant_type=password&username=admin@contoso-partner.example&password=demo-password',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const headers = { authorization: `Bearer ${login.json().access_token}` };
    const fabrikam = demoId('fabrikam');
    const cases: [string, () => Promise<unknown>][] = [
      ['GET /healthz (baseline)', () => app.inject({ method: 'GET', url: '/healthz' })],
      ['GET /v1/customers', () => app.inject({ method: 'GET', url: '/v1/customers', headers })],
      [
        'GET /v1/customers/{id}/orders',
        () => app.inject({ method: 'GET', url: `/v1/customers/${fabrikam}/orders`, headers }),
      ],
      ['GET /v1/auditrecords', () => app.inject({ method: 'GET', url: '/v1/auditrecords', headers })],
    ];
    for (const [what, run] of cases) {
      await measure(run, 100, 4);
      const r = await measure(run, 2000, 8);
      rows.push({ store: kind, what, requests: 2000, ...r });
    }
    await app.close();
    await handle.close();
  }
  console.log('\napi — in-process requests, concurrency 8\n');
  console.log('| store | request | requests | req/s | p50 ms | p99 ms |');
  console.log('|---|---|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(
      `| ${r.store} | ${r.what} | ${r.requests} | ${r.perSecond.toFixed(0)} | ${r.p50ms.toFixed(2)} | ${r.p99ms.toFixed(2)} |`,
    );
  }
  console.log(`\n${loads.join('\n')}\n`);
}
