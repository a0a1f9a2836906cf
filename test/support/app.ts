import { randomBytes } from 'node:crypto';
import { buildApp } from '../../src/api/app.ts';
import { loadDemoData } from '../../src/demo/load.ts';
import type { WebhookSettings } from '../../src/domain/webhooks.ts';
import { loadTokenKeys } from '../../src/services/tokens.ts';
import type { DatabaseHandle } from '../../src/store/db.ts';
import { type DatabaseKind, freshDatabase } from './db.ts';

export const demoPassword = 'demo-password';

export interface TestWorld {
  app: Awaited<ReturnType<typeof buildApp>>;
  handle: DatabaseHandle;
  close(): Promise<void>;
  /** A bearer token for a demo user (password grant). */
  token(email: string): Promise<string>;
  /** Request headers carrying that user's bearer token. */
  as(email: string): Promise<{ authorization: string }>;
  /** Request headers of the `mitra` command on this machine (the /api/cli/… routes). */
  asOperator(command?: string): Record<string, string>;
}

/** A migrated database with the demo data and an app on top, driven with `app.inject`. */
export async function demoWorld(
  kind: DatabaseKind,
  options: { tokenTtlSeconds?: number; usageDays?: number; webhooks?: WebhookSettings } = {},
): Promise<TestWorld> {
  const handle = await freshDatabase(kind);
  await loadDemoData(handle.db, { password: demoPassword, usageDays: options.usageDays ?? 0 });
  const tokens = await loadTokenKeys(handle.db, { ttlSeconds: options.tokenTtlSeconds ?? 3600 });
  // As a server on the embedded database has: the operator credential its lock file would hold.
  const operator = { token: randomBytes(32).toString('base64url') };
  const app = await buildApp(
    { db: handle.db, tokens, secureCookies: false, operator, webhooks: options.webhooks },
    { serveWeb: false, logger: process.env.TEST_LOG ? { level: 'error' } : false },
  );
  await app.ready();
  const cache = new Map<string, string>();
  const token = async (email: string) => {
    const cached = cache.get(email);
    if (cached) return cached;
    const res = await app.inject({
      method: 'POST',
      url: '/oauth2/token',
      payload: new URLSearchParams({
        grant_type: 'password',
        username: email,
        password: demoPassword,
      }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    if (res.statusCode !== 200) throw new Error(`token for ${email}: ${res.statusCode} ${res.body}`);
    const value = res.json().access_token as string;
    cache.set(email, value);
    return value;
  };
  return {
    app,
    handle,
    token,
    as: async (email) => ({ authorization: `Bearer ${await token(email)}` }),
    asOperator: (command = 'test') => ({
      authorization: `Mitra-Operator ${operator.token}`,
      'mitra-command': command,
    }),
    close: async () => {
      await app.close();
      await handle.close();
    },
  };
}

export const users = {
  admin: 'admin@contoso-partner.example',
  sales: 'sales@contoso-partner.example',
  helpdesk: 'helpdesk@contoso-partner.example',
  fabrikamOwner: 'owner@fabrikam.example',
  fabrikamReader: 'reader@fabrikam.example',
  tailspinOwner: 'owner@tailspin.example',
  northwindOwner: 'owner@northwind.example',
  litwareAdmin: 'admin@litware-partner.example',
  adatumOwner: 'owner@adatum.example',
} as const;
