import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { sql } from 'kysely';

const started = Date.now();
const requests = new Map<string, number>();
const durations = new Map<string, { sum: number; count: number }>();

/** Counts requests per route and status for /metrics (Prometheus text format). */
export const metricsPlugin = fp(async (app: FastifyInstance) => {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const key = `method="${request.method}",route="${route}",status="${reply.statusCode}"`;
    requests.set(key, (requests.get(key) ?? 0) + 1);
    const d = durations.get(route) ?? { sum: 0, count: 0 };
    d.sum += reply.elapsedTime / 1000;
    d.count += 1;
    durations.set(route, d);
  });
});

export async function opsRoutes(app: FastifyInstance) {
  const hide = { hide: true };
  app.get('/healthz', { config: { policy: 'public' }, schema: hide }, async () => ({ status: 'ok' }));

  app.get('/readyz', { config: { policy: 'public' }, schema: hide }, async (_request, reply) => {
    try {
      await sql`select 1`.execute(app.deps.db);
      return { status: 'ready' };
    } catch {
      return reply.status(503).send({ status: 'unavailable', reason: 'the database does not answer' });
    }
  });

  app.get('/metrics', { config: { policy: 'public' }, schema: hide }, async (_request, reply) => {
    const lines = [
      '# HELP mitra_http_requests_total HTTP requests answered, by route and status.',
      '# TYPE mitra_http_requests_total counter',
      ...[...requests].map(([labels, n]) => `mitra_http_requests_total{${labels}} ${n}`),
      '# HELP mitra_http_request_duration_seconds Time to answer, by route.',
      '# TYPE mitra_http_request_duration_seconds summary',
      ...[...durations].flatMap(([route, d]) => [
        `mitra_http_request_duration_seconds_sum{route="${route}"} ${d.sum}`,
        `mitra_http_request_duration_seconds_count{route="${route}"} ${d.count}`,
      ]),
      '# HELP process_resident_memory_bytes Resident memory.',
      '# TYPE process_resident_memory_bytes gauge',
      `process_resident_memory_bytes ${process.memoryUsage().rss}`,
      '# HELP process_uptime_seconds Seconds since start.',
      '# TYPE process_uptime_seconds gauge',
      `process_uptime_seconds ${(Date.now() - started) / 1000}`,
    ];
    return reply.type('text/plain; version=0.0.4').send(`${lines.join('\n')}\n`);
  });
}
