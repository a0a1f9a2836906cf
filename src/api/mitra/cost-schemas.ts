import { type Static, Type } from '@sinclair/typebox';

/** Wire shapes of the customer's cost analysis (GET /api/my/costs): validation, answers, docs. */

const Day = Type.String({ format: 'date', description: 'A UTC day, yyyy-mm-dd' });

const Grouping = (description?: string) =>
  Type.Union(
    [
      Type.Literal('day'),
      Type.Literal('meter'),
      Type.Literal('resourceGroup'),
      Type.Literal('resource'),
      Type.Literal('subscription'),
      Type.Literal('location'),
    ],
    { description },
  );
export type CostGrouping = Static<ReturnType<typeof Grouping>>;

export const CostQueryString = Type.Object(
  {
    preset: Type.Optional(
      Type.Union(
        [
          Type.Literal('thisMonth'),
          Type.Literal('lastMonth'),
          Type.Literal('last30Days'),
          Type.Literal('last90Days'),
        ],
        { description: 'A date range by name (UTC days); or give from and to' },
      ),
    ),
    from: Type.Optional(Type.String({ description: 'First day shown (yyyy-mm-dd), with to' })),
    to: Type.Optional(Type.String({ description: 'Last day shown, inclusive (yyyy-mm-dd)' })),
    subscriptionId: Type.Optional(
      Type.String({
        description: "Mitra's subscription id (GET /api/my/subscriptions); all yours with a role when absent",
      }),
    ),
    resourceGroup: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 90,
        description: 'Resource-group scope (needs subscriptionId)',
      }),
    ),
    groupBy: Type.Optional(
      Grouping(
        'One line per day (the chart), meter, resource group, resource, subscription or location; day by default',
      ),
    ),
    format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
  },
  { additionalProperties: false },
);

const Rate = Type.Union(
  [
    Type.Object({
      base: Type.String(),
      quote: Type.String(),
      rate: Type.String({ description: '1 base = rate quote' }),
      date: Type.String({ format: 'date', description: 'The day the rate is for' }),
    }),
    Type.Null(),
  ],
  { description: 'The one rate every figure was converted at; null when no conversion was needed' },
);

export const CostLineView = Type.Object({
  day: Type.Optional(Day),
  subscriptionId: Type.Optional(Type.String({ description: 'The Azure subscription id' })),
  resourceGroup: Type.Optional(Type.String()),
  resourceId: Type.Optional(Type.String({ description: "ARM resource id; '' when the usage named none" })),
  location: Type.Optional(Type.String()),
  meterCategory: Type.Optional(Type.String()),
  meter: Type.Optional(Type.String()),
  quantity: Type.String({ description: 'Σ quantity in the meter’s unit, full precision' }),
  cost: Type.String({ description: 'In the billing currency, rounded to its minor unit' }),
});

export const CostAnalysis = Type.Object({
  currency: Type.String({ description: "The customer's billing currency" }),
  rate: Rate,
  from: Day,
  to: Type.String({ format: 'date', description: 'Last day shown, inclusive' }),
  groupBy: Grouping(),
  subscriptions: Type.Array(
    Type.Object({ id: Type.String(), azureSubscriptionId: Type.String(), name: Type.String() }),
    { description: 'The subscriptions in scope' },
  ),
  resourceGroup: Type.Union([Type.String(), Type.Null()]),
  total: Type.String({ description: 'Σ of the rounded lines' }),
  rows: Type.Array(CostLineView),
});
