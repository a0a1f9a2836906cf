import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../domain/errors.ts';
import { customerApproval } from '../../services/purchase-approvals.ts';
import type { PurchaseApproval } from '../../store/schema.ts';
import { armCustomerContext, requireApiVersion } from './common.ts';

/**
 * ARM's long-running purchase for a purchase held for approval (B2). The PUT answers 202 with an
 * `Azure-AsyncOperation` URL; its status is `InProgress` while the partner decides (and while the
 * customer confirms a moved price), then `Succeeded` — the SDK's poller then GETs the resource it
 * PUT (the reservation order, or the savings plan order alias), now bought — or `Failed` with code
 * `PurchaseDeclined` and the partner's reason, which the poller throws.
 */
const providers = ['Microsoft.Capacity', 'Microsoft.BillingBenefits'] as const;
type Provider = (typeof providers)[number];

const operationPath = (provider: Provider, id: string) => `/providers/${provider}/operationResults/${id}`;

/** The 202 of a held purchase: the status URL in `Azure-AsyncOperation` (and `Location`), no Retry-After. */
export function heldPurchaseAnswer(
  request: FastifyRequest,
  reply: FastifyReply,
  provider: Provider,
  approval: PurchaseApproval,
  body: Record<string, unknown>,
) {
  const version = requireApiVersion(request);
  const url = `${request.protocol}://${request.headers.host}${operationPath(provider, approval.id)}?api-version=${encodeURIComponent(version)}`;
  reply.header('Azure-AsyncOperation', url);
  reply.header('Location', url);
  return reply.status(202).send(body);
}

function operationStatus(provider: Provider, a: PurchaseApproval) {
  const base = {
    id: operationPath(provider, a.id),
    name: a.id,
    startTime: new Date(a.requested_at).toISOString(),
  };
  if (a.status === 'approved')
    return {
      ...base,
      status: 'Succeeded',
      endTime: a.decided_at ? new Date(a.decided_at).toISOString() : null,
    };
  if (a.status === 'declined')
    return {
      ...base,
      status: 'Failed',
      endTime: a.decided_at ? new Date(a.decided_at).toISOString() : null,
      error: {
        code: 'PurchaseDeclined',
        message: `Your partner declined this purchase${a.reason ? `: ${a.reason}` : ''}.`,
      },
    };
  return { ...base, status: 'InProgress' };
}

export const approvalOperationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;
  for (const provider of providers) {
    app.get(
      `/providers/${provider}/operationResults/:operationId`,
      {
        config: { policy: 'customerSelf' },
        schema: {
          tags: [`arm: ${provider}`],
          summary: 'Status of a purchase held for your partner’s approval (Azure-AsyncOperation)',
          params: Type.Object({ operationId: Type.String() }),
        },
      },
      async (request) => {
        const { customer } = await armCustomerContext(db, request);
        const { operationId } = request.params;
        const a = await customerApproval(db, customer, operationId);
        if (!a)
          throw notFound('operation-not-found', `No purchase operation ${operationId} exists among yours.`);
        return operationStatus(provider, a);
      },
    );
  }
};
