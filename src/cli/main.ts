import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../api/app.ts';
import {
  closeDemoMonths,
  demoLogins,
  isEmpty,
  loadDemoCommitments,
  loadDemoData,
  resetData,
} from '../demo/load.ts';
import { runBenefitsApplyCli } from '../engine/cli.ts';
import { enginePool, inlineApply } from '../jobs/engine-pool.ts';
import { startMonthCloser } from '../jobs/month-close.ts';
import { loadTokenKeys } from '../services/tokens.ts';
import { openDatabase } from '../store/db.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { benefitCommand, usageCommand, workerCommand } from './benefits.ts';
import { type Config, readConfig } from './config.ts';
import { invoicesCommand, ratesCommand } from './invoices.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const usage = `mitra — partner center for cloud resellers

  mitra serve                      start the server (PORT, DATABASE_URL, MITRA_DATA_DIR)
  mitra demo --reset               erase all data and load the demo data again
  mitra migrate                    apply database migrations and exit
  mitra benefits apply [FILE]      apply commitments to usage: JSON in, JSON out (see docs/engine.md)
  mitra benefits run --from D --to D [--customer ID] [--threads N]
                                   apply every customer's commitments to its stored usage for [from, to)
  mitra worker [--threads N]       drain queued benefit runs until stopped (run several, on several machines)
  mitra usage import FILE.csv      import hourly usage (columns: docs/usage-csv.md), all or nothing
  mitra usage generate [--days N] [--seed N] [--out FILE.csv]
                                   synthetic hourly usage for the database's Azure subscriptions, as CSV
  mitra invoices issue --month YYYY-MM [--partner ID]
                                   close a month and issue its invoices (months close by themselves
                                   MITRA_MONTH_CLOSE_DAYS days after they end, default 1)
  mitra rates import FILE.csv      import exchange rates (date,base,quote,rate; docs/rates-csv.md)
`;

async function open(config: Config) {
  const handle = await openDatabase({
    url: config.databaseUrl,
    dataDir: config.databaseUrl ? undefined : config.dataDir,
  });
  await migrateToLatest(handle.db);
  return handle;
}

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

function printWelcome(config: Config, loaded: boolean) {
  const url = `http://localhost:${config.port}`;
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

async function serve(config: Config) {
  await ensureWebBuilt();
  const handle = await open(config);
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
    { db: handle.db, tokens, secureCookies: config.secureCookies, monthCloseDays: config.monthCloseDays },
    { logger: { level: config.logLevel } },
  );
  const shutdown = async () => {
    await app.close();
    await handle.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  await app.listen({ port: config.port, host: config.host });
  const stopClosing = startMonthCloser(handle.db, {
    closeAfterDays: config.monthCloseDays,
    log: (line) => app.log.info(line),
  });
  app.addHook('onClose', async () => stopClosing());
  printWelcome(config, loaded);
}

async function withDb(
  config: Config,
  work: (db: Awaited<ReturnType<typeof open>>['db']) => Promise<number>,
): Promise<number> {
  const handle = await open(config);
  try {
    return await work(handle.db);
  } finally {
    await handle.close();
  }
}

async function demo(config: Config, args: string[]) {
  const handle = await open(config);
  try {
    if (args.includes('--reset')) {
      await resetData(handle.db);
    } else if (!(await isEmpty(handle.db))) {
      console.error(
        'The database already holds data; run `mitra demo --reset` to erase it and load the demo data.',
      );
      process.exitCode = 2;
      return;
    }
    await loadDemoData(handle.db, { password: config.demoPassword });
    await loadDemoCommitments(handle.db, inlineApply());
    await closeDemoMonths(handle.db);
    console.log('Demo data loaded.');
  } finally {
    await handle.close();
  }
}

const [command = 'serve', ...args] = process.argv.slice(2);
const config = readConfig();
try {
  if (command === 'serve') await serve(config);
  else if (command === 'demo') await demo(config, args);
  else if (command === 'migrate') await (await open(config)).close();
  else if (command === 'benefits' && args[0] === 'apply')
    process.exitCode = await runBenefitsApplyCli(args.slice(1), process);
  else if (command === 'benefits')
    process.exitCode = await withDb(config, (db) => benefitCommand(db, args, enginePool));
  else if (command === 'worker')
    process.exitCode = await withDb(config, (db) => workerCommand(db, args, enginePool));
  else if (command === 'usage') process.exitCode = await withDb(config, (db) => usageCommand(db, args));
  else if (command === 'invoices') process.exitCode = await withDb(config, (db) => invoicesCommand(db, args));
  else if (command === 'rates') process.exitCode = await withDb(config, (db) => ratesCommand(db, args));
  else {
    console.log(usage);
    process.exitCode = command === 'help' || command === '--help' ? 0 : 2;
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
