import type { Actor } from '../domain/actor.ts';
import type { PolicyName } from '../domain/policies.ts';
import type { Call } from '../services/call.ts';
import type { TokenKeys } from '../services/tokens.ts';
import type { Db } from '../store/db.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    correlationId: string;
    /** The actor and correlation id a service needs; throws 401 when nobody is signed in. */
    call(): Call;
  }
  interface FastifyContextConfig {
    /** The authorisation policy of the route; every route must declare one. */
    policy?: PolicyName;
  }
  interface FastifyInstance {
    deps: AppDeps;
    routePolicies: import('./auth-plugin.ts').RoutePolicy[];
  }
}

export interface AppDeps {
  db: Db;
  tokens: TokenKeys;
  secureCookies: boolean;
  /** Days after its end a month closes by itself (MITRA_MONTH_CLOSE_DAYS); 1 when not given. */
  monthCloseDays?: number;
}
