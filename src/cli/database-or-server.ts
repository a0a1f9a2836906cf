import { randomUUID } from 'node:crypto';
import type { OperatorCall } from '../domain/operator.ts';
import { type Db, openDatabase } from '../store/db.ts';
import { migrateToLatest } from '../store/migrate.ts';
import type { Config } from './config.ts';
import { busyMessage, claimDataDir, dataDirInUse, readLock } from './data-dir-lock.ts';
import { currentOsUser, ServerClient } from './server-client.ts';

/** The two ways a command can do its work; which one runs is decided for it. */
export interface DatabaseOrServer<T = number> {
  /** On the database itself: PostgreSQL, or the embedded folder when no server holds it. */
  direct: (db: Db, call: OperatorCall) => Promise<T>;
  /**
   * Through the server that holds the embedded folder. Absent: the command says in one line to
   * stop the server first (never opens the folder beside it, which would corrupt it).
   */
  viaServer?: (server: ServerClient) => Promise<T>;
}

/** Opens the database (migrated, as every command expects it) for `work`, and closes it after. */
async function onDatabase<T>(config: Config, command: string, work: DatabaseOrServer<T>['direct']) {
  const handle = await openDatabase({
    url: config.databaseUrl,
    dataDir: config.databaseUrl ? undefined : config.dataDir,
  });
  try {
    await migrateToLatest(handle.db);
    return await work(handle.db, {
      operator: { kind: 'operator', command, osUser: currentOsUser() || null, via: 'database' },
      correlationId: randomUUID(),
    });
  } finally {
    await handle.close();
  }
}

/**
 * The server holding the embedded folder, if its lock names one that answers; throws the
 * one-line `data-dir-in-use` message if it names one that does not (hung, or a pid reused by
 * another program after a crash). `undefined`: no server holds the folder.
 */
export async function runningServer(dataDir: string, command: string): Promise<ServerClient | undefined> {
  const found = readLock(dataDir);
  if (found.state !== 'held' || found.holder.holder !== 'server') return undefined;
  const { pid, url, token } = found.holder;
  if (!url || !token) return undefined; // Starting: the claim that follows says so.
  const server = new ServerClient({ pid, url, token }, command);
  try {
    await server.checkAlive();
  } catch (error) {
    throw dataDirInUse(busyMessage(dataDir, found.holder, `does not answer (${(error as Error).message})`));
  }
  return server;
}

/**
 * Runs a `mitra` command where it can run safely. PostgreSQL: directly (the database server
 * handles concurrency). Embedded: if a live server holds the folder and answers, through it;
 * if nobody holds it (or a dead process did), directly, holding the folder's lock meanwhile;
 * otherwise a one-line `data-dir-in-use` error saying what to do. Returns what the path returned
 * (a command's exit code, or data it goes on with after the database is closed again).
 */
export async function runAgainstDatabaseOrServer<T = number>(
  config: Config,
  command: string,
  paths: DatabaseOrServer<T>,
): Promise<T> {
  if (config.databaseUrl) return onDatabase(config, command, paths.direct);
  const server = await runningServer(config.dataDir, command);
  if (server) {
    if (paths.viaServer) return paths.viaServer(server);
    throw dataDirInUse(
      `\`mitra ${command}\` does not run beside the server yet: stop the server on ${config.dataDir} (pid ${server.pid}), run the command, then start the server again.`,
    );
  }
  // Free, stale, or held by something we cannot talk to: the claim either succeeds or throws
  // the one-line message that fits (a command at work, a server starting, an unreadable lock).
  const lock = claimDataDir(config.dataDir, { holder: 'command', command });
  try {
    return await onDatabase(config, command, paths.direct);
  } finally {
    lock.release();
  }
}
