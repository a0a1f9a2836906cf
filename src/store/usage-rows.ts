import type { Insertable } from 'kysely';
import { copyRows } from './bulk.ts';
import type { Db } from './db.ts';
import type { UsageRecordsTable } from './schema.ts';

const columns = [
  'customer_id',
  'subscription_id',
  'hour',
  'resource_group',
  'region',
  'meter_category',
  'reserved_resource_type',
  'sku',
  'quantity',
  'payg_unit_price',
  'benefit_eligible',
  'sp_unit_price_p1y',
  'sp_unit_price_p3y',
  'resource_id',
] as const;

/** Appends usage rows with COPY (src/store/bulk.ts); ids come from the table's sequence. */
export async function writeUsageRows(db: Db, rows: Insertable<UsageRecordsTable>[]): Promise<void> {
  await copyRows(
    db,
    'usage_records',
    columns,
    rows.map((r) => [
      r.customer_id,
      r.subscription_id,
      r.hour as Date,
      r.resource_group,
      r.region,
      r.meter_category,
      r.reserved_resource_type ?? null,
      r.sku,
      r.quantity,
      r.payg_unit_price,
      r.benefit_eligible ?? true,
      r.sp_unit_price_p1y ?? null,
      r.sp_unit_price_p3y ?? null,
      r.resource_id ?? null,
    ]),
  );
}
