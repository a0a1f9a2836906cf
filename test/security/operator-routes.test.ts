import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.ts';
import { policies } from '../../src/domain/policies.ts';
import { demoWorld, type TestWorld, users } from '../support/app.ts';

/**
 * The `mitra` command's routes (/api/cli/…) answer only the operator credential, from this
 * machine, not through a proxy; that credential opens nothing else, and no user's token opens them.
 */
describe('operator routes', () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await demoWorld('pglite');
  });
  afterAll(() => world.close());

  const status = (headers: Record<string, string>, remoteAddress?: string) =>
    world.app.inject({ method: 'GET', url: '/api/cli/status', headers, remoteAddress });

  it('every /api/cli route declares the operator policy, and only those do', () => {
    const cli = world.app.routePolicies.filter((r) => r.url.startsWith('/api/cli/'));
    expect(cli.length).toBeGreaterThanOrEqual(5);
    expect(cli.filter((r) => r.policy !== 'localOperator')).toEqual([]);
    const elsewhere = world.app.routePolicies.filter(
      (r) => !r.url.startsWith('/api/cli/') && policies[r.policy!]?.operator,
    );
    expect(elsewhere).toEqual([]);
  });

  it('answers the operator credential from this machine', async () => {
    const res = await status(world.asOperator());
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ pid: process.pid, migrations: expect.arrayContaining([]) });
  });

  it('refuses no credential, a wrong one, and a signed-in user with 401', async () => {
    for (const headers of [
      {},
      { authorization: 'Mitra-Operator wrong' },
      { authorization: `Bearer ${world.asOperator().authorization.split(' ')[1]}` },
      await world.as(users.admin),
    ]) {
      const res = await status(headers);
      expect(res.statusCode, JSON.stringify(headers)).toBe(401);
      expect(res.json().error.code).toBe('operator-credential-required');
    }
  });

  it('refuses the right credential from another machine or through a proxy', async () => {
    expect((await status(world.asOperator(), '203.0.113.7')).statusCode).toBe(403);
    for (const header of ['x-forwarded-for', 'forwarded', 'x-real-ip']) {
      const res = await status({ ...world.asOperator(), [header]: '203.0.113.7' });
      expect(res.statusCode, header).toBe(403);
      expect(res.json().error.code).toBe('operator-local-only');
    }
  });

  it('the operator credential opens no other route', async () => {
    for (const url of ['/api/customers', '/v1/customers', '/api/me']) {
      const res = await world.app.inject({ method: 'GET', url, headers: world.asOperator() });
      expect(res.statusCode, url).toBe(401);
    }
  });

  it('a server without an operator credential (PostgreSQL) refuses every caller and says why', async () => {
    const app = await buildApp(
      { db: world.handle.db, tokens: world.app.deps.tokens, secureCookies: false },
      { serveWeb: false },
    );
    const res = await app.inject({ method: 'GET', url: '/api/cli/status', headers: world.asOperator() });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.message).toMatch(/DATABASE_URL/);
    await app.close();
  });
});
