import { forbidden } from './errors.ts';

/**
 * The operator: whoever runs the `mitra` command on the installation's own machine — directly on
 * the database, or through the running server with the credential only the server's OS user can
 * read. The operator acts for the whole installation (usage of every partner's customers), so it
 * is not an `Actor` of one tenant; each partner's activity log records its changes as the system.
 */
export interface Operator {
  kind: 'operator';
  /** The command line's verb, such as `usage import`, for the activity record. */
  command: string;
  /** The OS account that ran it, as the command reported it. */
  osUser: string | null;
  /** Whether the command reached the database itself or through the server. */
  via: 'database' | 'server';
}

export interface OperatorCall {
  operator: Operator;
  correlationId: string;
}

/** Services that act for the whole installation take an operator call and check it first. */
export function authorizeOperator(call: OperatorCall): void {
  if (call?.operator?.kind !== 'operator')
    throw forbidden(
      'operator-required',
      "Only the `mitra` command on the server's own machine can do this; run it there.",
    );
}

/** What the activity record says about the operator, beside what it did. */
export function operatorDetails(operator: Operator): Record<string, string> {
  return {
    command: `mitra ${operator.command}`,
    via: operator.via,
    ...(operator.osUser ? { osUser: operator.osUser } : {}),
  };
}
