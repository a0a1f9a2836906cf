import { type Static, Type } from '@sinclair/typebox';

/**
 * ARM's Microsoft.CostManagement query body as `@azure/arm-costmanagement` sends it (QueryDefinition,
 * reference azure-arm-api.md §6). Enum values are checked by the route, case-insensitively as ARM
 * does, so a wrong value answers with a sentence that lists the right ones.
 */

const Comparison = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    operator: Type.String({ description: 'In' }),
    values: Type.Array(Type.String(), { maxItems: 1000 }),
  },
  { additionalProperties: true },
);

/**
 * Filters nest up to three levels (and / or / not of and / or / not of comparisons), which covers
 * what the portal and the SDK's examples send. Written out level by level rather than as a
 * recursive schema, so the handler's type comes from the schema like every other route's.
 */
const Leaf = { dimensions: Type.Optional(Comparison), tags: Type.Optional(Comparison) };
const level = <T extends ReturnType<typeof Type.Object>>(inner: T) =>
  Type.Object(
    {
      and: Type.Optional(Type.Array(inner, { maxItems: 50 })),
      or: Type.Optional(Type.Array(inner, { maxItems: 50 })),
      not: Type.Optional(inner),
      ...Leaf,
    },
    { additionalProperties: true },
  );
const Level0 = Type.Object(Leaf, { additionalProperties: true });
export const QueryFilter = level(level(level(Level0)));

/** Any level of a filter, as the route walks it. */
export interface ArmQueryFilter {
  and?: ArmQueryFilter[];
  or?: ArmQueryFilter[];
  not?: ArmQueryFilter;
  dimensions?: Static<typeof Comparison>;
  tags?: Static<typeof Comparison>;
}

export const QueryDefinition = Type.Object(
  {
    type: Type.String({
      description: 'ActualCost, AmortizedCost or Usage (for a customer all three are the same figures, R18)',
    }),
    timeframe: Type.String({
      description: 'MonthToDate, BillingMonthToDate, TheLastMonth, TheLastBillingMonth, WeekToDate or Custom',
    }),
    timePeriod: Type.Optional(
      Type.Object(
        { from: Type.String(), to: Type.String({ description: 'Inclusive: the day it falls on is shown' }) },
        { additionalProperties: true },
      ),
    ),
    dataset: Type.Optional(
      Type.Object(
        {
          granularity: Type.Optional(Type.String({ description: 'Daily or None' })),
          configuration: Type.Optional(Type.Object({}, { additionalProperties: true })),
          aggregation: Type.Optional(
            Type.Record(
              Type.String(),
              Type.Object(
                {
                  name: Type.String({ description: 'PreTaxCost, Cost or UsageQuantity' }),
                  function: Type.String({ description: 'Sum' }),
                },
                { additionalProperties: true },
              ),
            ),
          ),
          grouping: Type.Optional(
            Type.Array(
              Type.Object({ type: Type.String(), name: Type.String() }, { additionalProperties: true }),
              { maxItems: 10 },
            ),
          ),
          filter: Type.Optional(QueryFilter),
        },
        { additionalProperties: true },
      ),
    ),
  },
  { additionalProperties: true },
);

export const QueryParams = Type.Object({
  subscriptionId: Type.String(),
  resourceGroupName: Type.Optional(Type.String()),
});

export const QueryQuerystring = Type.Object(
  {
    'api-version': Type.Optional(Type.String()),
    $skiptoken: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);

export const QueryResult = Type.Object({
  id: Type.String(),
  name: Type.String(),
  type: Type.String(),
  location: Type.Null(),
  sku: Type.Null(),
  eTag: Type.Null(),
  properties: Type.Object({
    nextLink: Type.Union([Type.String(), Type.Null()]),
    columns: Type.Array(Type.Object({ name: Type.String(), type: Type.String() })),
    rows: Type.Array(Type.Array(Type.Union([Type.Number(), Type.String()]))),
  }),
});
