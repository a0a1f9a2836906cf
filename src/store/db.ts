import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { type CopyPayload, isCopy } from './bulk.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL connection string; when absent the embedded database is used. */
  url?: string;
  /** Folder for the embedded database; absent means in memory (tests). */
  dataDir?: string;
  poolSize?: number;
}

// int8 travels as a string in node-postgres and as a number in PGlite; the ids and counters we
// keep in int8 stay far below 2^53, so both return numbers. numeric stays a string in both.
pg.types.setTypeParser(20, (value) => Number(value));
// A calendar date (billing months) stays 'yyyy-mm-dd': a Date would shift with the server's time zone.
pg.types.setTypeParser(1082, (value) => value);

/**
 * Where PGlite keeps the database inside the data folder. New folders keep it in `pgdata/`, so the
 * folder itself can hold `mitra.lock` from the first moment (PGlite's initdb wants an empty
 * directory); folders made before the lock existed keep theirs at the root, where it stays.
 */
export function pgliteDirOf(dataDir: string): string {
  return existsSync(join(dataDir, 'PG_VERSION')) ? dataDir : join(dataDir, 'pgdata');
}

/**
 * The pool Kysely uses, with one addition: a statement whose parameter is a `CopyPayload`
 * (src/store/bulk.ts) runs as `COPY … FROM STDIN` on the same connection, inside its transaction.
 */
function copyAware(pool: pg.Pool): PostgresPool {
  return {
    connect: async () => {
      const client = await pool.connect();
      return {
        query: ((text: string, parameters: unknown[]) => {
          if (!isCopy(parameters ?? [])) return client.query(text, parameters);
          return new Promise((resolve, reject) => {
            const stream = client.query(copyFrom(text));
            stream.on('error', reject);
            // Reported as an INSERT: Kysely's result type knows no COPY, and the effect is the same.
            stream.on('finish', () => resolve({ command: 'INSERT', rowCount: stream.rowCount, rows: [] }));
            stream.end((parameters[0] as CopyPayload).csv);
          });
        }) as PostgresPoolClient['query'],
        release: () => client.release(),
      };
    },
    end: () => pool.end(),
  };
}

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.url) {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
    // An idle connection dropped by the server (restart, failover) must not crash the process:
    // the pool discards it and the next query opens a new one.
    pool.on('error', (error) => {
      process.emitWarning(`PostgreSQL dropped an idle connection: ${error.message}`);
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: copyAware(pool) }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  const dataDir = options.dataDir ? pgliteDirOf(options.dataDir) : undefined;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pglite = new PGlite({ dataDir, parsers: { 1082: (value: string) => value } });
  await pglite.waitReady;
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    kind: 'pglite',
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
  };
}
