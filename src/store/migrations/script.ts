import { type Kysely, sql } from 'kysely';

/** Splits a DDL script into statements at semicolons outside `$$ … $$` function bodies. */
export function splitStatements(script: string): string[] {
  const statements: string[] = [];
  let current = '';
  let inBody = false;
  for (let i = 0; i < script.length; i++) {
    if (script.startsWith('$$', i)) {
      inBody = !inBody;
      current += '$$';
      i += 1;
      continue;
    }
    const c = script[i];
    if (c === ';' && !inBody) {
      if (current.trim()) statements.push(current.trim());
      current = '';
    } else {
      current += c;
    }
  }
  if (current.trim()) statements.push(current.trim());
  return statements;
}

/**
 * Runs a script of DDL statements one by one: PGlite's extended protocol takes a single statement
 * per call, and one statement per call also gives a precise error when one fails.
 */
export async function runScript(db: Kysely<any>, script: string): Promise<void> {
  for (const statement of splitStatements(script)) {
    await sql.raw(statement).execute(db);
  }
}
