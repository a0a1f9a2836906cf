import { closeDemoMonths, isEmpty, loadDemoCommitments, loadDemoData, resetData } from '../demo/load.ts';
import { runBenefitsApplyCli } from '../engine/cli.ts';
import { inlineApply } from '../jobs/engine-pool.ts';
import type { Db } from '../store/db.ts';
import { migrationNames } from '../store/migrate.ts';
import { alertsCommand } from './alerts.ts';
import { benefitCommand, usageImportCommand, workerCommand } from './benefits.ts';
import { type Config, readConfig } from './config.ts';
import { runAgainstDatabaseOrServer } from './database-or-server.ts';
import { exportCommand } from './export.ts';
import { invoicesCommand, ratesCommand } from './invoices.ts';
import { pricesCommand } from './prices.ts';
import { serve } from './serve.ts';
import { usageGenerate } from './usage-generate.ts';

const usage = `mitra — partner center for cloud resellers

  mitra serve                      start the server (PORT, DATABASE_URL, MITRA_DATA_DIR)
  mitra demo --reset               erase all data and load the demo data again
  mitra migrate                    apply database migrations and exit
  mitra benefits apply [FILE]      apply commitments to usage: JSON in, JSON out (see docs/engine.md)
  mitra benefits run --from D --to D [--customer ID] [--threads N]
                                   apply every customer's commitments to its stored usage for [from, to)
  mitra alerts run                 raise due alerts now (expiring, under-used commitments); the server does it hourly
  mitra worker [--threads N]       drain queued benefit runs until stopped (run several, on several machines)
  mitra usage import [--format csv|focus] FILE
                                   import usage, all or nothing: Mitra's hourly CSV (docs/usage-csv.md)
                                   or the cloud's FOCUS cost export, CSV/gzip/Parquet (docs/usage-focus.md);
                                   without --format, the file tells
  mitra usage generate [--days N] [--seed N] [--out FILE.csv]
                                   synthetic hourly usage for the database's Azure subscriptions, as CSV
  mitra invoices issue --month YYYY-MM [--partner ID]
                                   close a month and issue its invoices (months close by themselves
                                   MITRA_MONTH_CLOSE_DAYS days after they end, default 1)
  mitra rates import FILE.csv      import exchange rates (date,base,quote,rate; docs/rates-csv.md)
  mitra prices import FILE.csv [--partner DOMAIN|ID]
                                   import the partner's own cost from Partner Center's price sheet
                                   (columns: docs/prices-csv.md), all or nothing
  mitra export focus --customer ID [--subscription ID] [--partner] --from D --to D
                     --format csv|parquet --out FILE
                                   FOCUS 1.2 cost and usage for [from, to): the customer's view (R17–R18),
                                   or with --partner the partner's (purchases, unused commitment); docs/focus.md

  Beside a running server on the embedded database, commands go through the server (docs/cli.md).
`;

const [command = 'serve', ...args] = process.argv.slice(2);
const config = readConfig();

/**
 * A command that works on the database only. Safe by default: beside a server on the embedded
 * database it refuses in one line instead of opening the folder; give it a `viaServer` path with
 * `runAgainstDatabaseOrServer` to make it work there (docs/cli.md).
 */
// biome-ignore lint/correctness/noUnusedVariables: for commands still to come (prices import); see docs/cli.md.
function withDb(config: Config, work: (db: Db) => Promise<number>): Promise<number> {
  return runAgainstDatabaseOrServer(config, [command, args[0]].filter(Boolean).join(' '), { direct: work });
}

async function demo(config: Config, args: string[]): Promise<number> {
  return runAgainstDatabaseOrServer(config, args.includes('--reset') ? 'demo --reset' : 'demo', {
    direct: async (db) => {
      if (args.includes('--reset')) {
        await resetData(db);
      } else if (!(await isEmpty(db))) {
        console.error(
          'The database already holds data; run `mitra demo --reset` to erase it and load the demo data.',
        );
        return 2;
      }
      await loadDemoData(db, { password: config.demoPassword });
      await loadDemoCommitments(db, inlineApply());
      await closeDemoMonths(db);
      console.log('Demo data loaded.');
      return 0;
    },
    // Not through the server: it erases every partner's data, sessions and activity log in many
    // steps, so signed-in users would watch the portal empty and refill under them. It is a
    // deliberate act on a demo installation; stopping the server first keeps it one.
    viaServer: async (server) => {
      console.error(
        `\`mitra demo\` erases and reloads every partner's data, so it does not run under a live portal: stop the server on ${config.dataDir} (pid ${server.pid}), run it, then start the server again.`,
      );
      return 1;
    },
  });
}

function migrate(config: Config): Promise<number> {
  return runAgainstDatabaseOrServer(config, 'migrate', {
    direct: async () => {
      console.log(`The database is migrated (${migrationNames().length} migrations).`);
      return 0;
    },
    viaServer: async (server) => {
      const missing = migrationNames().filter((m) => !server.status?.migrations.includes(m));
      if (missing.length) {
        console.error(
          `The server (pid ${server.pid}) runs older code without ${missing.join(', ')}: restart it, and it applies them as it starts.`,
        );
        return 1;
      }
      console.log(`Nothing to do: the server (pid ${server.pid}) applied every migration when it started.`);
      return 0;
    },
  });
}

try {
  if (command === 'serve') await serve(config);
  else if (command === 'demo') process.exitCode = await demo(config, args);
  else if (command === 'migrate') process.exitCode = await migrate(config);
  else if (command === 'benefits' && args[0] === 'apply')
    process.exitCode = await runBenefitsApplyCli(args.slice(1), process);
  else if (command === 'benefits') process.exitCode = await benefitCommand(config, args);
  else if (command === 'worker') process.exitCode = await workerCommand(config, args);
  else if (command === 'usage' && args[0] === 'import')
    process.exitCode = await usageImportCommand(config, args.slice(1));
  else if (command === 'usage' && args[0] === 'generate')
    process.exitCode = await usageGenerate(config, args.slice(1));
  else if (command === 'invoices') process.exitCode = await invoicesCommand(config, args);
  else if (command === 'rates') process.exitCode = await ratesCommand(config, args);
  else if (command === 'prices') process.exitCode = await pricesCommand(config, args);
  else if (command === 'export') process.exitCode = await exportCommand(config, args);
  else if (command === 'alerts') process.exitCode = await alertsCommand(config, args);
  else if (command === 'usage') {
    console.error(
      'usage: mitra usage import [--format csv|focus] FILE  |  mitra usage generate [--days N] [--seed N] [--out FILE.csv]',
    );
    process.exitCode = 2;
  } else {
    console.log(usage);
    process.exitCode = command === 'help' || command === '--help' ? 0 : 2;
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
