import type { Actor } from '../domain/actor.ts';
import type { Db } from '../store/db.ts';

/** One user action: who acts, and the correlation id that ties its log lines and audit record. */
export interface Call {
  actor: Actor;
  correlationId: string;
  /** The moment the action happens; tests and replays of history set it, live calls leave it out. */
  now?: Date;
}

export const nowOf = (call: Call): Date => call.now ?? new Date();

/**
 * Runs a use case in one transaction. Services authorise first, change state and write the audit
 * record through the transaction they are given, so a change never commits without its record.
 */
export function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  return db.transaction().execute((trx) => work(trx));
}
