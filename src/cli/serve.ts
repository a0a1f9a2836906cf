import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../api/app.ts';
import { closeDemoMonths, demoLogins, isEmpty, loadDemoCommitments, loadDemoData } from '../demo/load.ts';
import { startAlertScheduler } from '../jobs/alerts.ts';
import { type BenefitWorker, startBenefitWorker } from '../jobs/benefit-worker.ts';
import { startEmailDelivery } from '../jobs/email-delivery.ts';
import { inlineApply } from '../jobs/engine-pool.ts';
import { startGuardrailAlerts } from '../jobs/guardrail-alerts.ts';
import { startMonthCloser } from '../jobs/month-close.ts';
import { startWebhookWorker, type WebhookWorker } from '../jobs/webhook-delivery.ts';
import { loadTokenKeys } from '../services/tokens.ts';
import { type DatabaseHandle, openDatabase } from '../store/db.ts';
import { migrateToLatest } from '../store/migrate.ts';
import type { Config } from './config.ts';
import { alreadyRuns, claimDataDir, type DataDirLock, dataDirInUse } from './data-dir-lock.ts';
import { runningServer } from './database-or-server.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The portal is built on first start, so `npm ci && npm start` is all a newcomer runs. */
async function ensureWebBuilt() {
  if (existsSync(join(root, 'web', 'dist', 'index.html'))) return;
  console.log('Building the portal (first start only)…');
  const { build } = await import('vite');
  try {
    await build({ configFile: join(root, 'web', 'vite.config.ts'), logLevel: 'warn' });
  } catch (error) {
    // The APIs are still worth serving; the message says how to retry the portal build.
    console.error(
      `The portal could not be built (${error instanceof Error ? error.message : error}); run \`npm run build:web\` to see why. The APIs still run.`,
    );
  }
}

/** Where the `mitra` command on this machine reaches the server: loopback unless bound elsewhere. */
function localUrl(address: AddressInfo): string {
  const host = address.address;
  if (host === '0.0.0.0' || host === '::' || host.startsWith('127.'))
    return `http://127.0.0.1:${address.port}`;
  return address.family === 'IPv6' ? `http://[${host}]:${address.port}` : `http://${host}:${address.port}`;
}

function printWelcome(config: Config, port: number, loaded: boolean) {
  const url = `http://localhost:${port}`;
  const lines = [
    '',
    `  Mitra is running: ${url}`,
    `  API reference:   ${url}/docs`,
    `  Database:        ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded, in ${config.dataDir}`}`,
    loaded ? '  Demo data loaded (first start).' : '',
    '',
    `  Demo logins (password: ${process.env.MITRA_DEMO_PASSWORD ? '$MITRA_DEMO_PASSWORD' : config.demoPassword}):`,
    ...demoLogins.map((l) => `    ${l.email.padEnd(36)} ${String(l.role).padEnd(15)} ${l.tenant}`),
    '',
  ];
  console.log(lines.filter((l, i) => l !== '' || i === 0 || lines[i - 1] !== '').join('\n'));
}

/**
 * `mitra serve`. On the embedded database the server first claims the data folder (a second
 * server, or a command at work, makes it refuse in one line), makes the operator credential the
 * `mitra` command uses to reach it, and drains queued benefit runs itself.
 */
export async function serve(config: Config): Promise<void> {
  const token = randomBytes(32).toString('base64url');
  // Asking the holder first: a lock naming a server that no longer answers (a pid reused after a
  // crash) gets the "does not answer, or delete the lock" line rather than "already runs".
  const running = config.databaseUrl ? undefined : await runningServer(config.dataDir, 'serve');
  if (running) throw dataDirInUse(alreadyRuns(config.dataDir, running.pid, running.server.url));
  const lock: DataDirLock | undefined = config.databaseUrl
    ? undefined
    : claimDataDir(config.dataDir, { holder: 'server', command: 'serve', token });
  let handle: DatabaseHandle | undefined;
  let worker: BenefitWorker | undefined;
  let close: (() => Promise<void>) | undefined;
  let stopClosing: (() => void) | undefined;
  let stopGuardrailAlerts: (() => void) | undefined;
  let stopEmail: (() => Promise<void>) | undefined;
  let stopAlerts: (() => Promise<void>) | undefined;
  let webhooks: WebhookWorker | undefined;
  // Database first, lock last: the folder is free only once the database is closed.
  const stop = async () => {
    stopClosing?.();
    stopGuardrailAlerts?.();
    await stopEmail?.();
    await stopAlerts?.();
    await webhooks?.stop();
    await worker?.stop();
    await close?.();
    await handle?.close();
    lock?.release();
  };
  try {
    await ensureWebBuilt();
    handle = await openDatabase({ url: config.databaseUrl, dataDir: lock ? config.dataDir : undefined });
    await migrateToLatest(handle.db);
    let loaded = false;
    if (await isEmpty(handle.db)) {
      console.log('Empty database: loading the demo data…');
      await loadDemoData(handle.db, { password: config.demoPassword });
      await loadDemoCommitments(handle.db, inlineApply());
      await closeDemoMonths(handle.db);
      loaded = true;
    }
    const tokens = await loadTokenKeys(handle.db, {
      secret: config.tokenSecret,
      ttlSeconds: config.tokenTtlSeconds,
    });
    const app = await buildApp(
      {
        db: handle.db,
        tokens,
        secureCookies: config.secureCookies,
        monthCloseDays: config.monthCloseDays,
        webhooks: config.webhooks,
        operator: lock ? { token } : undefined,
        benefitWorker: lock ? { threads: config.workerThreads } : undefined,
      },
      { logger: { level: config.logLevel } },
    );
    close = () => app.close();
    if (lock) worker = startBenefitWorker(handle.db, config.workerThreads, app.log);
    await app.listen({ port: config.port, host: config.host });
    // Stopped by `stop` (a hook cannot be added once the app listens).
    stopClosing = startMonthCloser(handle.db, {
      closeAfterDays: config.monthCloseDays,
      log: (line) => app.log.info(line),
    });
    stopGuardrailAlerts = startGuardrailAlerts(handle.db, { log: (line) => app.log.info(line) });
    // E-mail notifications (B1): queued by emitEvent, sent here; off (and said so) without MITRA_SMTP_URL.
    stopEmail = startEmailDelivery(handle.db, config.email, {
      log: (line) => app.log.info(line),
      warn: (line) => app.log.warn(line),
    });
    // Alerts (B11): expiring and under-used commitments, checked every MITRA_ALERTS_EVERY_MINUTES.
    stopAlerts = startAlertScheduler(handle.db, {
      everyMs: config.alertsEveryMs,
      log: (line) => app.log.info(line),
    });
    // Every server sends due webhook deliveries (leases keep two nodes from sending one twice).
    webhooks = startWebhookWorker(handle.db, config.webhooks, (line) => app.log.warn(line));
    const address = app.server.address() as AddressInfo;
    lock?.update({ url: localUrl(address) });
    const shutdown = async () => {
      await stop();
      process.exit(0);
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
    printWelcome(config, address.port, loaded);
  } catch (error) {
    await stop();
    throw error;
  }
}
