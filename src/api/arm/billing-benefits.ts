import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { partnerActionRequired } from '../../domain/commitments.ts';
import { invalid, MitraError, notFound } from '../../domain/errors.ts';
import { renameCommitment } from '../../services/commitment-lifecycle.ts';
import { buyWithIdempotencyKey, quoteCommitment } from '../../services/commitment-purchase.ts';
import { getCommitment, listCommitments } from '../../services/commitments.ts';
import { utilizationOf } from '../../services/utilization.ts';
import { heldPurchaseAnswer } from './approval-operations.ts';
import { armCustomerContext } from './common.ts';
import {
  type ArmPurchaseBody,
  armSavingsPlan,
  armSavingsPlanOrder,
  savingsPlanRequestFromArm,
} from './shapes.ts';

const tags = ['arm: Microsoft.BillingBenefits'];
const B = '/providers/Microsoft.BillingBenefits';
const Body = Type.Object({}, { additionalProperties: true });

/** The validate answer's reason codes, as the reference quotes them (§4, §7). */
function validation(error: MitraError) {
  if (error.code === 'permission-not-enabled') {
    return {
      valid: false,
      reasonCode: 'CustomerCannotPurchaseSavingsPlan',
      reason: 'Your provider has not enabled Savings Plan purchase on this subscription.',
    };
  }
  return {
    valid: false,
    reasonCode: error.code
      .split('-')
      .map((w) => w[0].toUpperCase() + w.slice(1))
      .join(''),
    reason: error.message,
  };
}

/** Microsoft.BillingBenefits savings plans for customer users (reference §4), driven by @azure/arm-billingbenefits. */
export async function billingBenefitsRoutes(app: FastifyInstance) {
  const { db } = app.deps;
  const config = { policy: 'customerSelf' as const };
  const context = (request: FastifyRequest) => armCustomerContext(db, request);
  const planOf = async (request: FastifyRequest) => {
    const ctx = await context(request);
    const { orderId, planId } = request.params as { orderId: string; planId?: string };
    const c = await getCommitment(db, ctx.call, ctx.customer, 'savings_plan', planId ?? orderId);
    if (c.order_id !== orderId.toLowerCase())
      throw notFound('savings-plan-not-found', 'That savings plan is not part of this savings plan order.');
    return { ...ctx, c, u: (await utilizationOf(db, [c.id])).get(c.id) };
  };
  const aliasResource = (alias: string, c: { order_id: string } | null, body: ArmPurchaseBody) => ({
    id: `${B}/savingsPlanOrderAliases/${alias}`,
    name: alias,
    type: 'Microsoft.BillingBenefits/savingsPlanOrderAliases',
    sku: body.sku ?? { name: 'Compute_Savings_Plan' },
    properties: {
      ...(body.properties ?? {}),
      savingsPlanOrderId: c ? `${B}/savingsPlanOrders/${c.order_id}` : undefined,
      provisioningState: c ? 'Succeeded' : 'Failed',
    },
  });

  app.post(
    `${B}/validate`,
    { config, schema: { tags, summary: 'Validate savings plan purchases', body: Body } },
    async (request) => {
      const { call, customer } = await context(request);
      const benefits = ((request.body as { benefits?: ArmPurchaseBody[] }).benefits ??
        []) as ArmPurchaseBody[];
      if (benefits.length === 0)
        throw invalid(
          'benefits-required',
          'Send {benefits: [{sku, properties}]} with at least one savings plan.',
        );
      const results = [];
      for (const b of benefits) {
        try {
          await quoteCommitment(db, call, customer, savingsPlanRequestFromArm(b));
          results.push({ valid: true });
        } catch (error) {
          if (!(error instanceof MitraError)) throw error;
          results.push(validation(error));
        }
      }
      return { benefits: results, nextLink: null };
    },
  );

  app.put(
    `${B}/savingsPlanOrderAliases/:alias`,
    {
      config,
      schema: { tags, summary: 'Buy a savings plan (the alias name makes retries idempotent)', body: Body },
    },
    async (request, reply) => {
      const { call, customer } = await context(request);
      const { alias } = request.params as { alias: string };
      // Alias names are ARM resource names: letters, digits, '-', '_' and '.', up to 90 characters.
      if (!/^[\w.-]{1,90}$/.test(alias))
        throw invalid(
          'invalid-alias-name',
          "Alias names use letters, digits, '-', '_' and '.', up to 90 characters.",
        );
      const body = request.body as ArmPurchaseBody;
      const outcome = await buyWithIdempotencyKey(
        db,
        call,
        customer,
        savingsPlanRequestFromArm(body),
        `alias:${alias.toLowerCase()}`,
      );
      // Above the customer's approval threshold (B2): 202 and a status URL the SDK's poller follows.
      if (outcome.kind === 'held') {
        const pending = aliasResource(alias, null, body);
        return heldPurchaseAnswer(request, reply, 'Microsoft.BillingBenefits', outcome.approval, {
          ...pending,
          properties: { ...pending.properties, provisioningState: 'PendingApproval' },
        });
      }
      return reply.status(201).send(aliasResource(alias, outcome.commitment, body));
    },
  );

  app.get(
    `${B}/savingsPlanOrderAliases/:alias`,
    { config, schema: { tags, summary: 'A savings plan order alias' } },
    async (request) => {
      const { customer, call } = await context(request);
      const { alias } = request.params as { alias: string };
      // Alias names are ARM resource names: letters, digits, '-', '_' and '.', up to 90 characters.
      if (!/^[\w.-]{1,90}$/.test(alias))
        throw notFound(
          'alias-not-found',
          `No savings plan order alias ${JSON.stringify(alias)} exists; alias names use letters, digits, '-', '_' and '.'.`,
        );
      const claim = await db
        .selectFrom('idempotency_keys')
        .select('result')
        .where('scope', '=', `purchase:${customer.id}`)
        .where('key', '=', `alias:${alias.toLowerCase()}`)
        .executeTakeFirst();
      const commitmentId = (claim?.result as { commitmentId?: string } | null)?.commitmentId;
      if (!commitmentId) throw notFound('alias-not-found', `No savings plan order alias ${alias} exists.`);
      const c = await getCommitment(db, call, customer, 'savings_plan', commitmentId);
      return aliasResource(alias, c, {
        sku: { name: c.sku },
        properties: { displayName: c.display_name, term: c.term },
      });
    },
  );

  app.get(
    `${B}/savingsPlanOrders`,
    { config, schema: { tags, summary: 'Savings plan orders' } },
    async (request) => {
      const { call, customer, azureId } = await context(request);
      const items = await listCommitments(db, call, customer, { kind: 'savings_plan' });
      return {
        value: items.map((c) => armSavingsPlanOrder(c, azureId(c.billing_subscription_id))),
        nextLink: null,
      };
    },
  );

  app.get(
    `${B}/savingsPlanOrders/:orderId`,
    { config, schema: { tags, summary: 'A savings plan order' } },
    async (request) => {
      const { c, azureId } = await planOf(request);
      return armSavingsPlanOrder(c, azureId(c.billing_subscription_id));
    },
  );

  app.get(
    `${B}/savingsPlanOrders/:orderId/savingsPlans`,
    { config, schema: { tags, summary: 'Savings plans in an order' } },
    async (request) => {
      const { c, azureId, u } = await planOf(request);
      return { value: [armSavingsPlan(c, azureId(c.billing_subscription_id), u)], nextLink: null };
    },
  );

  app.get(
    `${B}/savingsPlanOrders/:orderId/savingsPlans/:planId`,
    { config, schema: { tags, summary: 'A savings plan' } },
    async (request) => {
      const { c, azureId, u } = await planOf(request);
      return armSavingsPlan(c, azureId(c.billing_subscription_id), u);
    },
  );

  app.get(
    `${B}/savingsPlans`,
    { config, schema: { tags, summary: 'All savings plans' } },
    async (request) => {
      const { call, customer, azureId } = await context(request);
      const items = await listCommitments(db, call, customer, { kind: 'savings_plan' });
      return {
        value: items.map((c) => armSavingsPlan(c, azureId(c.billing_subscription_id))),
        nextLink: null,
      };
    },
  );

  app.patch(
    `${B}/savingsPlanOrders/:orderId/savingsPlans/:planId`,
    {
      config,
      schema: { tags, summary: 'Rename a savings plan (scope and renewal: ask your partner)', body: Body },
    },
    async (request) => {
      const { call, customer, c, azureId } = await planOf(request);
      const p = ((request.body as { properties?: Record<string, unknown> }).properties ?? {}) as Record<
        string,
        unknown
      >;
      if (p.appliedScopeType !== undefined || p.appliedScopeProperties !== undefined)
        throw partnerActionRequired('change the scope of');
      if (p.renew !== undefined || p.renewProperties !== undefined)
        throw partnerActionRequired('turn renewal on or off for');
      if (typeof p.displayName !== 'string')
        throw invalid('nothing-to-change', 'Send properties.displayName to rename the savings plan.');
      const renamed = await renameCommitment(db, call, customer, c, p.displayName);
      return armSavingsPlan(renamed, azureId(renamed.billing_subscription_id));
    },
  );
}
