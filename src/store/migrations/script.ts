import { type Kysely, sql } from 'kysely';

/**
 * Runs a script of DDL statements one by one: PGlite's extended protocol takes a single statement
 * per call, and one statement per call also gives a precise error when one fails.
 */
export async function runScript(db: Kysely<any>, script: string): Promise<void> {
  const statements = script
    .split(/;\s*\n/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}
