import type { AddressInfo } from 'node:net';
import { buildApp } from '../../src/api/app.ts';
import { closeDemoMonths, demoId, loadDemoCommitments, loadDemoData } from '../../src/demo/load.ts';
import type { WebhookSettings } from '../../src/domain/webhooks.ts';
import { inlineApply } from '../../src/jobs/engine-pool.ts';
import { closeDueMonths } from '../../src/jobs/month-close.ts';
import { loadTokenKeys } from '../../src/services/tokens.ts';
import type { Db } from '../../src/store/db.ts';
import { freshDatabase } from './db.ts';

/**
 * A real listening server on an ephemeral port (for browser tests and official SDK clients).
 * `commitments: true` also loads the demo's partner-bought reservation and savings plan for
 * Fabrikam, with benefits applied to the demo's days of usage (so utilisation has data).
 * `usageDays` is how many days of usage the demo gets (7 by default: quick to load); more than
 * the days of this month gives last month usage too. `closeMonths: true` closes every month
 * before this one, as a fresh install does, so the demo has issued invoices; `{ partners: ['contoso'] }`
 * closes only those demo partners' months and leaves the others open (to close one from the portal).
 */
export async function startTestServer(
  options: {
    demo?: boolean;
    commitments?: boolean;
    usageDays?: number;
    closeMonths?: boolean | { partners: string[] };
    /** Webhook rules (B1); the strict defaults when not given. */
    webhooks?: WebhookSettings;
  } = {},
): Promise<{ url: string; db: Db; close(): Promise<void> }> {
  const handle = await freshDatabase('pglite');
  const demo = options.demo ?? true;
  const usageDays = options.usageDays ?? 7;
  if (demo) await loadDemoData(handle.db, { password: 'demo-password', usageDays });
  if (demo && options.commitments) await loadDemoCommitments(handle.db, inlineApply(), { usageDays });
  const close = options.closeMonths;
  if (demo && close === true) await closeDemoMonths(handle.db);
  else if (demo && typeof close === 'object')
    await closeDueMonths(handle.db, { closeAfterDays: 0, partnerIds: close.partners.map(demoId) });
  const tokens = await loadTokenKeys(handle.db, {});
  const app = await buildApp({ db: handle.db, tokens, secureCookies: false, webhooks: options.webhooks });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    db: handle.db,
    close: async () => {
      await app.close();
      await handle.close();
    },
  };
}
