import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { parseResource } from '../../domain/permissions.ts';
import { policies } from '../../domain/policies.ts';
import type { Call } from '../../services/call.ts';
import {
  type BulkItem,
  type BulkResult,
  bulkSetPermissions,
  type CustomerPermissions,
  getCustomerPermissions,
  refuseUnlessPermissionManager,
  setCustomerPermission,
} from '../../services/customer-permissions.ts';
import { ndjsonStream } from '../ndjson.ts';

const tags = ['mitra: customer permissions'];
const Resource = Type.Union([Type.Literal('AzureReservedInstances'), Type.Literal('AzureSavingsPlan')]);

function permissionsView(p: CustomerPermissions, call: Call) {
  return {
    customerId: p.customer.id,
    permissions: p.permissions,
    etag: p.etag,
    canEdit: policies.permissionsManage.allows(call.actor),
    enableBlockedBy: p.enableBlockedBy,
  };
}

/** Mitra's API for customer permissions: read, set one (idempotent), and bulk with streamed results. */
export async function permissionRoutes(app: FastifyInstance) {
  const { db } = app.deps;

  app.get(
    '/customers/:id/permissions',
    {
      config: { policy: 'partnerRead' },
      schema: {
        tags,
        summary: "A customer's purchase permissions",
        params: Type.Object({ id: Type.String() }),
      },
    },
    async (request) => {
      const call = request.call();
      return permissionsView(
        await getCustomerPermissions(db, call, (request.params as { id: string }).id),
        call,
      );
    },
  );

  app.put(
    '/customers/:id/permissions/:resource',
    {
      config: { policy: 'permissionsAttempt' },
      schema: {
        tags,
        summary: 'Allow or disallow one purchase permission (idempotent)',
        params: Type.Object({ id: Type.String(), resource: Type.String() }),
        body: Type.Object({ allowed: Type.Boolean() }),
      },
    },
    async (request) => {
      const call = request.call();
      const { id, resource } = request.params as { id: string; resource: string };
      const p = await setCustomerPermission(
        db,
        call,
        id,
        parseResource(resource),
        (request.body as { allowed: boolean }).allowed,
      );
      return permissionsView(p, call);
    },
  );

  app.post(
    '/permissions/bulk',
    {
      config: { policy: 'permissionsAttempt' },
      schema: {
        tags,
        summary:
          'Set permissions for many customers; answers one result per customer (NDJSON stream with Accept: application/x-ndjson)',
        body: Type.Object({
          items: Type.Array(
            Type.Object({ customerId: Type.String(), resource: Resource, allowed: Type.Boolean() }),
            { minItems: 1, maxItems: 50_000 },
          ),
        }),
      },
    },
    async (request, reply) => {
      const call = request.call();
      const items = (request.body as { items: BulkItem[] }).items;
      const streaming = String(request.headers.accept ?? '').includes('application/x-ndjson');
      if (!streaming) {
        const results: BulkResult[] = [];
        const summary = await bulkSetPermissions(db, call, items, (r) => {
          results.push(r);
        });
        return { summary, results };
      }
      // Refusals (wrong role) answer as a plain error before any line is streamed.
      await refuseUnlessPermissionManager(db, call, items.length);
      const progressEvery = Math.max(1, Math.floor(items.length / 100));
      const stream = ndjsonStream(async (push) => {
        let processed = 0;
        const summary = await bulkSetPermissions(db, call, items, (r) => {
          push({ type: 'result', ...r });
          processed += 1;
          if (processed % progressEvery === 0) push({ type: 'progress', processed, total: items.length });
        });
        push({ type: 'summary', ...summary });
      });
      return reply.type('application/x-ndjson').send(stream);
    },
  );
}
