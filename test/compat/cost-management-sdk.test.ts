import type { AddressInfo } from 'node:net';
import { CostManagementClient, type QueryDefinition } from '@azure/arm-costmanagement';
import type { TokenCredential } from '@azure/core-auth';
import {
  bearerTokenAuthenticationPolicyName,
  createHttpHeaders,
  createPipelineRequest,
} from '@azure/core-rest-pipeline';
import Big from 'big.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoId, loadDemoCommitments } from '../../src/demo/load.ts';
import { addDays, dayOf } from '../../src/domain/customer-costs.ts';
import { inlineApply } from '../../src/jobs/engine-pool.ts';
import { demoWorld, type TestWorld, users } from '../support/app.ts';

const fabrikamAzure = demoId('fabrikam-azure-subscription');
const credential: TokenCredential = {
  getToken: async () => ({ token: 'unused', expiresOnTimestamp: Date.now() + 3_600_000 }),
};
const today = dayOf(new Date());
const from = addDays(today, -4);
const timePeriod = { from: new Date(`${from}T00:00:00Z`), to: new Date(`${today}T23:59:59Z`) };
const cost = { totalCost: { name: 'PreTaxCost', function: 'Sum' as const } };

/** Microsoft's @azure/arm-costmanagement (api-version 2022-10-01) against Mitra over plain HTTP. */
describe('@azure/arm-costmanagement against Mitra', () => {
  let world: TestWorld;
  let endpoint: string;
  const client = async (email: string) => {
    const token = await world.token(email);
    const c = new CostManagementClient(credential, { endpoint, allowInsecureConnection: true });
    c.pipeline.removePolicy({ name: bearerTokenAuthenticationPolicyName });
    c.pipeline.addPolicy({
      name: 'localBearer',
      async sendRequest(req, next) {
        req.headers.set('Authorization', `Bearer ${token}`);
        return next(req);
      },
    });
    return c;
  };
  const byResourceGroup: QueryDefinition = {
    type: 'ActualCost',
    timeframe: 'Custom',
    timePeriod,
    dataset: {
      granularity: 'Daily',
      aggregation: cost,
      grouping: [{ type: 'Dimension', name: 'ResourceGroup' }],
    },
  };

  beforeAll(async () => {
    world = await demoWorld('pglite', { usageDays: 5 });
    await loadDemoCommitments(world.handle.db, inlineApply(), { usageDays: 5 });
    await world.app.listen({ port: 0, host: '127.0.0.1' });
    endpoint = `http://127.0.0.1:${(world.app.server.address() as AddressInfo).port}`;
  }, 300_000);
  afterAll(() => world.close());

  it('refuses while the provider has not enabled cost management, naming the provider', async () => {
    const c = await client(users.fabrikamOwner);
    const error = await c.query.usage(`subscriptions/${fabrikamAzure}`, byResourceGroup).catch((e) => e);
    expect(error.statusCode).toBe(403);
    expect(error.code).toBe('CostManagementDisabled');
    expect(error.message).toMatch(/Contoso Cloud Partner, has not enabled cost management/);
  });

  it('daily cost by resource group: columns, UsageDate as yyyymmdd, the billing currency', async () => {
    const on = await world.app.inject({
      method: 'PUT',
      url: `/api/customers/${demoId('fabrikam')}/cost-management`,
      headers: await world.as(users.admin),
      payload: { enabled: true },
    });
    expect(on.statusCode).toBe(200);
    const c = await client(users.fabrikamReader);
    const result = await c.query.usage(`subscriptions/${fabrikamAzure}`, byResourceGroup);
    expect(result.columns).toEqual([
      { name: 'PreTaxCost', type: 'Number' },
      { name: 'ResourceGroup', type: 'String' },
      { name: 'UsageDate', type: 'Number' },
      { name: 'Currency', type: 'String' },
    ]);
    expect(result.nextLink ?? null).toBeNull();
    expect(result.rows!.length).toBeGreaterThan(3);
    const first = Number(from.replaceAll('-', ''));
    const last = Number(today.replaceAll('-', ''));
    for (const [amount, rg, day, currency] of result.rows!) {
      expect(typeof amount).toBe('number');
      expect(typeof rg).toBe('string');
      expect(day).toBeGreaterThanOrEqual(first);
      expect(day).toBeLessThanOrEqual(last);
      expect(currency).toBe('IDR');
    }
    // The portal's API shows the same figures (one service behind both).
    const mine = await world.app.inject({
      method: 'GET',
      url: `/api/my/costs?from=${from}&to=${today}&subscriptionId=${demoId('fabrikam-subscription')}&groupBy=resourceGroup`,
      headers: await world.as(users.fabrikamReader),
    });
    const none = await c.query.usage(`/subscriptions/${fabrikamAzure}`, {
      ...byResourceGroup,
      type: 'AmortizedCost',
      dataset: { ...byResourceGroup.dataset, granularity: 'None' as 'Daily' },
    });
    expect(none.columns!.map((col) => col.name)).toEqual(['PreTaxCost', 'ResourceGroup', 'Currency']);
    expect(new Map(none.rows!.map((r) => [r[1], r[0]]))).toEqual(
      new Map(
        mine
          .json()
          .rows.map((r: { resourceGroup: string; cost: string }) => [r.resourceGroup, Number(r.cost)]),
      ),
    );
  });

  it('a dimension filter, resource-group scope, and paging through nextLink', async () => {
    const c = await client(users.fabrikamOwner);
    const all = await c.query.usage(`subscriptions/${fabrikamAzure}`, {
      ...byResourceGroup,
      dataset: { ...byResourceGroup.dataset, granularity: 'None' as 'Daily' },
    });
    const [rg] = all.rows!.map((r) => r[1] as string);
    const filtered = await c.query.usage(`subscriptions/${fabrikamAzure}`, {
      ...byResourceGroup,
      dataset: {
        ...byResourceGroup.dataset,
        grouping: [
          { type: 'Dimension', name: 'ResourceGroupName' },
          { type: 'Dimension', name: 'MeterCategory' },
        ],
        filter: {
          and: [
            { dimensions: { name: 'ResourceGroupName', operator: 'In', values: [rg.toUpperCase()] } },
            {
              or: [
                {
                  dimensions: {
                    name: 'ServiceName',
                    operator: 'In',
                    values: ['Virtual Machines', 'Storage'],
                  },
                },
              ],
            },
          ],
        },
      },
    });
    expect(filtered.rows!.length).toBeGreaterThan(0);
    for (const r of filtered.rows!) {
      expect(r[1]).toBe(rg);
      expect(['Virtual Machines', 'Storage']).toContain(r[2]);
    }
    const scoped = await c.query.usage(`subscriptions/${fabrikamAzure}/resourceGroups/${rg}`, {
      ...byResourceGroup,
      dataset: { granularity: 'None' as 'Daily', aggregation: cost },
    });
    expect(scoped.rows).toEqual([[all.rows!.find((r) => r[1] === rg)![0], 'IDR']]);

    // Three rows a page: follow nextLink (the query's body POSTed again) through the SDK's pipeline.
    world.app.deps.costQueryPageSize = 3;
    try {
      const whole = { ...byResourceGroup, dataset: { ...byResourceGroup.dataset } };
      const page1 = await c.query.usage(`subscriptions/${fabrikamAzure}`, whole);
      expect(page1.rows).toHaveLength(3);
      const rows = [...page1.rows!];
      let next = page1.nextLink;
      let pages = 1;
      while (next) {
        expect(next).toMatch(/\$skiptoken=/);
        const res = await c.sendRequest(
          createPipelineRequest({
            url: next,
            method: 'POST',
            allowInsecureConnection: true,
            headers: createHttpHeaders({ 'content-type': 'application/json' }),
            body: JSON.stringify({
              ...whole,
              timePeriod: { from: `${from}T00:00:00Z`, to: `${today}T23:59:59Z` },
            }),
          }),
        );
        expect(res.status).toBe(200);
        const body = JSON.parse(res.bodyAsText!);
        rows.push(...body.properties.rows);
        next = body.properties.nextLink;
        pages += 1;
      }
      world.app.deps.costQueryPageSize = undefined;
      const unpaged = await c.query.usage(`subscriptions/${fabrikamAzure}`, whole);
      expect(pages).toBe(Math.ceil(unpaged.rows!.length / 3));
      expect(rows).toEqual(unpaged.rows);
      const total = rows.reduce((s, r) => s.plus(r[0]), new Big(0));
      expect(total.gt(0)).toBe(true);
    } finally {
      world.app.deps.costQueryPageSize = undefined;
    }
  });

  it('answers what it does not support in ARM error shape, and another subscription is not found', async () => {
    const c = await client(users.fabrikamOwner);
    const tag = await c.query
      .usage(`subscriptions/${fabrikamAzure}`, {
        ...byResourceGroup,
        dataset: { ...byResourceGroup.dataset, grouping: [{ type: 'TagKey', name: 'env' }] },
      })
      .catch((e) => e);
    expect(tag.statusCode).toBe(400);
    expect(tag.code).toBe('InvalidGrouping');
    const other = await c.query
      .usage(`subscriptions/${demoId('adatum-azure-subscription')}`, byResourceGroup)
      .catch((e) => e);
    expect(other.statusCode).toBe(404);
    expect(other.code).toBe('SubscriptionNotFound');
    const version = await world.app.inject({
      method: 'POST',
      url: `/subscriptions/${fabrikamAzure}/providers/Microsoft.CostManagement/query?api-version=2017-01-01`,
      headers: await world.as(users.fabrikamOwner),
      payload: { type: 'ActualCost', timeframe: 'MonthToDate' },
    });
    expect(version.statusCode).toBe(400);
    expect(version.json().error.code).toBe('InvalidApiVersionParameter');
  });
});
