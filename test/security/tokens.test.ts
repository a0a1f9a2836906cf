import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoWorld, type TestWorld, users } from '../support/app.ts';
import { databaseKinds } from '../support/db.ts';

const form = (fields: Record<string, string>) => ({
  payload: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
});

describe.each(databaseKinds)('tokens on %s', (kind) => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await demoWorld(kind);
  });
  afterAll(() => world.close());

  it('issues a signed bearer token for a user, carrying tenant, user and roles', async () => {
    const res = await world.app.inject({
      method: 'POST',
      url: '/oauth2/token',
      ...form({ grant_type: 'password', username: users.admin, password: 'demo-password' }),
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const claims = JSON.parse(Buffer.from(body.access_token.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({
      kind: 'partner_user',
      roles: ['admin_agent'],
      upn: users.admin,
      iss: 'mitra',
      aud: 'mitra-api',
    });
    expect(claims.tid).toMatch(/^[0-9a-f-]{36}$/);
    expect(claims.exp - claims.iat).toBe(3600);
    const me = await world.app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { authorization: `Bearer ${body.access_token}` },
    });
    expect(me.json()).toMatchObject({
      email: users.admin,
      kind: 'partner',
      tenant: { name: 'Contoso Cloud Partner' },
    });
  });

  it('answers wrong credentials with 400 and one OAuth error that does not say which half was wrong', async () => {
    const wrongPassword = await world.app.inject({
      method: 'POST',
      url: '/oauth2/token',
      ...form({ grant_type: 'password', username: users.admin, password: 'nope' }),
    });
    const wrongUser = await world.app.inject({
      method: 'POST',
      url: '/oauth2/token',
      ...form({ grant_type: 'password', username: 'nobody@example.com', password: 'demo-password' }),
    });
    for (const res of [wrongPassword, wrongUser]) {
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: 'invalid_grant' });
    }
    expect(wrongPassword.json().error_description).toBe(wrongUser.json().error_description);
    const badGrant = await world.app.inject({
      method: 'POST',
      url: '/oauth2/token',
      ...form({ grant_type: 'implicit' }),
    });
    expect(badGrant.statusCode).toBe(400);
    expect(badGrant.json().error).toBe('unsupported_grant_type');
  });

  it('issues client-credentials tokens to an application an Admin agent registered, and only to it', async () => {
    const reg = await world.app.inject({
      method: 'POST',
      url: '/api/applications',
      headers: await world.as(users.admin),
      payload: { displayName: 'Billing sync' },
    });
    expect(reg.statusCode).toBe(201);
    const { clientId, clientSecret } = reg.json();
    const ok = await world.app.inject({
      method: 'POST',
      url: '/oauth2/token',
      ...form({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
    });
    expect(ok.statusCode).toBe(200);
    const appToken = ok.json().access_token;
    const list = await world.app.inject({
      method: 'GET',
      url: '/v1/customers',
      headers: { authorization: `Bearer ${appToken}` },
    });
    expect(list.statusCode).toBe(200);
    expect(
      list.json().items.map((c: { companyProfile: { companyName: string } }) => c.companyProfile.companyName),
    ).not.toContain('Adatum');
    const bad = await world.app.inject({
      method: 'POST',
      url: '/oauth2/token',
      ...form({ grant_type: 'client_credentials', client_id: clientId, client_secret: 'wrong' }),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toBe('invalid_client');
    // Registering applications is the Admin agent's own act: not a Sales agent's, not an app's.
    const bySales = await world.app.inject({
      method: 'POST',
      url: '/api/applications',
      headers: await world.as(users.sales),
      payload: { displayName: 'x' },
    });
    expect(bySales.statusCode).toBe(403);
    expect(bySales.json().error.code).toBe('admin-agent-required');
    const byApp = await world.app.inject({
      method: 'POST',
      url: '/api/applications',
      headers: { authorization: `Bearer ${appToken}` },
      payload: { displayName: 'x' },
    });
    expect(byApp.statusCode).toBe(403);
    expect(byApp.json().error.code).toBe('app-user-required');
  });

  it('refuses an expired token with a code that says so', async () => {
    const secret = world.app.deps.tokens.secret;
    const expired = await new SignJWT({ kind: 'partner_user', tid: 'x', pid: 'x', roles: ['admin_agent'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setIssuer('mitra')
      .setAudience('mitra-api')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(secret);
    const res = await world.app.inject({
      method: 'GET',
      url: '/v1/customers',
      headers: { authorization: `Bearer ${expired}` },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 401, errorName: 'token-expired' });
  });

  it('refuses a token signed with another key', async () => {
    const forged = await new SignJWT({ kind: 'partner_user', tid: 'x', pid: 'x', roles: ['admin_agent'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setIssuer('mitra')
      .setAudience('mitra-api')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('not-the-server-key-not-the-server-key'));
    const res = await world.app.inject({
      method: 'GET',
      url: '/v1/customers',
      headers: { authorization: `Bearer ${forged}` },
    });
    expect(res.statusCode).toBe(401);
  });

  it('portal sessions: httpOnly SameSite cookie, logout revokes it', async () => {
    const login = await world.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { email: users.fabrikamOwner, password: 'demo-password' },
    });
    expect(login.statusCode).toBe(200);
    const setCookie = String(login.headers['set-cookie']);
    expect(setCookie).toMatch(/mitra_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const cookie = setCookie.split(';')[0];
    const me = await world.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });
    expect(me.json()).toMatchObject({ kind: 'customer', tenant: { name: 'Fabrikam' } });
    const out = await world.app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie } });
    expect(out.statusCode).toBe(204);
    const after = await world.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });
    expect(after.statusCode).toBe(401);
    const wrong = await world.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { email: users.fabrikamOwner, password: 'x' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('invalid-credentials');
  });
});
