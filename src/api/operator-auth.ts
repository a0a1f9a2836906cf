import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { forbidden, MitraError } from '../domain/errors.ts';
import type { Operator } from '../domain/operator.ts';

/** The operator credential a server on the embedded database made at start (see src/cli/serve.ts). */
export interface OperatorCredential {
  token: string;
}

export const operatorScheme = 'Mitra-Operator';

const operatorCredentialRequired = (why: string) =>
  new MitraError('unauthenticated', 'operator-credential-required', why, 401);

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Loopback, or the very address the server listens on: the caller is on this machine. */
function fromThisMachine(request: FastifyRequest): boolean {
  const remote = (request.raw.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  if (remote === '::1' || remote.startsWith('127.')) return true;
  const local = (request.raw.socket.localAddress ?? '').replace(/^::ffff:/, '');
  return remote !== '' && remote === local;
}

// A reverse proxy on the same machine makes every visitor look local; these headers give it away.
const forwardingHeaders = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-real-ip', 'via'];

/**
 * The gate of the `mitra` command's routes. The credential is the guard: 256 random bits, new at
 * every start, kept only in the data folder's lock file (mode 0600), so only the OS user who could
 * open the database files anyway can present it. Coming from this machine, not through a proxy,
 * is a second fence for a credential that leaked. User and application tokens never pass here,
 * and this credential passes nowhere else.
 */
export function operatorOf(request: FastifyRequest, credential: OperatorCredential | undefined): Operator {
  if (!fromThisMachine(request) || forwardingHeaders.some((h) => request.headers[h] !== undefined))
    throw forbidden(
      'operator-local-only',
      "This route answers only the `mitra` command on the server's own machine, not through a proxy.",
    );
  if (!credential)
    throw operatorCredentialRequired(
      'This server has no operator credential (it runs on PostgreSQL): run the `mitra` command with the same DATABASE_URL instead.',
    );
  const [scheme, given] = (request.headers.authorization ?? '').split(' ');
  if (scheme !== operatorScheme || !given || !timingSafeEqual(digest(given), digest(credential.token)))
    throw operatorCredentialRequired(
      "Run the `mitra` command on the server's machine as the user who started the server: it reads the credential from the data folder's mitra.lock.",
    );
  const header = (name: string) => {
    const value = request.headers[name];
    // Printable and short: these land in the activity record.
    return typeof value === 'string' ? value.replace(/[^\x20-\x7e]/g, '').slice(0, 100) || null : null;
  };
  return {
    kind: 'operator',
    command: header('mitra-command') ?? 'unknown',
    osUser: header('mitra-os-user'),
    via: 'server',
  };
}
