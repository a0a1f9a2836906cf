import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { httpStatusOf, MitraError } from '../domain/errors.ts';

export type Dialect = 'partner-center' | 'arm' | 'oauth' | 'mitra';

export function dialectOf(url: string): Dialect {
  const path = url.toLowerCase();
  if (path.startsWith('/v1/')) return 'partner-center';
  if (path.startsWith('/oauth2/')) return 'oauth';
  if (path.startsWith('/subscriptions/') || path.startsWith('/providers/')) return 'arm';
  return 'mitra';
}

const armCode = (code: string) =>
  code
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');

/** Turns anything thrown below the routes into a MitraError a client can act on. */
export function asMitraError(error: unknown): MitraError | null {
  if (error instanceof MitraError) return error;
  const e = error as FastifyError & { validation?: unknown[]; validationContext?: string };
  if (e?.validation) {
    const where = e.validationContext ?? 'request';
    return new MitraError(
      'invalid',
      'invalid-request',
      `The ${where} is not valid: ${e.message.replace(/^\w+\s/, '')}. Fix it and send again.`,
      800002,
    );
  }
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    const code =
      e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
        ? 'unsupported-media-type'
        : e.statusCode === 413
          ? 'body-too-large'
          : 'invalid-request';
    const message =
      code === 'unsupported-media-type'
        ? 'Send the body as application/json (or application/x-www-form-urlencoded where the route says so).'
        : code === 'body-too-large'
          ? 'The request body is too large; send a smaller one.'
          : `The request could not be read: ${e.message}. Fix it and send again.`;
    const err = new MitraError('invalid', code, message, 800002);
    (err as MitraError & { status?: number }).status = e.statusCode;
    return err;
  }
  return null;
}

export function sendError(request: FastifyRequest, reply: FastifyReply, error: unknown) {
  const mapped = asMitraError(error);
  const dialect = dialectOf(request.url);
  if (!mapped) {
    request.log.error({ err: error }, 'unhandled error');
    return reply
      .status(500)
      .send(
        bodyFor(
          dialect,
          new MitraError(
            'invalid',
            'internal-error',
            `Something went wrong on our side; retry, and if it persists report correlation id ${request.correlationId}.`,
            500,
          ),
          request,
        ),
      );
  }
  let status = (mapped as MitraError & { status?: number }).status ?? httpStatusOf[mapped.kind];
  // RFC 6749 §5.2: the token endpoint answers a failed grant with 400 and an OAuth error body.
  if (dialect === 'oauth' && status === 401) status = 400;
  if (status === 401 && dialect === 'partner-center')
    reply.header('WWW-Authenticate', 'Bearer realm="mitra"');
  return reply.status(status).send(bodyFor(dialect, mapped, request));
}

function bodyFor(dialect: Dialect, error: MitraError, request: FastifyRequest) {
  switch (dialect) {
    case 'partner-center':
      return {
        code: error.partnerCenterCode ?? 800002,
        description: error.message,
        errorName: error.code,
        data: error.details
          ? Object.entries(error.details).map(([key, value]) => `${key}: ${String(value)}`)
          : [],
        source: 'Mitra',
      };
    case 'oauth':
      return {
        error: oauthCode(error),
        error_description: error.message,
        error_codes: [error.code],
        correlation_id: request.correlationId,
      };
    case 'arm':
      return {
        error: {
          code: armCode(error.code),
          message: error.message,
          target: (error.details?.target as string) ?? null,
          details: [],
        },
      };
    default:
      return {
        error: {
          code: error.code,
          message: error.message,
          ...(error.details ? { details: error.details } : {}),
        },
      };
  }
}

function oauthCode(error: MitraError): string {
  if (error.code === 'invalid-client') return 'invalid_client';
  if (error.code === 'invalid-credentials') return 'invalid_grant';
  if (error.code === 'unsupported-grant-type') return 'unsupported_grant_type';
  return 'invalid_request';
}
