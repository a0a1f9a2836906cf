import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { defaultRetrySchedule, parseRetrySchedule, type WebhookSettings } from '../domain/webhooks.ts';
import { type EmailSettings, readEmailSettings } from '../jobs/email-delivery.ts';

/** Settings from the environment; every one has a default that works on a fresh machine. */
export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  demoPassword: string;
  tokenSecret: string | undefined;
  tokenTtlSeconds: number;
  logLevel: string;
  secureCookies: boolean;
  /** Days after a month ends before it closes by itself and its invoices are issued. */
  monthCloseDays: number;
  /** Engine threads of the embedded server's own benefit worker. */
  workerThreads: number;
  /** E-mail notifications (B1): MITRA_SMTP_URL, MITRA_SMTP_FROM, MITRA_PUBLIC_URL for links. */
  email: EmailSettings;
  /** How often the alert checks run (B11), MITRA_ALERTS_EVERY_MINUTES; 0 turns the schedule off. */
  alertsEveryMs: number;
  /** Webhook rules and timings (B1): MITRA_WEBHOOK_* (docs/notifications.md). */
  webhooks: WebhookSettings;
}

/** The webhook settings from the environment; the defaults are the safe ones. */
export function readWebhookSettings(env: NodeJS.ProcessEnv = process.env): WebhookSettings {
  const timeoutMs = Number(env.MITRA_WEBHOOK_TIMEOUT_MS) || 10_000;
  return {
    allowHttp: env.MITRA_WEBHOOK_ALLOW_HTTP === 'true',
    allowPrivate: env.MITRA_WEBHOOK_ALLOW_PRIVATE === 'true',
    timeoutMs,
    retrySchedule: parseRetrySchedule(env.MITRA_WEBHOOK_RETRY_SCHEDULE || defaultRetrySchedule),
    // Longer than an attempt can take, so a live worker's claim is never taken from it.
    leaseMs: Math.max(Number(env.MITRA_WEBHOOK_LEASE_MS) || timeoutMs + 30_000, timeoutMs + 1_000),
    pollMs: Number(env.MITRA_WEBHOOK_POLL_MS) || 1_000,
  };
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 4280);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.MITRA_DATA_DIR ?? '.mitra'),
    demoPassword: env.MITRA_DEMO_PASSWORD ?? 'demo-password',
    tokenSecret: env.MITRA_TOKEN_SECRET || undefined,
    tokenTtlSeconds: Number(env.MITRA_TOKEN_TTL_SECONDS ?? 3600),
    logLevel: env.LOG_LEVEL ?? 'info',
    secureCookies: env.MITRA_SECURE_COOKIES === 'true',
    monthCloseDays: Number(env.MITRA_MONTH_CLOSE_DAYS ?? 1),
    // Half the cores: the server keeps answering while benefits are applied in the background.
    workerThreads: Math.max(1, Number(env.MITRA_WORKER_THREADS) || Math.floor(availableParallelism() / 2)),
    email: readEmailSettings(env, port),
    alertsEveryMs: Math.max(0, Number(env.MITRA_ALERTS_EVERY_MINUTES ?? 60)) * 60_000,
    webhooks: readWebhookSettings(env),
  };
}
