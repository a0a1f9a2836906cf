import { performance } from 'node:perf_hooks';
import { buildApp } from '../src/api/app.ts';
import { demoId, loadDemoData } from '../src/demo/load.ts';
import { loadTokenKeys } from '../src/services/tokens.ts';
import { type DatabaseKind, databaseKinds, freshDatabase } from '../test/support/db.ts';
import { addManyCustomers } from '../test/support/many-customers.ts';

const customers = Number(process.env.BENCH_CUSTOMERS ?? 5000);

/**
 * Bulk permission changes (B5): one streamed bulk request for N customers, against the baseline
 * of N single PUT requests doing the same work, on each store.
 */
export async function permissions() {
  const rows: string[] = [];
  const kinds: DatabaseKind[] = process.env.DATABASE_URL ? databaseKinds : ['pglite'];
  for (const kind of kinds) {
    const handle = await freshDatabase(kind);
    await loadDemoData(handle.db, { password: 'demo-password', usageDays: 0 });
    const ids = await addManyCustomers(handle.db, demoId('contoso'), customers);
    const tokens = await loadTokenKeys(handle.db, {});
    const app = await buildApp({ db: handle.db, tokens, secureCookies: false }, { serveWeb: false });
    const login = await app.inject({
      method: 'POST',
      url: '/oauth2/token',
      payload: 'grant_type=password&username=admin@contoso-partner.example&password=demo-password',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const headers = { authorization: `Bearer ${login.json().access_token}` };

    let t = performance.now();
    for (const id of ids) {
      await app.inject({
        method: 'PUT',
        url: `/api/customers/${id}/permissions/AzureSavingsPlan`,
        headers,
        payload: { allowed: true },
      });
    }
    const single = (performance.now() - t) / 1000;

    t = performance.now();
    const res = await app.inject({
      method: 'POST',
      url: '/api/permissions/bulk',
      headers: { ...headers, accept: 'application/x-ndjson' },
      payload: {
        items: ids.map((customerId) => ({ customerId, resource: 'AzureReservedInstances', allowed: true })),
      },
    });
    const bulk = (performance.now() - t) / 1000;
    const summary = JSON.parse(res.body.trim().split('\n').at(-1)!);
    rows.push(
      `| ${kind} | ${customers} single PUTs (baseline) | ${single.toFixed(1)} | ${(customers / single).toFixed(0)} | |`,
    );
    rows.push(
      `| ${kind} | one bulk request, ${customers} customers | ${bulk.toFixed(1)} | ${(customers / bulk).toFixed(0)} | ${summary.done} done, ${summary.refused} refused |`,
    );
    await app.close();
    await handle.close();
  }
  console.log(
    `\npermissions — allow one resource for ${customers} customers (10% have no Azure plan and are refused)\n`,
  );
  console.log('| store | how | seconds | customers/s | result |');
  console.log('|---|---|---:|---:|---|');
  for (const r of rows) console.log(r);
  console.log('');
}
