/**
 * The columns of Mitra's FOCUS 1.2 export, in file order: every FOCUS 1.2 column first (so a
 * reader finds all mandatory, recommended and conditional ones, null where Mitra has no value),
 * then Mitra's own `x_` columns. Types and nullability are FOCUS's (shared/spec/reference/focus.md
 * §3); the Parquet type of each is given here so the file publishes its precision.
 */
export type FocusType = 'String' | 'Decimal' | 'DateTime' | 'JSON';

export interface FocusColumn {
  name: string;
  type: FocusType;
  nullable: boolean;
}

const s = (name: string, nullable = true): FocusColumn => ({ name, type: 'String', nullable });
const d = (name: string, nullable = true): FocusColumn => ({ name, type: 'Decimal', nullable });
const t = (name: string): FocusColumn => ({ name, type: 'DateTime', nullable: false });
const j = (name: string): FocusColumn => ({ name, type: 'JSON', nullable: true });

export const focusColumns: readonly FocusColumn[] = [
  s('AvailabilityZone'),
  d('BilledCost', false),
  s('BillingAccountId', false),
  s('BillingAccountName'),
  s('BillingAccountType', false),
  s('BillingCurrency', false),
  t('BillingPeriodEnd'),
  t('BillingPeriodStart'),
  s('CapacityReservationId'),
  s('CapacityReservationStatus'),
  s('ChargeCategory', false),
  s('ChargeClass'),
  s('ChargeDescription'),
  s('ChargeFrequency', false),
  t('ChargePeriodEnd'),
  t('ChargePeriodStart'),
  s('CommitmentDiscountCategory'),
  s('CommitmentDiscountId'),
  s('CommitmentDiscountName'),
  d('CommitmentDiscountQuantity'),
  s('CommitmentDiscountStatus'),
  s('CommitmentDiscountType'),
  s('CommitmentDiscountUnit'),
  d('ConsumedQuantity'),
  s('ConsumedUnit'),
  d('ContractedCost', false),
  d('ContractedUnitPrice'),
  d('EffectiveCost', false),
  s('InvoiceId'),
  s('InvoiceIssuerName', false),
  d('ListCost', false),
  d('ListUnitPrice'),
  s('PricingCategory'),
  s('PricingCurrency', false),
  d('PricingCurrencyContractedUnitPrice'),
  d('PricingCurrencyEffectiveCost', false),
  d('PricingCurrencyListUnitPrice'),
  d('PricingQuantity'),
  s('PricingUnit'),
  s('ProviderName', false),
  s('PublisherName', false),
  s('RegionId'),
  s('RegionName'),
  s('ResourceId'),
  s('ResourceName'),
  s('ResourceType'),
  s('ServiceCategory', false),
  s('ServiceName', false),
  s('ServiceSubcategory', false),
  s('SkuId'),
  s('SkuMeter'),
  j('SkuPriceDetails'),
  s('SkuPriceId'),
  s('SubAccountId'),
  s('SubAccountName'),
  s('SubAccountType'),
  j('Tags'),
];

/** What FOCUS has no column for. Named as Azure's own FocusCost export names them, where it has one. */
export const mitraColumns: readonly FocusColumn[] = [
  s('x_CustomerId', false),
  s('x_CustomerName', false),
  s('x_ResourceGroupName'),
  s('x_ResourceType'),
  s('x_SkuMeterCategory'),
  s('x_SkuMeterName'),
  d('x_BillingExchangeRate', false),
  { name: 'x_BillingExchangeRateDate', type: 'DateTime', nullable: true },
  s('x_CostView', false),
  s('x_UsageRecordId'),
  s('x_LedgerEntryId'),
];

export const exportColumns: readonly FocusColumn[] = [...focusColumns, ...mitraColumns];
export type FocusColumnName = (typeof exportColumns)[number]['name'];

/** A row as it is written: text in FOCUS's formats, null where the column has no value. */
export type FocusRow = Record<string, string | null>;

/** The Parquet (DuckDB) type a column is written as: FOCUS leaves precision to the provider. */
export const parquetTypeOf = (type: FocusType): string =>
  type === 'Decimal' ? 'DECIMAL(38,10)' : type === 'DateTime' ? 'TIMESTAMPTZ' : 'VARCHAR';

/** Scale of every Decimal column: ten places, the Parquet file's DECIMAL(38,10). */
export const DECIMAL_PLACES = 10;
