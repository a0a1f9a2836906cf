import type { FastifyRequest } from 'fastify';
import { invalid } from '../../domain/errors.ts';
import { customerOf } from '../../services/commitments.ts';
import type { Db } from '../../store/db.ts';
import type { Customer } from '../../store/schema.ts';

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

/** Azure subscription id of each of the customer's subscriptions, to print billingScopeId. */
export async function azureIds(db: Db, customer: Customer): Promise<(subscriptionId: string) => string> {
  const rows = await db
    .selectFrom('subscriptions')
    .select(['id', 'entitlement_id'])
    .where('customer_id', '=', customer.id)
    .execute();
  const map = new Map(rows.map((r) => [r.id, r.entitlement_id ?? r.id]));
  return (id) => map.get(id) ?? id;
}

/** What every customer-side ARM request starts from: api-version, the caller, its customer. */
export async function armCustomerContext(db: Db, request: FastifyRequest) {
  requireApiVersion(request);
  const call = request.call();
  const customer = await customerOf(db, call.actor);
  return { call, customer, azureId: await azureIds(db, customer) };
}
