import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { authenticationRequired, forbidden } from '../domain/errors.ts';
import { type Policy, type PolicyName, policies } from '../domain/policies.ts';
import { actorFromSession } from '../services/identity.ts';
import { actorFromToken } from '../services/tokens.ts';
import { operatorOf } from './operator-auth.ts';

export const sessionCookie = 'mitra_session';

/** Every registered route with its declared policy, for the completeness test and the docs. */
export interface RoutePolicy {
  method: string;
  url: string;
  policy: PolicyName | undefined;
}

/** Routes registered by plugins we do not write (static files, the API reference page). */
const publicPrefixes = ['/docs', '/assets/', '/openapi.json'];

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Resolves the caller (bearer token or session cookie) and enforces each route's declared policy
 * before the handler runs. Services check the same policy again; this is the first gate.
 */
async function authPlugin(app: FastifyInstance) {
  app.decorateRequest('actor', null);
  app.decorateRequest('correlationId', '');
  app.decorateRequest('operator', null);
  app.decorateRequest('operatorCall', function (this: FastifyRequest) {
    if (!this.operator) throw authenticationRequired();
    return { operator: this.operator, correlationId: this.correlationId };
  });
  app.decorateRequest('call', function (this: FastifyRequest) {
    if (!this.actor) throw authenticationRequired();
    return { actor: this.actor, correlationId: this.correlationId };
  });

  app.decorate('routePolicies', [] as RoutePolicy[]);
  app.addHook('onRoute', (route) => {
    if (!route.config?.policy && publicPrefixes.some((p) => route.url.startsWith(p))) {
      route.config = { ...(route.config ?? {}), policy: 'public' };
    }
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods)
      app.routePolicies.push({ method, url: route.url, policy: route.config?.policy });
  });

  app.addHook('onRequest', async (request, reply) => {
    const given = request.headers['ms-correlationid'];
    request.correlationId = typeof given === 'string' && guid.test(given) ? given : randomUUID();
    reply.header('MS-CorrelationId', request.correlationId);
    const requestId = request.headers['ms-requestid'];
    if (typeof requestId === 'string' && guid.test(requestId)) reply.header('MS-RequestId', requestId);
  });

  // Authentication comes before the body is even parsed: strangers learn nothing from validation.
  app.addHook('onRequest', async (request) => {
    // Unmatched paths go to the not-found handler: the portal's index.html or a 404 in the
    // caller's dialect. Neither reveals data, and the portal must load before anyone signs in.
    if (request.is404) return;
    const policyName = request.routeOptions.config?.policy;
    // No declared policy means no access: the route-policy test keeps this from ever happening.
    const policy: Policy | undefined = policyName ? policies[policyName] : undefined;
    if (policy?.anonymous) return;
    // The `mitra` command's routes take the operator credential and nothing else.
    if (policy?.operator) {
      request.operator = operatorOf(request, app.deps.operator);
      return;
    }
    const authorization = request.headers.authorization;
    if (authorization?.toLowerCase().startsWith('bearer ')) {
      request.actor = await actorFromToken(app.deps.tokens, authorization.slice(7).trim());
    } else {
      const cookie = request.cookies?.[sessionCookie];
      if (cookie) request.actor = await actorFromSession(app.deps.db, cookie);
    }
    if (!request.actor) throw authenticationRequired();
    if (!policy)
      throw forbidden('route-without-policy', 'This route declares no access policy, so nobody may call it.');
    if (!policy.allows(request.actor)) throw policy.refusal(request.actor);
  });
}

export default fp(authPlugin, { name: 'mitra-auth' });
