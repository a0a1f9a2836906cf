import type { Actor } from '../domain/actor.ts';
import type { Operator, OperatorCall } from '../domain/operator.ts';
import type { PolicyName } from '../domain/policies.ts';
import type { WebhookSettings } from '../domain/webhooks.ts';
import type { Call } from '../services/call.ts';
import type { TokenKeys } from '../services/tokens.ts';
import type { Db } from '../store/db.ts';
import type { OperatorCredential } from './operator-auth.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    /** Set only on the `mitra` command's routes, from the operator credential. */
    operator: Operator | null;
    correlationId: string;
    /** The actor and correlation id a service needs; throws 401 when nobody is signed in. */
    call(): Call;
    /** On the `mitra` command's routes (policy `localOperator`): the operator and correlation id. */
    operatorCall(): OperatorCall;
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
  /** Set by a server on the embedded database: the `mitra` command's credential (docs/cli.md). */
  operator?: OperatorCredential;
  /** Set when this process drains queued benefit runs itself (the embedded database's server). */
  benefitWorker?: { threads: number };
  /** Days after its end a month closes by itself (MITRA_MONTH_CLOSE_DAYS); 1 when not given. */
  monthCloseDays?: number;
  /** Rows per page of ARM's cost management query before a nextLink (1,000 when not given; tests page with few). */
  costQueryPageSize?: number;
  /** Webhook rules and timings (MITRA_WEBHOOK_*); https-only, public addresses only when not given. */
  webhooks?: WebhookSettings;
}
