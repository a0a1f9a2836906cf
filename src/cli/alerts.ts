import { AlertsRun } from '../api/cli/alerts.ts';
import { runAlertChecks } from '../jobs/alerts.ts';
import type { Config } from './config.ts';
import { runAgainstDatabaseOrServer } from './database-or-server.ts';

/**
 * `mitra alerts run`: the alert checks the server runs on its schedule (B11), once, now. Each alert
 * is raised once per condition, so running it again raises nothing new. Beside the embedded
 * server, through it.
 */
export async function alertsCommand(config: Config, args: string[]): Promise<number> {
  if (args[0] !== 'run') {
    console.error('usage: mitra alerts run');
    return 2;
  }
  const r = await runAgainstDatabaseOrServer(config, 'alerts run', {
    direct: (db) => runAlertChecks(db),
    viaServer: (server) => server.post('/api/cli/alerts/run', {}, AlertsRun),
  });
  console.log(`Alerts raised: ${r.expiring} expiring, ${r.underutilized} under-used commitment(s).`);
  return 0;
}
