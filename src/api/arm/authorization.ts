import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { invalid } from '../../domain/errors.ts';
import { isUuid } from '../../domain/ids.ts';
import { roleDefinitionIds, roleOfDefinition, subscriptionRoles } from '../../domain/roles.ts';
import {
  assignRole,
  getRoleAssignment,
  listRoleAssignments,
  type RoleAssignmentRow,
  removeRoleAssignment,
  visibleSubscription,
} from '../../services/role-assignments.ts';
import { requireApiVersion } from './common.ts';

const tags = ['arm: Microsoft.Authorization'];
const base = '/subscriptions/:subscriptionId/providers/Microsoft.Authorization';

const RoleAssignmentBody = Type.Object(
  {
    properties: Type.Object(
      {
        roleDefinitionId: Type.String(),
        principalId: Type.String(),
        principalType: Type.Optional(Type.String()),
        description: Type.Optional(Type.String()),
      },
      { additionalProperties: true },
    ),
  },
  { additionalProperties: true },
);

function armAssignment(azureSubscriptionId: string, r: RoleAssignmentRow) {
  const scope = `/subscriptions/${azureSubscriptionId}`;
  return {
    id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${r.id}`,
    name: r.id,
    type: 'Microsoft.Authorization/roleAssignments',
    properties: {
      scope,
      roleDefinitionId: `${scope}/providers/Microsoft.Authorization/roleDefinitions/${roleDefinitionIds[r.role]}`,
      principalId: r.customer_user_id,
      principalType: 'User',
      createdOn: new Date(r.created_at).toISOString(),
      updatedOn: new Date(r.created_at).toISOString(),
    },
  };
}

function roleDefinition(azureSubscriptionId: string, role: (typeof subscriptionRoles)[number]) {
  const id = roleDefinitionIds[role];
  return {
    id: `/subscriptions/${azureSubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${id}`,
    name: id,
    type: 'Microsoft.Authorization/roleDefinitions',
    properties: {
      roleName: role,
      type: 'BuiltInRole',
      description: `${role} (built-in role)`,
      assignableScopes: ['/'],
      permissions: [],
    },
  };
}

/** `$filter=principalId eq '{id}'` / `assignedTo('{id}')`: the only filters clients send here. */
function principalFilter(request: FastifyRequest): string | undefined {
  const filter = (request.query as Record<string, string | undefined>).$filter;
  if (!filter || /^atScope\(\)$/i.test(filter.trim())) return undefined;
  const match = /principalId\s+eq\s+'([^']+)'|assignedTo\('([^']+)'\)/i.exec(filter);
  if (!match)
    throw invalid(
      'unsupported-filter',
      "Supported $filter forms: principalId eq '{id}', assignedTo('{id}'), atScope().",
    );
  return (match[1] ?? match[2]).toLowerCase();
}

/** ARM Microsoft.Authorization role assignments on an Azure subscription (reference §5). */
export async function authorizationRoutes(app: FastifyInstance) {
  const { db } = app.deps;
  const config = { policy: 'subscriptionAccess' as const };
  const sub = (request: FastifyRequest) =>
    visibleSubscription(db, request.call().actor, {
      azureSubscriptionId: (request.params as { subscriptionId: string }).subscriptionId,
    });

  app.get(
    `${base}/roleAssignments`,
    { config, schema: { tags, summary: 'List role assignments' } },
    async (request) => {
      requireApiVersion(request);
      const target = await sub(request);
      const principal = principalFilter(request);
      const { items } = await listRoleAssignments(db, request.call(), target.subscription);
      const azureId = target.subscription.entitlement_id!;
      return {
        value: items
          .filter((r) => !principal || r.customer_user_id === principal)
          .map((r) => armAssignment(azureId, r)),
      };
    },
  );

  app.get(
    `${base}/roleAssignments/:name`,
    { config, schema: { tags, summary: 'Get a role assignment' } },
    async (request) => {
      requireApiVersion(request);
      const target = await sub(request);
      return armAssignment(
        target.subscription.entitlement_id!,
        await getRoleAssignment(db, target.subscription, (request.params as { name: string }).name),
      );
    },
  );

  app.put(
    `${base}/roleAssignments/:name`,
    { config, schema: { tags, summary: 'Create a role assignment', body: RoleAssignmentBody } },
    async (request, reply) => {
      requireApiVersion(request);
      const target = await sub(request);
      const { name } = request.params as { name: string };
      if (!isUuid(name))
        throw invalid('invalid-role-assignment-name', 'The role assignment name must be a new GUID.');
      const body = request.body as typeof RoleAssignmentBody.static;
      const role = roleOfDefinition(body.properties.roleDefinitionId);
      if (!role)
        throw invalid(
          'role-definition-not-supported',
          `Supported role definitions: ${subscriptionRoles.map((r) => `${r} (${roleDefinitionIds[r]})`).join(', ')}.`,
        );
      const { assignment, created } = await assignRole(db, request.call(), target, {
        userId: body.properties.principalId,
        role,
        assignmentId: name.toLowerCase(),
      });
      return reply
        .status(created ? 201 : 200)
        .send(armAssignment(target.subscription.entitlement_id!, assignment));
    },
  );

  app.delete(
    `${base}/roleAssignments/:name`,
    { config, schema: { tags, summary: 'Delete a role assignment' } },
    async (request) => {
      requireApiVersion(request);
      const target = await sub(request);
      const removed = await removeRoleAssignment(
        db,
        request.call(),
        target,
        (request.params as { name: string }).name,
      );
      return armAssignment(target.subscription.entitlement_id!, removed);
    },
  );

  app.get(
    `${base}/roleDefinitions`,
    { config, schema: { tags, summary: 'List role definitions' } },
    async (request) => {
      requireApiVersion(request);
      const target = await sub(request);
      return { value: subscriptionRoles.map((r) => roleDefinition(target.subscription.entitlement_id!, r)) };
    },
  );

  app.get(
    `${base}/roleDefinitions/:id`,
    { config, schema: { tags, summary: 'Get a role definition' } },
    async (request, reply) => {
      requireApiVersion(request);
      const target = await sub(request);
      const role = roleOfDefinition((request.params as { id: string }).id);
      if (!role)
        return reply.status(404).send({
          error: {
            code: 'RoleDefinitionDoesNotExist',
            message: 'The specified role definition does not exist.',
          },
        });
      return roleDefinition(target.subscription.entitlement_id!, role);
    },
  );
}
