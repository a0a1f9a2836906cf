import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Call } from '../../services/call.ts';
import {
  assignRole,
  canManageRoles,
  listRoleAssignments,
  partnerSubscription,
  type RoleAssignmentRow,
  removeRoleAssignment,
} from '../../services/role-assignments.ts';
import type { SubscriptionRole } from '../../store/schema.ts';

const tags = ['mitra: role assignments'];
const Params = Type.Object({ id: Type.String(), subscriptionId: Type.String() });

export const roleAssignmentView = (r: RoleAssignmentRow) => ({
  id: r.id,
  userId: r.customer_user_id,
  email: r.email,
  displayName: r.display_name,
  role: r.role,
  createdAt: new Date(r.created_at).toISOString(),
});

/** The subscription's "Manage" entry point (R7): who holds which role, and the Admin agent's changes. */
export async function roleAssignmentRoutes(app: FastifyInstance) {
  const { db } = app.deps;
  const target = async (call: Call, params: { id: string; subscriptionId: string }) => ({
    subscription: await partnerSubscription(db, call, params.id, params.subscriptionId),
    myRoles: [] as SubscriptionRole[],
  });

  app.get(
    '/customers/:id/subscriptions/:subscriptionId/role-assignments',
    {
      config: { policy: 'partnerRead' },
      schema: { tags, summary: "Customer users' roles on a subscription", params: Params },
    },
    async (request) => {
      const call = request.call();
      const { subscription } = await target(call, request.params as { id: string; subscriptionId: string });
      const { items, users } = await listRoleAssignments(db, call, subscription);
      return {
        items: items.map(roleAssignmentView),
        users: users.map((u) => ({ id: u.id, email: u.email, displayName: u.display_name })),
        // Roles exist on Azure subscriptions only; a licence subscription has nothing to edit.
        canEdit: canManageRoles(call.actor) && subscription.product_type !== 'license',
      };
    },
  );

  app.post(
    '/customers/:id/subscriptions/:subscriptionId/role-assignments',
    {
      config: { policy: 'roleAssignmentsManage' },
      schema: {
        tags,
        summary: 'Assign a role to a customer user (idempotent)',
        params: Params,
        body: Type.Object({
          userId: Type.String(),
          role: Type.Union([Type.Literal('Owner'), Type.Literal('Contributor'), Type.Literal('Reader')]),
        }),
      },
    },
    async (request, reply) => {
      const call = request.call();
      const body = request.body as { userId: string; role: SubscriptionRole };
      const { assignment, created } = await assignRole(
        db,
        call,
        await target(call, request.params as { id: string; subscriptionId: string }),
        body,
      );
      return reply.status(created ? 201 : 200).send(roleAssignmentView(assignment));
    },
  );

  app.delete(
    '/customers/:id/subscriptions/:subscriptionId/role-assignments/:assignmentId',
    { config: { policy: 'roleAssignmentsManage' }, schema: { tags, summary: 'Remove a role assignment' } },
    async (request, reply) => {
      const call = request.call();
      const params = request.params as { id: string; subscriptionId: string; assignmentId: string };
      await removeRoleAssignment(db, call, await target(call, params), params.assignmentId);
      return reply.status(204).send();
    },
  );
}
