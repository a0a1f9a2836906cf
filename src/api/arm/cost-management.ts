import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import {
  armTimeframeRange,
  type CostDimension,
  type CostFilter,
  type CostLine,
  namingProvider,
} from '../../domain/customer-costs.ts';
import { invalid, MitraError } from '../../domain/errors.ts';
import { customerCosts } from '../../services/customer-costs.ts';
import {
  type ArmQueryFilter,
  QueryDefinition,
  QueryParams,
  QueryQuerystring,
  QueryResult,
} from './cost-management-schemas.ts';

const tags = ['arm: Microsoft.CostManagement'];

/** What Microsoft's clients send: the JS SDK 2022-10-01, the .NET and Python defaults, the portal's. */
export const costManagementApiVersions = [
  '2019-11-01',
  '2021-10-01',
  '2022-10-01',
  '2023-03-01',
  '2023-08-01',
  '2023-11-01',
  '2024-08-01',
  '2025-03-01',
];

/**
 * ARM dimension names → the rollups' dimensions. MeterCategory/ServiceName is the service
 * (Virtual Machines, Storage …); Meter/MeterSubCategory is the meter's SKU; ChargeType is always
 * Usage here (R18: no purchase rows), so it is answered without a column.
 */
const dimensionOf: Record<string, CostDimension | 'chargeType'> = {
  resourcegroup: 'resourceGroup',
  resourcegroupname: 'resourceGroup',
  resourceid: 'resource',
  resourcelocation: 'location',
  metercategory: 'meterCategory',
  servicename: 'meterCategory',
  meter: 'meter',
  metersubcategory: 'meter',
  subscriptionid: 'subscription',
  chargetype: 'chargeType',
};
const dimensionNames =
  'ResourceGroup, ResourceGroupName, ResourceId, ResourceLocation, MeterCategory, ServiceName, Meter, MeterSubCategory, SubscriptionId, ChargeType';

function dimension(name: string) {
  const d = dimensionOf[name.toLowerCase()];
  if (!d)
    throw invalid('invalid-dimension', `Dimension "${name}" is not supported; use one of ${dimensionNames}.`);
  return d;
}

/** ARM's filter → the view's; tags match nothing (Mitra keeps no resource tags). */
function filterOf(f: ArmQueryFilter): CostFilter {
  const parts: CostFilter[] = [];
  if (f.and) parts.push({ and: f.and.map(filterOf) });
  if (f.or) parts.push({ or: f.or.map(filterOf) });
  if (f.not) parts.push({ not: filterOf(f.not) });
  for (const c of [f.dimensions, f.tags]) {
    if (c && c.operator.toLowerCase() !== 'in')
      throw invalid('invalid-filter-operator', `Filter operator "${c.operator}" is not supported; use In.`);
  }
  if (f.tags) parts.push({ nothing: true });
  if (f.dimensions) {
    const d = dimension(f.dimensions.name);
    parts.push(
      d === 'chargeType'
        ? f.dimensions.values.some((v) => v.toLowerCase() === 'usage')
          ? { and: [] }
          : { nothing: true }
        : { in: { dimension: d, values: f.dimensions.values } },
    );
  }
  if (parts.length !== 1)
    throw invalid(
      'invalid-filter',
      'Each filter expression has exactly one of and, or, not, dimensions or tags.',
    );
  return parts[0];
}

const aggregationColumns = { pretaxcost: 'cost', cost: 'cost', usagequantity: 'quantity' } as const;

function armQuery(body: typeof QueryDefinition.static) {
  const type = body.type.toLowerCase();
  if (!['actualcost', 'amortizedcost', 'usage'].includes(type))
    throw invalid(
      'invalid-query-type',
      `type "${body.type}" is not supported; use ActualCost, AmortizedCost or Usage.`,
    );
  const dataset = body.dataset ?? {};
  const granularity = (dataset.granularity ?? 'None').toLowerCase();
  if (!['daily', 'none'].includes(granularity))
    throw invalid(
      'invalid-granularity',
      `granularity "${dataset.granularity}" is not supported; use Daily or None.`,
    );
  const aggregation = Object.entries(
    dataset.aggregation ?? { totalCost: { name: 'PreTaxCost', function: 'Sum' } },
  ).map(([alias, a]) => {
    if (a.function.toLowerCase() !== 'sum')
      throw invalid('invalid-aggregation', `Aggregation function "${a.function}" is not supported; use Sum.`);
    const column = aggregationColumns[a.name.toLowerCase() as keyof typeof aggregationColumns];
    if (!column)
      throw invalid(
        'invalid-aggregation',
        `Aggregation "${a.name}" is not supported; use PreTaxCost, Cost or UsageQuantity.`,
      );
    // ARM names the column after the aggregated field (PreTaxCost), not the request's alias.
    return { alias, name: a.name, column };
  });
  const grouping = (dataset.grouping ?? []).map((g) => {
    if (g.type.toLowerCase() !== 'dimension')
      throw invalid(
        'invalid-grouping',
        `Grouping type "${g.type}" is not supported (Mitra keeps no tags); use Dimension.`,
      );
    return { name: g.name, dimension: dimension(g.name) };
  });
  return {
    daily: granularity === 'daily',
    aggregation,
    grouping,
    filter: dataset.filter ? filterOf(dataset.filter) : undefined,
  };
}

const skipOf = (token: string | undefined) => {
  if (token === undefined) return 0;
  const n = Number(Buffer.from(token, 'base64url').toString());
  if (!Number.isInteger(n) || n < 0)
    throw invalid('invalid-skiptoken', 'The $skiptoken is not one this server gave; start the query again.');
  return n;
};

function nextLinkOf(request: FastifyRequest, offset: number) {
  const url = new URL(request.url, `${request.protocol}://${request.host}`);
  url.searchParams.delete('$skiptoken');
  // ARM writes $skiptoken unencoded; URLSearchParams would write %24skiptoken.
  const token = Buffer.from(String(offset)).toString('base64url');
  return `${url.origin}${url.pathname}?${url.searchParams}&$skiptoken=${token}`;
}

/**
 * ARM's cost query (reference §6) for a customer user at subscription and resource-group scope:
 * the same service and figures as the portal's cost analysis. Columns: the aggregations, the
 * groupings, UsageDate (yyyymmdd, Daily only), Currency; no data is 200 with no rows.
 */
export const costManagementQueryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;
  const paths = [
    '/subscriptions/:subscriptionId/providers/Microsoft.CostManagement/query',
    '/subscriptions/:subscriptionId/resourceGroups/:resourceGroupName/providers/Microsoft.CostManagement/query',
  ];
  for (const path of paths) {
    app.post(
      path,
      {
        config: { policy: 'customerSelf' },
        schema: {
          tags,
          summary: `Query your costs at ${path.includes('resourceGroups') ? 'resource-group' : 'subscription'} scope (pay-as-you-go retail, your billing currency)`,
          params: QueryParams,
          querystring: QueryQuerystring,
          body: QueryDefinition,
          response: { 200: QueryResult },
        },
      },
      async (request) => {
        const version = request.query['api-version'];
        if (!version)
          throw invalid(
            'missing-api-version-parameter',
            'The api-version query parameter (?api-version=) is required for all requests, for example api-version=2022-10-01.',
          );
        if (!costManagementApiVersions.includes(version))
          throw invalid(
            'invalid-api-version-parameter',
            `The api-version '${version}' is invalid. The supported versions are '${costManagementApiVersions.join(',')}'.`,
          );
        const call = request.call();
        const q = armQuery(request.body);
        const { subscriptionId, resourceGroupName } = request.params;
        const dimensions = [
          ...new Set(
            q.grouping.map((g) => g.dimension).filter((d): d is CostDimension => d !== 'chargeType'),
          ),
        ];
        const view = await customerCosts(db, call, {
          range: armTimeframeRange(request.body.timeframe, request.body.timePeriod, call.now ?? new Date()),
          subscription: { azureSubscriptionId: subscriptionId },
          resourceGroup: resourceGroupName,
          groupBy: dimensions,
          daily: q.daily,
          filter: q.filter,
        }).catch((error) => {
          throw error instanceof MitraError && error.code === 'cost-management-disabled'
            ? namingProvider(error)
            : error;
        });
        const row = (l: CostLine) => [
          ...q.aggregation.map((a) => (a.column === 'cost' ? Number(l.cost) : Number(l.quantity))),
          ...q.grouping.map((g) => (g.dimension === 'chargeType' ? 'Usage' : (l.keys[g.dimension] ?? ''))),
          ...(q.daily && l.day ? [Number(l.day.replaceAll('-', ''))] : []),
          view.currency,
        ];
        const pageSize = app.deps.costQueryPageSize ?? 1000;
        const skip = skipOf(request.query.$skiptoken);
        const page = view.lines.slice(skip, skip + pageSize);
        const scope = `subscriptions/${subscriptionId}${resourceGroupName ? `/resourceGroups/${resourceGroupName}` : ''}`;
        const name = randomUUID();
        return {
          id: `${scope}/providers/Microsoft.CostManagement/query/${name}`,
          name,
          type: 'microsoft.costmanagement/Query',
          location: null,
          sku: null,
          eTag: null,
          properties: {
            nextLink: skip + pageSize < view.lines.length ? nextLinkOf(request, skip + pageSize) : null,
            columns: [
              ...q.aggregation.map((a) => ({ name: a.name, type: 'Number' })),
              ...q.grouping.map((g) => ({ name: g.name, type: 'String' })),
              ...(q.daily ? [{ name: 'UsageDate', type: 'Number' }] : []),
              { name: 'Currency', type: 'String' },
            ],
            rows: page.map(row),
          },
        };
      },
    );
  }
};
