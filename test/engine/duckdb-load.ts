import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import type { BenefitInput, CommitmentInput, UsageRowInput } from '../../src/engine/types.ts';

/**
 * Loads contract inputs into DuckDB as they are (strings and all) and resolves them in SQL:
 * case folding, the ratio table (read by DuckDB itself from the CSV), flexibility defaults,
 * timestamps, terms. Each case is one customer.
 */
export interface OracleCase {
  customer: string;
  input: BenefitInput;
}

type Cell = string | number | boolean | null | undefined;

function append(appender: DuckDBAppender, cells: Cell[]): void {
  for (const v of cells) {
    if (v === null || v === undefined) appender.appendNull();
    else if (typeof v === 'string') appender.appendVarchar(v);
    else if (typeof v === 'boolean') appender.appendBoolean(v);
    else appender.appendDouble(v);
  }
  appender.endRow();
}

const usageCells = (customer: string, r: UsageRowInput): Cell[] => [
  customer,
  r.rowId,
  r.hour,
  r.subscription,
  r.resourceGroup,
  r.region,
  r.reservedResourceType,
  r.sku,
  r.isfGroup,
  r.skuRatio,
  r.quantity,
  r.paygUnitPrice,
  r.spUnitPrice?.P1Y,
  r.spUnitPrice?.P3Y,
  r.benefitEligible,
];

function commitmentCells(customer: string, cidx: number, c: CommitmentInput): Cell[] {
  const s = c.scope as Record<string, string | undefined>;
  const r = c.type === 'reservation' ? c : undefined;
  return [
    customer,
    cidx,
    c.id,
    c.type,
    r?.reservedResourceType,
    r?.sku,
    r?.region,
    r?.isfGroup,
    r?.skuRatio,
    r?.instanceFlexibility,
    r?.quantity,
    c.term,
    c.purchaseDate,
    s.type,
    s.subscription,
    s.resourceGroup,
    s.managementGroup,
    r?.amortizedHourlyCost,
    c.type === 'savingsPlan' ? c.hourlyCommitment : undefined,
  ];
}

export async function loadCases(db: DuckDBConnection, cases: readonly OracleCase[], ratiosPath: string) {
  await createRawTables(db);
  const usage = await db.createAppender('raw_usage');
  const commitments = await db.createAppender('raw_commitments');
  const mgs = await db.createAppender('raw_mg');
  const hours = await db.createAppender('raw_hours');
  let cidx = 0;
  for (const { customer, input } of cases) {
    for (const r of input.usage) append(usage, usageCells(customer, r));
    for (const c of input.commitments ?? []) append(commitments, commitmentCells(customer, cidx++, c));
    for (const [mg, subs] of Object.entries(input.context?.managementGroups ?? {})) {
      for (const s of subs) append(mgs, [customer, mg, s]);
    }
    for (const h of input.hours ?? []) append(hours, [customer, h]);
  }
  for (const a of [usage, commitments, mgs, hours]) a.closeSync();
  await resolveRawTables(db, ratiosPath);
}

/**
 * The streaming mode's files as the oracle's raw tables: `usage.csv` through DuckDB's own CSV
 * reader (its default threads), commitments and management groups from the parsed JSON.
 */
export async function loadFiles(
  db: DuckDBConnection,
  usagePath: string,
  commitments: readonly CommitmentInput[],
  managementGroups: Record<string, string[]>,
  ratiosPath: string,
) {
  await createRawTables(db);
  const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;
  await db.run(`
    CREATE OR REPLACE TABLE raw_usage AS
      SELECT customer, rowId AS row_id, hour AS hour_text, subscription, resourceGroup AS resource_group, region,
             reservedResourceType AS rtype, sku, isfGroup AS isf_group, skuRatio AS sku_ratio, quantity,
             paygUnitPrice AS payg, spUnitPriceP1Y AS sp1, spUnitPriceP3Y AS sp3, benefitEligible AS eligible
      FROM read_csv(${quote(usagePath)}, header = true, columns = {
        'customer': 'VARCHAR', 'rowId': 'VARCHAR', 'hour': 'VARCHAR', 'subscription': 'VARCHAR',
        'resourceGroup': 'VARCHAR', 'region': 'VARCHAR', 'reservedResourceType': 'VARCHAR', 'sku': 'VARCHAR',
        'isfGroup': 'VARCHAR', 'skuRatio': 'DOUBLE', 'quantity': 'DOUBLE', 'paygUnitPrice': 'DOUBLE',
        'spUnitPriceP1Y': 'DOUBLE', 'spUnitPriceP3Y': 'DOUBLE', 'benefitEligible': 'BOOLEAN'});
  `);
  const c = await db.createAppender('raw_commitments');
  commitments.forEach((x, cidx) => {
    append(c, commitmentCells(x.customer ?? '', cidx, x));
  });
  c.closeSync();
  const mgs = await db.createAppender('raw_mg');
  // One map for all customers, as the engine reads it: each group under the customers whose
  // commitments name it (the table is made distinct when resolved).
  for (const x of commitments) {
    const scope = x.scope as { type: string; managementGroup?: string };
    if (scope.type !== 'ManagementGroup' || !scope.managementGroup) continue;
    for (const s of managementGroups[scope.managementGroup] ?? [])
      append(mgs, [x.customer ?? '', scope.managementGroup, s]);
  }
  mgs.closeSync();
  await resolveRawTables(db, ratiosPath);
}

async function createRawTables(db: DuckDBConnection) {
  await db.run(`
    CREATE OR REPLACE TABLE raw_usage (customer VARCHAR, row_id VARCHAR, hour_text VARCHAR, subscription VARCHAR,
      resource_group VARCHAR, region VARCHAR, rtype VARCHAR, sku VARCHAR, isf_group VARCHAR, sku_ratio DOUBLE,
      quantity DOUBLE, payg DOUBLE, sp1 DOUBLE, sp3 DOUBLE, eligible BOOLEAN);
    CREATE OR REPLACE TABLE raw_commitments (customer VARCHAR, cidx DOUBLE, id VARCHAR, type VARCHAR, rtype VARCHAR,
      sku VARCHAR, region VARCHAR, isf_group VARCHAR, sku_ratio DOUBLE, isf VARCHAR, quantity DOUBLE, term VARCHAR,
      purchase_date VARCHAR, scope_type VARCHAR, scope_sub VARCHAR, scope_rg VARCHAR, scope_mg VARCHAR,
      amortized_hourly DOUBLE, hourly_commitment DOUBLE);
    CREATE OR REPLACE TABLE raw_mg (customer VARCHAR, mg VARCHAR, subscription VARCHAR);
    CREATE OR REPLACE TABLE raw_hours (customer VARCHAR, hour_text VARCHAR);
  `);
}

/** Case folding, the ratio table, defaults, timestamps and terms, in SQL: tables u, c, mg, hrs. */
async function resolveRawTables(db: DuckDBConnection, ratiosPath: string) {
  await db.run(`
    CREATE OR REPLACE TABLE ratios AS
      SELECT lower(InstanceSizeFlexibilityGroup) AS grp, lower(ArmSkuName) AS sku, CAST(Ratio AS DOUBLE) AS ratio
      FROM read_csv('${ratiosPath.replaceAll("'", "''")}', header = true, all_varchar = true);
    CREATE OR REPLACE TABLE hrs_given AS
      SELECT DISTINCT customer, epoch_ms(CAST(hour_text AS TIMESTAMP)) // 3600000 AS hour FROM raw_hours;
    CREATE OR REPLACE TABLE u AS
      WITH r AS (
        SELECT r.customer, r.row_id AS row_key, epoch_ms(CAST(r.hour_text AS TIMESTAMP)) // 3600000 AS hour,
               lower(r.subscription) AS sub, lower(coalesce(r.resource_group, '')) AS rg,
               lower(coalesce(r.region, '')) AS region, lower(r.rtype) AS rtype, lower(coalesce(r.sku, '')) AS sku,
               coalesce(lower(r.isf_group), t.grp) AS grp, coalesce(r.sku_ratio, t.ratio) AS ratio,
               r.quantity AS qty, r.payg, r.sp1, r.sp3, coalesce(r.eligible, true) AS eligible
        FROM raw_usage r LEFT JOIN ratios t ON t.sku = lower(coalesce(r.sku, ''))
      )
      SELECT r.*, row_number() OVER (ORDER BY customer, hour, sub, rg, row_key) AS rid
      FROM r
      WHERE NOT EXISTS (SELECT 1 FROM hrs_given g WHERE g.customer = r.customer)
         OR EXISTS (SELECT 1 FROM hrs_given g WHERE g.customer = r.customer AND g.hour = r.hour);
    CREATE OR REPLACE TABLE hrs AS
      SELECT customer, hour FROM hrs_given
      UNION SELECT DISTINCT customer, hour FROM u WHERE customer NOT IN (SELECT customer FROM hrs_given);
    CREATE OR REPLACE TABLE mg AS SELECT DISTINCT customer, lower(mg) AS mg, lower(subscription) AS sub FROM raw_mg;
    CREATE OR REPLACE TABLE c AS
      WITH b AS (
        SELECT rc.*,
               CASE WHEN rc.isf IS NULL THEN lower(rc.rtype) = 'virtualmachines' ELSE lower(rc.isf) = 'on' END AS flexible,
               coalesce(lower(rc.isf_group), t.grp) AS grp, coalesce(rc.sku_ratio, t.ratio) AS sratio,
               CAST(rc.purchase_date AS TIMESTAMP) AS pts,
               CAST(regexp_extract(rc.term, '^P([0-9]+)Y$', 1) AS INTEGER) AS years
        FROM raw_commitments rc LEFT JOIN ratios t ON t.sku = lower(rc.sku)
      ), d AS (
        SELECT customer, CAST(cidx AS INTEGER) AS cidx, id,
               CASE type WHEN 'reservation' THEN 0 ELSE 1 END AS kind,
               CASE scope_type WHEN 'ResourceGroup' THEN 0 WHEN 'Subscription' THEN 1
                               WHEN 'ManagementGroup' THEN 2 ELSE 3 END AS level,
               lower(scope_sub) AS sub, lower(scope_rg) AS rg, lower(scope_mg) AS mg,
               lower(rtype) AS rtype, lower(region) AS region, lower(sku) AS sku, grp, flexible,
               quantity * CASE WHEN flexible THEN sratio ELSE 1 END AS cap, amortized_hourly AS amort, years,
               hourly_commitment AS commitment,
               coalesce(epoch_ms(date_trunc('hour', pts)) // 3600000, -1000000000) AS start_hour,
               coalesce(epoch_ms(date_trunc('hour', pts) + to_years(years)) // 3600000, 1000000000) AS end_hour,
               epoch_ms(pts) AS purchase_ms
        FROM b
      )
      SELECT *, row_number() OVER (PARTITION BY customer
                                   ORDER BY kind, level, CASE WHEN kind = 1 THEN -years ELSE 0 END,
                                            purchase_ms NULLS FIRST, id) AS k
      FROM d;
  `);
}
