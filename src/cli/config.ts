import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
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
  };
}
