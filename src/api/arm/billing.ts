import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { invalid } from '../../domain/errors.ts';
import {
  type BillingAccount,
  billingAccountsOf,
  ownBillingAccount,
} from '../../services/billing-accounts.ts';
import { costManagementOf, setCostManagement } from '../../services/cost-management.ts';

/**
 * Microsoft.Billing for partners (api-version 2020-05-01, as @azure/arm-billing calls it): the
 * partner's billing account, and each customer's billing policy `viewCharges`, which is the
 * customer's cost management switch (R17) under the name the cloud gives it. Reads and writes go
 * through the same service as PUT /api/customers/{id}/cost-management: same refusals, same records.
 */

const tags = ['arm: Microsoft.Billing'];
const B = '/providers/Microsoft.Billing/billingAccounts';
const apiVersion = '2020-05-01';

const Query = Type.Object({ 'api-version': Type.Optional(Type.String()) });
const PolicyParams = Type.Object({ billingAccount: Type.String(), customerId: Type.String() });
const ViewCharges = Type.Union([Type.Literal('Allowed'), Type.Literal('NotAllowed')]);
// ARM clients may echo id, name and type back; only properties.viewCharges is read.
const PolicyBody = Type.Object(
  { properties: Type.Object({ viewCharges: ViewCharges }, { additionalProperties: true }) },
  { additionalProperties: true },
);

const ArmBillingAccount = Type.Object({
  id: Type.String(),
  name: Type.String(),
  type: Type.Literal('Microsoft.Billing/billingAccounts'),
  properties: Type.Object({
    displayName: Type.String(),
    agreementType: Type.Literal('MicrosoftPartnerAgreement'),
    accountType: Type.Literal('Partner'),
    accountStatus: Type.Literal('Active'),
    hasReadAccess: Type.Boolean(),
  }),
});
const ArmCustomerPolicy = Type.Object({
  id: Type.String(),
  name: Type.Literal('default'),
  type: Type.Literal('Microsoft.Billing/billingAccounts/customers/policies'),
  properties: Type.Object({ viewCharges: ViewCharges }),
});

function requireVersion(query: { 'api-version'?: string }) {
  const version = query['api-version'];
  if (!version)
    throw invalid(
      'missing-api-version-parameter',
      `The api-version query parameter (?api-version=) is required for all requests, for example api-version=${apiVersion}.`,
    );
  if (version !== apiVersion)
    throw invalid(
      'invalid-api-version-parameter',
      `Microsoft.Billing policies are served for api-version=${apiVersion}; send that version.`,
    );
}

const accountResource = (a: BillingAccount) => ({
  id: `${B}/${a.name}`,
  name: a.name,
  type: 'Microsoft.Billing/billingAccounts' as const,
  properties: {
    displayName: a.displayName,
    agreementType: 'MicrosoftPartnerAgreement' as const,
    accountType: 'Partner' as const,
    accountStatus: 'Active' as const,
    hasReadAccess: true,
  },
});

const policyResource = (account: string, customerId: string, enabled: boolean) => ({
  id: `${B}/${account}/customers/${customerId}/policies/default`,
  name: 'default' as const,
  type: 'Microsoft.Billing/billingAccounts/customers/policies' as const,
  properties: { viewCharges: enabled ? ('Allowed' as const) : ('NotAllowed' as const) },
});

export async function billingRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.deps;

  app.get(
    B,
    {
      config: { policy: 'partnerRead' },
      schema: {
        tags,
        summary: "The partner's billing account (named by its tenant id)",
        querystring: Query,
        response: { 200: Type.Object({ value: Type.Array(ArmBillingAccount) }) },
      },
    },
    async (request) => {
      requireVersion(request.query);
      return { value: (await billingAccountsOf(db, request.call())).map(accountResource) };
    },
  );

  app.get(
    `${B}/:billingAccount/customers/:customerId/policies/default`,
    {
      config: { policy: 'partnerRead' },
      schema: {
        tags,
        summary: "A customer's billing policy: viewCharges is its cost management switch (R17)",
        params: PolicyParams,
        querystring: Query,
        response: { 200: ArmCustomerPolicy },
      },
    },
    async (request) => {
      requireVersion(request.query);
      const call = request.call();
      const account = await ownBillingAccount(db, call, request.params.billingAccount);
      const state = await costManagementOf(db, call, request.params.customerId);
      return policyResource(account.name, request.params.customerId.toLowerCase(), state.enabled);
    },
  );

  app.put(
    `${B}/:billingAccount/customers/:customerId/policies/default`,
    {
      config: { policy: 'costManagementAttempt' },
      schema: {
        tags,
        summary:
          "Set a customer's viewCharges (Admin agents; refusals are recorded; the same value again changes nothing)",
        params: PolicyParams,
        querystring: Query,
        body: PolicyBody,
        response: { 200: ArmCustomerPolicy },
      },
    },
    async (request) => {
      requireVersion(request.query);
      const call = request.call();
      const account = await ownBillingAccount(db, call, request.params.billingAccount);
      const state = await setCostManagement(
        db,
        call,
        request.params.customerId,
        request.body.properties.viewCharges === 'Allowed',
      );
      return policyResource(account.name, request.params.customerId.toLowerCase(), state.enabled);
    },
  );
}
