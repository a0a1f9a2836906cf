import { rmSync } from 'node:fs';
import type { FocusExportCliQuery } from '../api/cli/schemas.ts';
import { Progress } from '../engine/progress.ts';
import { planOperatorFocusExport } from '../services/focus-export.ts';
import { focusSourceRows, writeFocusFile } from '../services/focus-files.ts';
import type { Config } from './config.ts';
import { runAgainstDatabaseOrServer } from './database-or-server.ts';

const usage =
  'usage: mitra export focus --customer ID [--subscription ID] [--partner] --from D --to D --format csv|parquet --out FILE\n' +
  '  FOCUS 1.2 cost and usage of one customer for [from, to) (days, UTC; `to` exclusive). Without --partner:\n' +
  "  the customer's view (R17–R18: retail, billing currency, no purchases or unused commitment);\n" +
  "  with --partner: the partner's (the engine's actual and amortized cost, purchases, unused commitment). docs/focus.md";

/**
 * `mitra export focus`: writes the file directly from the database, or beside a running
 * embedded server through `/api/cli/exports/focus` (the server streams, the command writes), with
 * a progress bar on a terminal: usage rows read (directly) or bytes received (through the server).
 */
export async function exportCommand(config: Config, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const flag = (name: string) => {
    const i = rest.indexOf(name);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  const customerId = flag('--customer');
  const from = flag('--from');
  const to = flag('--to');
  const out = flag('--out');
  const format = flag('--format') ?? (out?.endsWith('.parquet') ? 'parquet' : 'csv');
  if (sub !== 'focus' || !customerId || !from || !to || !out || (format !== 'csv' && format !== 'parquet')) {
    console.error(usage);
    return 2;
  }
  const query: FocusExportCliQuery = {
    customerId,
    subscriptionId: flag('--subscription'),
    view: rest.includes('--partner') ? 'partner' : 'customer',
    from,
    to,
    format,
  };
  try {
    const { bytes } = await runAgainstDatabaseOrServer(config, 'export focus', {
      direct: async (db, call) => {
        const plan = await planOperatorFocusExport(db, call, query);
        const progress = new Progress({
          stream: process.stderr,
          label: 'export',
          total: await focusSourceRows(db, plan),
          unit: ' usage rows',
        });
        const written = await writeFocusFile(db, plan, format, out, (n) => progress.add(n));
        progress.finish();
        return written;
      },
      viaServer: async (server) => {
        const progress = new Progress({
          stream: process.stderr,
          label: 'download',
          total: 0,
          unit: ' bytes',
        });
        const params = new URLSearchParams(
          Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined),
        );
        const got = await server.download(`/api/cli/exports/focus?${params}`, out, (n) => progress.add(n));
        progress.finish();
        return got;
      },
    });
    console.log(`Wrote ${out} (${format}, ${bytes} bytes, ${query.view} view).`);
    return 0;
  } catch (error) {
    rmSync(out, { force: true });
    throw error;
  }
}
