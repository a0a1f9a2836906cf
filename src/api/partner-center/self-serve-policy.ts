import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { invalid } from '../../domain/errors.ts';
import { permissionSetOf } from '../../domain/permissions.ts';
import {
  getCustomerPermissions,
  parsePolicyId,
  policyNotFound,
  policyResource,
  writePermissions,
} from '../../services/customer-permissions.ts';
import { collection } from './resources.ts';

const tags = ['partner-center: self-serve policy'];
const Permission = Type.Object(
  { resource: Type.String(), action: Type.String() },
  { additionalProperties: true },
);
const PolicyBody = Type.Object(
  {
    id: Type.Optional(Type.String()),
    selfServeEntity: Type.Object(
      { selfServeEntityType: Type.String(), tenantID: Type.String() },
      { additionalProperties: true },
    ),
    grantor: Type.Object(
      { grantorType: Type.String(), tenantID: Type.String() },
      { additionalProperties: true },
    ),
    permissions: Type.Array(Permission, { maxItems: 10 }),
    attributes: Type.Optional(
      Type.Object({ etag: Type.Optional(Type.String()) }, { additionalProperties: true }),
    ),
  },
  { additionalProperties: true },
);
type PolicyBody = typeof PolicyBody.static;

/** Checks what partner center checks of a policy body and returns the customer it names. */
function customerOfBody(body: PolicyBody, partnerId: string): string {
  if (body.selfServeEntity.selfServeEntityType.toLowerCase() !== 'customer') {
    throw invalid('invalid-self-serve-entity', 'selfServeEntity.selfServeEntityType must be "customer".');
  }
  if (body.grantor.grantorType.toLowerCase() !== 'billtopartner') {
    throw invalid('invalid-grantor', 'grantor.grantorType must be "billToPartner".');
  }
  if (body.grantor.tenantID.toLowerCase() !== partnerId.toLowerCase()) {
    throw invalid(
      'grantor-mismatch',
      'grantor.tenantID must be your own partner tenant id; you can only grant permissions you pay for.',
    );
  }
  for (const p of body.permissions) {
    if (p.action.toLowerCase() !== 'purchase')
      throw invalid(
        'invalid-permission-action',
        `Permission action "${p.action}" is not supported; use "Purchase".`,
      );
  }
  return body.selfServeEntity.tenantID.toLowerCase();
}

/** `entity_id` as documented; the .NET SDK sends `entity_Id`, so the name is matched in any case. */
function entityIdOf(request: FastifyRequest): string {
  const query = request.query as Record<string, string | undefined>;
  const key = Object.keys(query).find((k) => k.toLowerCase() === 'entity_id');
  const value = key ? query[key] : undefined;
  if (!value)
    throw invalid('entity-id-required', 'Pass the customer tenant id as ?entity_id={customerTenantId}.');
  return value;
}

function etagOf(request: FastifyRequest, body: PolicyBody | undefined): string | null {
  const header = request.headers['if-match'];
  return body?.attributes?.etag ?? (typeof header === 'string' ? header : null);
}

/** Partner-center SelfServePolicy (customer permissions), reference §1. App+User only. */
export async function selfServePolicyRoutes(app: FastifyInstance) {
  const { db } = app.deps;
  const view = (p: Awaited<ReturnType<typeof getCustomerPermissions>>) =>
    policyResource(p.customer.partner_id, p.customer.id, p.permissions, p.etag ?? '');

  app.get(
    '/SelfServePolicy',
    {
      config: { policy: 'partnerUserRead' },
      schema: {
        tags,
        summary: "List a customer's self-serve policies",
        querystring: Type.Object({}, { additionalProperties: Type.String() }),
      },
    },
    async (request) => {
      const customerId = entityIdOf(request);
      const p = await getCustomerPermissions(db, request.call(), customerId, 'partnerUserRead');
      return collection(p.etag ? [view(p)] : [], `/SelfServePolicy?entity_id=${customerId}`);
    },
  );

  app.get(
    '/SelfServePolicy/:id',
    { config: { policy: 'partnerUserRead' }, schema: { tags, summary: 'Get a self-serve policy' } },
    async (request) => {
      const call = request.call();
      const { id } = request.params as { id: string };
      const p = await getCustomerPermissions(
        db,
        call,
        parsePolicyId(id, call.actor.partnerId),
        'partnerUserRead',
      ).catch((error) => {
        throw error?.code === 'customer-not-found' ? policyNotFound(id) : error;
      });
      if (!p.etag) throw policyNotFound(id);
      return view(p);
    },
  );

  app.post(
    '/SelfServePolicy',
    {
      config: { policy: 'permissionsAttempt' },
      schema: { tags, summary: 'Create a self-serve policy', body: PolicyBody },
    },
    async (request, reply) => {
      const call = request.call();
      const body = request.body as PolicyBody;
      const customerId = customerOfBody(body, call.actor.partnerId);
      const wanted = permissionSetOf(body.permissions);
      if (!Object.values(wanted).some(Boolean))
        throw invalid(
          'permissions-required',
          'A new policy needs at least one permission, such as {"resource":"AzureReservedInstances","action":"Purchase"}.',
        );
      const p = await writePermissions(db, call, customerId, { target: () => wanted, mustNotExist: true });
      return reply.status(201).send(view(p));
    },
  );

  const update = async (request: FastifyRequest, id: string | undefined) => {
    const call = request.call();
    const body = request.body as PolicyBody;
    const policyIdValue = id ?? body.id;
    if (!policyIdValue)
      throw invalid(
        'self-serve-policy-id-required',
        'Put the policy id in the path (PUT /v1/SelfServePolicy/{id}) or in the body.',
      );
    const customerId = parsePolicyId(policyIdValue, call.actor.partnerId);
    if (customerOfBody(body, call.actor.partnerId) !== customerId) {
      throw invalid(
        'self-serve-policy-id-mismatch',
        'The policy id and selfServeEntity.tenantID name different customers.',
      );
    }
    const wanted = permissionSetOf(body.permissions);
    const p = await writePermissions(db, call, customerId, {
      target: () => wanted,
      expectedEtag: etagOf(request, body),
      mustExist: true,
    });
    return p.etag ? view(p) : { ...view(p), permissions: [] };
  };

  app.put(
    '/SelfServePolicy/:id',
    {
      config: { policy: 'permissionsAttempt' },
      schema: { tags, summary: 'Update a self-serve policy', body: PolicyBody },
    },
    (request) => update(request, (request.params as { id: string }).id),
  );
  app.put(
    '/SelfServePolicy',
    {
      config: { policy: 'permissionsAttempt' },
      schema: { tags, summary: 'Update a self-serve policy (id in the body)', body: PolicyBody },
    },
    (request) => update(request, undefined),
  );

  app.delete(
    '/SelfServePolicy/:id',
    { config: { policy: 'permissionsAttempt' }, schema: { tags, summary: 'Delete a self-serve policy' } },
    async (request, reply) => {
      const call = request.call();
      const customerId = parsePolicyId((request.params as { id: string }).id, call.actor.partnerId);
      await writePermissions(db, call, customerId, {
        target: (current) =>
          Object.fromEntries(Object.keys(current).map((k) => [k, false])) as typeof current,
        mustExist: true,
        expectedEtag: etagOf(request, undefined),
      });
      return reply.status(204).send();
    },
  );
}
