import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { customerOf, listCommitments } from '../../services/commitments.ts';
import { collection } from './resources.ts';

const tags = ['partner-center'];

/**
 * Reservations as partner center's entitlements (reference §2, "Reservations lookup"): the
 * reservations of a customer, bought by the partner or by the customer (R10). Savings plans a
 * customer bought itself are not entitlements here (R11).
 */
export async function entitlementRoutes(app: FastifyInstance) {
  const { db } = app.deps;
  app.get(
    '/customers/:customerId/entitlements',
    {
      config: { policy: 'partnerRead' },
      schema: {
        tags,
        summary: "A customer's entitlements (reservations)",
        querystring: Type.Object({
          entitlementType: Type.Optional(Type.String()),
          showExpiry: Type.Optional(Type.Boolean()),
        }),
      },
    },
    async (request) => {
      const { customerId } = request.params as { customerId: string };
      const { entitlementType } = request.query as { entitlementType?: string };
      const call = request.call();
      const customer = await customerOf(db, call.actor, customerId);
      const wanted =
        !entitlementType ||
        ['reservedinstance', 'virtualmachinereservedinstance'].includes(entitlementType.toLowerCase());
      const items = wanted ? await listCommitments(db, call, customer, { kind: 'reservation' }) : [];
      return collection(
        items.map((c) => ({
          includedEntitlements: [],
          referenceOrder: {
            id: c.partner_order_id,
            lineItemId: '0',
            alternateId: c.partner_order_id?.replaceAll('-', '').slice(0, 12),
          },
          productId: c.catalog_item_id?.split(':')[0],
          skuId: c.catalog_item_id?.split(':')[1],
          quantity: c.quantity,
          quantityDetails: [
            { quantity: c.quantity, status: c.status === 'Succeeded' ? 'Active' : 'Cancelled' },
          ],
          entitledArtifacts: [
            {
              artifactType: 'reservedinstance',
              resourceId: `/providers/microsoft.capacity/reservationOrders/${c.order_id}`,
              dynamicAttributes: { reservationType: 'virtualmachines', boughtBy: c.bought_by },
            },
          ],
          entitlementType: 'virtualMachineReservedInstance',
          fulfillmentState: c.status === 'Succeeded' ? 'fulfilled' : 'cancelled',
          expiryDate: new Date(c.expires_at).toISOString(),
          dynamicAttributes: {
            reservationType: 'virtualmachines',
            displayName: c.display_name,
            armSkuName: c.sku,
            region: c.region,
          },
          attributes: { objectType: 'Entitlement' },
        })),
        `/customers/${customer.id}/entitlements`,
      );
    },
  );
}
