import type { AddressInfo } from 'node:net';
import { BillingManagementClient } from '@azure/arm-billing';
import type { TokenCredential } from '@azure/core-auth';
import { bearerTokenAuthenticationPolicyName } from '@azure/core-rest-pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoId } from '../../src/demo/load.ts';
import { demoWorld, type TestWorld, users } from '../support/app.ts';

const contoso = demoId('contoso');
const fabrikam = demoId('fabrikam');
const adatum = demoId('adatum');
const credential: TokenCredential = {
  getToken: async () => ({ token: 'unused', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

/** Microsoft's billing client, pointed at Mitra over plain HTTP (reference azure-arm-api.md §1.2). */
function billingClient(endpoint: string, token: string) {
  // The subscription id is unused by Microsoft.Billing's account-scoped operations.
  const client = new BillingManagementClient(credential, '00000000-0000-0000-0000-000000000000', {
    endpoint,
    allowInsecureConnection: true,
  });
  client.pipeline.removePolicy({ name: bearerTokenAuthenticationPolicyName });
  client.pipeline.addPolicy({
    name: 'localBearer',
    async sendRequest(req, next) {
      req.headers.set('Authorization', `Bearer ${token}`);
      return next(req);
    },
  });
  return client;
}

describe("@azure/arm-billing against Mitra: the customer's viewCharges policy is its cost switch", () => {
  let world: TestWorld;
  let endpoint: string;
  const client = async (email: string) => billingClient(endpoint, await world.token(email));
  const records = () =>
    world.handle.db
      .selectFrom('audit_records')
      .select(['operation_type', 'operation_status', 'user_principal_name', 'application_id'])
      .where('customer_id', '=', fabrikam)
      .where('resource_type', '=', 'cost_management')
      .orderBy('seq')
      .execute();

  /** An application the Admin agent registers, with its app-only token. */
  async function applicationToken() {
    const reg = await world.app.inject({
      method: 'POST',
      url: '/api/applications',
      headers: await world.as(users.admin),
      payload: { displayName: 'Billing automation' },
    });
    expect(reg.statusCode, reg.body).toBe(201);
    const { clientId, clientSecret } = reg.json();
    const res = await world.app.inject({
      method: 'POST',
      url: '/oauth2/token',
      payload: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: clientSecret,
      }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode, res.body).toBe(200);
    return { token: res.json().access_token as string, clientId: clientId as string };
  }

  beforeAll(async () => {
    world = await demoWorld('pglite');
    await world.app.listen({ port: 0, host: '127.0.0.1' });
    endpoint = `http://127.0.0.1:${(world.app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => world.close());

  it("lists the partner's one billing account, named by its tenant id", async () => {
    const accounts = [];
    for await (const a of (await client(users.admin)).billingAccounts.list()) accounts.push(a);
    expect(accounts).toHaveLength(1);
    expect(accounts[0]).toMatchObject({
      name: contoso,
      id: `/providers/Microsoft.Billing/billingAccounts/${contoso}`,
      type: 'Microsoft.Billing/billingAccounts',
      displayName: expect.stringContaining('Contoso'),
      agreementType: 'MicrosoftPartnerAgreement',
      accountType: 'Partner',
    });
  });

  it('reads NotAllowed by default, an Admin agent sets Allowed, and Mitra’s own API reads it back', async () => {
    const admin = await client(users.admin);
    const before = await admin.policies.getByCustomer(contoso, fabrikam);
    expect(before).toMatchObject({
      name: 'default',
      id: `/providers/Microsoft.Billing/billingAccounts/${contoso}/customers/${fabrikam}/policies/default`,
      viewCharges: 'NotAllowed',
    });

    const updated = await admin.policies.updateCustomer(contoso, fabrikam, { viewCharges: 'Allowed' });
    expect(updated.viewCharges).toBe('Allowed');
    expect((await admin.policies.getByCustomer(contoso, fabrikam)).viewCharges).toBe('Allowed');

    const mitra = await world.app.inject({
      method: 'GET',
      url: `/api/customers/${fabrikam}/cost-management`,
      headers: await world.as(users.sales),
    });
    expect(mitra.statusCode, mitra.body).toBe(200);
    expect(mitra.json()).toMatchObject({ enabled: true, changedBy: users.admin });
    expect(await records()).toEqual([
      {
        operation_type: 'enable_customer_cost_management',
        operation_status: 'succeeded',
        user_principal_name: users.admin,
        application_id: null,
      },
    ]);
  });

  it("an Admin agent's application reads and switches it too, recorded under the application", async () => {
    const app = await applicationToken();
    const automation = billingClient(endpoint, app.token);
    expect((await automation.policies.getByCustomer(contoso, fabrikam)).viewCharges).toBe('Allowed');
    const off = await automation.policies.updateCustomer(contoso, fabrikam, { viewCharges: 'NotAllowed' });
    expect(off.viewCharges).toBe('NotAllowed');
    const last = (await records()).at(-1);
    expect(last).toMatchObject({
      operation_type: 'disable_customer_cost_management',
      operation_status: 'succeeded',
      application_id: app.clientId,
    });
  });

  it('a Sales agent is refused in ARM’s error shape (403), and the refusal is recorded', async () => {
    const before = (await records()).length;
    const error = await (await client(users.sales)).policies
      .updateCustomer(contoso, fabrikam, { viewCharges: 'Allowed' })
      .catch((e) => e);
    expect(error.statusCode).toBe(403);
    expect(error.code).toBe('AdminAgentRequired');
    expect(error.message).toMatch(/Admin agent/i);
    const refused = (await records()).slice(before);
    expect(refused).toEqual([
      {
        operation_type: 'enable_customer_cost_management',
        operation_status: 'decline',
        user_principal_name: users.sales,
        application_id: null,
      },
    ]);
    expect((await (await client(users.admin)).policies.getByCustomer(contoso, fabrikam)).viewCharges).toBe(
      'NotAllowed',
    );
  });

  it("another partner's customer, or another partner's billing account, is not found (404, ARM shape)", async () => {
    const admin = await client(users.admin);
    const before = (await records()).length;
    for (const attempt of [
      admin.policies.getByCustomer(contoso, adatum),
      admin.policies.updateCustomer(contoso, adatum, { viewCharges: 'Allowed' }),
    ]) {
      const error = await attempt.catch((e) => e);
      expect(error.statusCode).toBe(404);
      expect(error.code).toBe('CustomerNotFound');
    }
    const litware = await client(users.litwareAdmin);
    const foreign = await litware.policies.getByCustomer(contoso, fabrikam).catch((e) => e);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.code).toBe('BillingAccountNotFound');
    expect((await records()).length).toBe(before);
  });

  it('answers a raw request without api-version, or a bad viewCharges, with ARM errors (400)', async () => {
    const headers = await world.as(users.admin);
    const url = `/providers/Microsoft.Billing/billingAccounts/${contoso}/customers/${fabrikam}/policies/default`;
    const missing = await world.app.inject({ method: 'GET', url, headers });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe('MissingApiVersionParameter');
    const bad = await world.app.inject({
      method: 'PUT',
      url: `${url}?api-version=2020-05-01`,
      headers,
      payload: { properties: { viewCharges: 'Sometimes' } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'InvalidRequest' });
    const customer = await world.app.inject({
      method: 'GET',
      url: `${url}?api-version=2020-05-01`,
      headers: await world.as(users.fabrikamOwner),
    });
    expect(customer.statusCode).toBe(403);
    expect(customer.json().error.code).toBeTruthy();
  });
});
