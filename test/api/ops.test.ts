import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoWorld, type TestWorld } from '../support/app.ts';

describe('operations endpoints', () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await demoWorld('pglite');
  });
  afterAll(() => world.close());

  it('answers health, readiness and Prometheus metrics', async () => {
    expect((await world.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await world.app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ status: 'ready' });
    await world.app.inject({ method: 'GET', url: '/v1/customers' });
    const metrics = await world.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.headers['content-type']).toMatch(/text\/plain/);
    expect(metrics.body).toMatch(
      /mitra_http_requests_total\{method="GET",route="\/v1\/customers",status="401"\} \d+/,
    );
    expect(metrics.body).toMatch(/process_resident_memory_bytes \d+/);
  });

  it('publishes an OpenAPI document generated from the route schemas, and a browsable reference', async () => {
    const doc = (await world.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/customers', '/v1/auditrecords', '/api/customers', '/oauth2/token']),
    );
    expect(doc.paths['/v1/customers'].post.requestBody).toBeDefined();
    const docs = await world.app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toMatch(/swagger/i);
  });

  it('echoes MS-CorrelationId and stores it with the activity record of the change', async () => {
    const correlationId = '6c0f5e0e-8a8f-4a55-9f3b-0d7c1c1f1a11';
    const token = await world.token('admin@contoso-partner.example');
    const res = await world.app.inject({
      method: 'POST',
      url: '/api/applications',
      headers: { authorization: `Bearer ${token}`, 'ms-correlationid': correlationId },
      payload: { displayName: 'Correlated' },
    });
    expect(res.headers['ms-correlationid']).toBe(correlationId);
    const row = await world.handle.db
      .selectFrom('audit_records')
      .select('correlation_id')
      .where('operation_type', '=', 'register_application')
      .executeTakeFirstOrThrow();
    expect(row.correlation_id).toBe(correlationId);
  });
});
