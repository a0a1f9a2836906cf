import type { AddressInfo } from 'node:net';
import { buildApp } from '../../src/api/app.ts';
import { loadDemoCommitments, loadDemoData } from '../../src/demo/load.ts';
import { inlineApply } from '../../src/jobs/engine-pool.ts';
import { loadTokenKeys } from '../../src/services/tokens.ts';
import { freshDatabase } from './db.ts';

/**
 * A real listening server on an ephemeral port (for browser tests and official SDK clients).
 * `commitments: true` also loads the demo's partner-bought reservation and savings plan for
 * Fabrikam, with benefits applied to the demo's days of usage (so utilisation has data).
 */
export async function startTestServer(
  options: { demo?: boolean; commitments?: boolean } = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const handle = await freshDatabase('pglite');
  const demo = options.demo ?? true;
  if (demo) await loadDemoData(handle.db, { password: 'demo-password', usageDays: 7 });
  if (demo && options.commitments) await loadDemoCommitments(handle.db, inlineApply(), { usageDays: 7 });
  const tokens = await loadTokenKeys(handle.db, {});
  const app = await buildApp({ db: handle.db, tokens, secureCookies: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await app.close();
      await handle.close();
    },
  };
}
