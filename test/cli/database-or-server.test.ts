import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerStatus, UsageSubscriptions } from '../../src/api/cli/schemas.ts';
import { readConfig } from '../../src/cli/config.ts';
import { lockPathOf } from '../../src/cli/data-dir-lock.ts';
import { runAgainstDatabaseOrServer } from '../../src/cli/database-or-server.ts';
import { demoWorld, type TestWorld } from '../support/app.ts';

/**
 * The helper every command goes through, against an in-process server that a lock file names
 * (the child-process suite beside it does the same with real `mitra` processes).
 */
describe('runAgainstDatabaseOrServer', () => {
  let world: TestWorld;
  let dir: string;
  beforeAll(async () => {
    world = await demoWorld('pglite');
    await world.app.listen({ port: 0, host: '127.0.0.1' });
    dir = mkdtempSync(join(tmpdir(), 'mitra-helper-'));
    const { port } = world.app.server.address() as AddressInfo;
    writeFileSync(
      lockPathOf(dir),
      JSON.stringify({
        format: 1,
        holder: 'server',
        command: 'serve',
        pid: process.pid,
        hostname: hostname(),
        startedAt: new Date().toISOString(),
        instance: 'in-process',
        url: `http://127.0.0.1:${port}`,
        token: world.asOperator().authorization.split(' ')[1],
      }),
      { mode: 0o600 },
    );
  });
  afterAll(async () => {
    await world.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const config = () => readConfig({ MITRA_DATA_DIR: dir });
  const never = async () => {
    throw new Error('the database must not be opened beside its server');
  };

  it('goes through the server with a typed client when one holds the folder', async () => {
    const items = await runAgainstDatabaseOrServer(config(), 'usage generate', {
      direct: never,
      viaServer: async (server) => {
        expect(server.status).toMatchObject({ pid: process.pid });
        return (await server.get('/api/cli/usage/subscriptions', UsageSubscriptions)).items;
      },
    });
    expect(items.length).toBeGreaterThan(0);
  });

  it('a command without a server path refuses in one line instead of opening the folder', async () => {
    await expect(
      runAgainstDatabaseOrServer(config(), 'prices import', { direct: never }),
    ).rejects.toMatchObject({
      code: 'data-dir-in-use',
      message: expect.stringMatching(
        /^`mitra prices import` does not run beside the server yet: stop the server/,
      ),
    });
  });

  it('a server without the route says it runs older code, not a bare 404', async () => {
    await expect(
      runAgainstDatabaseOrServer(config(), 'rates import', {
        direct: never,
        viaServer: (server) => server.get('/api/cli/rates', ServerStatus),
      }),
    ).rejects.toMatchObject({ code: 'server-too-old', message: expect.stringMatching(/restart it/) });
  });

  it('errors come back as the server’s own code and sentence', async () => {
    await expect(
      runAgainstDatabaseOrServer(config(), 'benefits run', {
        direct: never,
        viaServer: (server) =>
          server.post('/api/cli/benefit-runs', { from: '2026-11-02', to: '2026-11-01' }, ServerStatus),
      }),
    ).rejects.toMatchObject({
      code: 'invalid-period',
      message: expect.stringMatching(/start before its end/),
    });
  });

  it('with DATABASE_URL the lock is no concern: the command goes to PostgreSQL', async () => {
    const postgres = readConfig({ MITRA_DATA_DIR: dir, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    const error = await runAgainstDatabaseOrServer(postgres, 'migrate', {
      direct: never,
      viaServer: never,
    }).catch((e: unknown) => e);
    // It tried PostgreSQL (nothing listens there) rather than the server or the folder.
    expect((error as Error).message).toMatch(/ECONNREFUSED 127\.0\.0\.1:1/);
  });
});
