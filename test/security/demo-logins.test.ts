import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoLogins } from '../../src/demo/load.ts';
import { demoWorld, type TestWorld } from '../support/app.ts';

describe('demo logins', () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await demoWorld('pglite');
  });
  afterAll(() => world.close());

  it.each(demoLogins.map((l) => [l.email, l.tenant]))(
    '%s signs in to the portal and lands in %s',
    async (email, tenant) => {
      const login = await world.app.inject({
        method: 'POST',
        url: '/api/session',
        payload: { email, password: 'demo-password' },
      });
      expect(login.statusCode, login.body).toBe(200);
      expect(login.json().tenant.name).toBe(tenant);
      const cookie = String(login.headers['set-cookie']).split(';')[0];
      const me = await world.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });
      expect(me.json()).toMatchObject({ email, tenant: { name: tenant } });
    },
  );
});
