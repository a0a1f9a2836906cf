import Big from 'big.js';
import { MitraError } from './errors.ts';

/**
 * One hourly usage row as a file gives it, before the import resolves its customer and
 * subscription: what Mitra's usage CSV and a FOCUS cost export are both turned into, so both go
 * through the same checks and the same writer (src/services/usage-import.ts).
 */
export interface UsageRowIn {
  /** The customer's tenant id; null when the file names none (the subscription's customer). */
  customerId: string | null;
  /** The Azure subscription id (or Mitra's subscription id), lower case. */
  subscription: string;
  hour: Date;
  resourceGroup: string;
  region: string;
  meterCategory: string;
  reservedResourceType: string | null;
  sku: string;
  /** Decimal strings with 6 decimals, as usage_records stores them (numeric(20, 6)). */
  quantity: string;
  paygUnitPrice: string;
  spUnitPriceP1Y: string | null;
  spUnitPriceP3Y: string | null;
  benefitEligible: boolean;
  resourceId: string | null;
}

/** Where a row sits in its file: a CSV's line (as an editor shows it) or a Parquet file's row. */
export interface RowPlace {
  kind: 'Line' | 'Row';
  at: number;
}

export const invalidUsageRow = (place: RowPlace, column: string, problem: string) =>
  new MitraError(
    'invalid',
    'invalid-usage-row',
    `${place.kind} ${place.at}, column ${column}: ${problem}. Nothing was imported; fix the file and import it again.`,
    800002,
    { [place.kind === 'Line' ? 'line' : 'row']: place.at, column },
  );

/** usage_records keeps quantities and prices as numeric(20, 6): below 10^14. */
const storable = new Big('1e14');

/** A decimal as stored (6 decimals), refused when it does not fit. */
export function storedDecimal(value: Big, place: RowPlace, column: string): string {
  if (value.abs().gte(storable))
    throw invalidUsageRow(place, column, `${value.toExponential(3)} is too large`);
  return value.toFixed(6);
}

const plainDecimal = /^(\d{1,14})(?:\.(\d{0,6}))?$/;

/** A non-negative decimal, to 6 decimals; '' is null when the column is optional. */
export function nonNegativeDecimal(value: string, place: RowPlace, column: string, optional = false) {
  if (value === '' && optional) return null;
  // Plain decimals of up to six places, the common case, normalised without big.js.
  const plain = plainDecimal.exec(value);
  if (plain) return `${plain[1]}.${(plain[2] ?? '').padEnd(6, '0')}`;
  let d: Big;
  try {
    d = new Big(value);
    if (d.lt(0)) throw new Error('negative');
  } catch {
    throw invalidUsageRow(place, column, `"${value.slice(0, 40)}" is not a non-negative number`);
  }
  return storedDecimal(d, place, column);
}

/** PostgreSQL cannot store NUL characters; a file carrying one is refused at its row. */
export function refuseNul(place: RowPlace, values: Record<string, string | null>) {
  for (const [column, value] of Object.entries(values))
    if (value?.includes('\u0000')) throw invalidUsageRow(place, column, 'contains a NUL character');
}
