import type { FastifyRequest } from 'fastify';
import { invalid } from '../../domain/errors.ts';

/** Every ARM request carries `api-version`; a request without one is refused as ARM does. */
export function requireApiVersion(request: FastifyRequest): string {
  const version = (request.query as Record<string, string | undefined>)['api-version'];
  if (!version)
    throw invalid(
      'missing-api-version-parameter',
      'The api-version query parameter (?api-version=) is required for all requests, for example api-version=2022-04-01.',
    );
  return version;
}
