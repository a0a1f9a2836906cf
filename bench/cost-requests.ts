import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { buildApp } from '../src/api/app.ts';
import { hashPassword } from '../src/services/passwords.ts';
import { loadTokenKeys } from '../src/services/tokens.ts';
import type { Db } from '../src/store/db.ts';

/**
 * A customer's cost views as its Owner asks for them: `GET /api/my/costs` over HTTP on a listening
 * server (login, routing, validation, the service, JSON out, the socket), request to response.
 * Each customer gets an Owner on its Azure subscriptions and cost management on (R17), as the
 * partner's Admin would have switched it. Baseline in the same run: `GET /healthz`, which touches
 * no database, on the same server.
 */
export const costViews = {
  'by day (the chart)': 'groupBy=day',
  'by meter': 'groupBy=meter',
  'by resource group': 'groupBy=resourceGroup',
  'by resource': 'groupBy=resource',
} as const;

export interface Timing {
  name: string;
  requests: number;
  lines: number;
  p50: number;
  p95: number;
}

export async function timeCostRequests(
  db: Db,
  customers: { customerId: string; partnerId: string }[],
  options: { rounds: number; preset?: string },
): Promise<Timing[]> {
  const password = 'bench-password';
  const passwordHash = await hashPassword(password);
  const owners: string[] = [];
  for (const { customerId, partnerId } of customers) {
    const email = `owner-${customerId.slice(0, 8)}@bench.example`;
    const userId = randomUUID();
    await db
      .insertInto('customer_users')
      .values({
        id: userId,
        customer_id: customerId,
        email,
        display_name: 'Bench Owner',
        password_hash: passwordHash,
      })
      .execute();
    const subscriptions = await db
      .selectFrom('subscriptions')
      .select('id')
      .where('customer_id', '=', customerId)
      .where('product_type', 'in', ['azure_plan', 'azure_global'])
      .execute();
    await db
      .insertInto('role_assignments')
      .values(
        subscriptions.map((s) => ({
          id: randomUUID(),
          subscription_id: s.id,
          customer_user_id: userId,
          role: 'Owner' as const,
        })),
      )
      .execute();
    await db
      .insertInto('cost_management_settings')
      .values({
        customer_id: customerId,
        partner_id: partnerId,
        enabled: true,
        changed_at: new Date(),
        changed_by: 'bench',
      })
      .onConflict((oc) => oc.column('customer_id').doUpdateSet({ enabled: true }))
      .execute();
    owners.push(email);
  }

  const tokens = await loadTokenKeys(db, {});
  const app = await buildApp({ db, tokens, secureCookies: false }, { serveWeb: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  try {
    const bearer: string[] = [];
    for (const email of owners) {
      const res = await fetch(`${base}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'password', username: email, password }),
      });
      if (!res.ok) throw new Error(`login of ${email}: ${res.status} ${await res.text()}`);
      bearer.push(`Bearer ${((await res.json()) as { access_token: string }).access_token}`);
    }
    const preset = options.preset ?? 'last90Days';
    const time = async (name: string, path: (i: number) => string, authorised: boolean) => {
      const ms: number[] = [];
      let lines = 0;
      // Three warm-up requests per customer are not counted (JIT, plan caches, the first login).
      for (let i = -3 * owners.length; i < options.rounds * owners.length; i++) {
        const who = ((i % owners.length) + owners.length) % owners.length;
        const start = performance.now();
        const res = await fetch(`${base}${path(who)}`, {
          headers: authorised ? { authorization: bearer[who] } : {},
        });
        const body = (await res.json()) as { rows?: unknown[] };
        const took = performance.now() - start;
        if (!res.ok) throw new Error(`${name}: ${res.status} ${JSON.stringify(body)}`);
        if (i >= 0) ms.push(took);
        lines = Math.max(lines, body.rows?.length ?? 0);
      }
      return { name, requests: ms.length, lines, p50: percentile(ms, 50), p95: percentile(ms, 95) };
    };
    const timings = [await time('baseline: GET /healthz', () => '/healthz', false)];
    for (const [name, query] of Object.entries(costViews))
      timings.push(
        await time(`GET /api/my/costs, ${name}`, () => `/api/my/costs?preset=${preset}&${query}`, true),
      );
    return timings;
  } finally {
    await app.close();
  }
}

export const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

export function printTimings(title: string, timings: Timing[]) {
  console.log(`| ${title} | requests | lines | p50 ms | p95 ms |`);
  console.log('|---|---:|---:|---:|---:|');
  for (const t of timings)
    console.log(`| ${t.name} | ${t.requests} | ${t.lines} | ${t.p50.toFixed(1)} | ${t.p95.toFixed(1)} |`);
}
