import Big from 'big.js';
import { savingsPlanHourly } from '../../src/demo/prices.ts';
import { generateHourlyUsage, resourceIdOf } from '../../src/demo/usage.ts';
import { csvCell } from '../../src/engine/csv.ts';
import { usageCsvColumns } from '../../src/services/usage-import.ts';
import type { Db } from '../../src/store/db.ts';

/** One Mitra usage row, as `mitra usage generate` writes it (the Azure subscription id, the ARM resource id). */
export interface MitraUsageRow {
  customerId: string;
  azureSubscriptionId: string;
  hour: Date;
  resourceGroup: string;
  region: string;
  meterCategory: string;
  reservedResourceType: string | null;
  sku: string;
  quantity: string;
  paygUnitPrice: string;
  spUnitPriceP1Y: string | null;
  spUnitPriceP3Y: string | null;
  benefitEligible: boolean;
  resourceId: string | null;
}

/** The demo's usage generator for the given customers' Azure subscriptions, over [from, from + hours). */
export async function demoUsageRows(
  db: Db,
  customerIds: string[],
  from: Date,
  hours: number,
): Promise<MitraUsageRow[]> {
  const subs = await db
    .selectFrom('subscriptions')
    .select(['id', 'customer_id', 'entitlement_id'])
    .where('product_type', 'in', ['azure_plan', 'azure_global'])
    .where('customer_id', 'in', customerIds)
    .orderBy('id')
    .execute();
  const rows: MitraUsageRow[] = [];
  for (const s of subs) {
    const azure = s.entitlement_id ?? s.id;
    for (const r of generateHourlyUsage({
      customerId: s.customer_id,
      subscriptions: [{ id: s.id, seed: s.id }],
      from,
      hours,
      seed: 7,
    })) {
      const vm = r.reservedResourceType === 'VirtualMachines' && r.benefitEligible;
      rows.push({
        customerId: r.customerId,
        azureSubscriptionId: azure,
        hour: r.hour,
        resourceGroup: r.resourceGroup,
        region: r.region,
        meterCategory: r.meterCategory,
        reservedResourceType: r.reservedResourceType,
        sku: r.sku,
        quantity: r.quantity,
        paygUnitPrice: r.paygUnitPrice,
        spUnitPriceP1Y: vm ? savingsPlanHourly(r.sku, r.region, 'P1Y') : null,
        spUnitPriceP3Y: vm ? savingsPlanHourly(r.sku, r.region, 'P3Y') : null,
        benefitEligible: r.benefitEligible,
        resourceId: resourceIdOf(azure, r),
      });
    }
  }
  return rows;
}

/** Mitra's usage CSV (docs/usage-csv.md) of the rows. */
export function mitraCsv(rows: readonly MitraUsageRow[]): string {
  const lines = [usageCsvColumns.join(',')];
  for (const r of rows)
    lines.push(
      [
        r.customerId,
        r.azureSubscriptionId,
        r.hour.toISOString(),
        r.resourceGroup,
        r.region,
        r.meterCategory,
        r.reservedResourceType ?? '',
        r.sku,
        r.quantity,
        r.paygUnitPrice,
        r.spUnitPriceP1Y ?? '',
        r.spUnitPriceP3Y ?? '',
        String(r.benefitEligible),
        r.resourceId ?? '',
      ]
        .map(csvCell)
        .join(','),
    );
  return `${lines.join('\n')}\n`;
}

export type FocusCostVersion = '1.0' | '1.0r2' | '1.2-preview';

const columns10 = [
  'BilledCost',
  'BillingAccountId',
  'BillingAccountName',
  'BillingCurrency',
  'BillingPeriodEnd',
  'BillingPeriodStart',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'ChargeFrequency',
  'ChargePeriodEnd',
  'ChargePeriodStart',
  'CommitmentDiscountCategory',
  'CommitmentDiscountId',
  'CommitmentDiscountName',
  'CommitmentDiscountStatus',
  'CommitmentDiscountType',
  'ConsumedQuantity',
  'ConsumedUnit',
  'ContractedCost',
  'ContractedUnitPrice',
  'EffectiveCost',
  'InvoiceIssuerName',
  'ListCost',
  'ListUnitPrice',
  'PricingCategory',
  'PricingQuantity',
  'PricingUnit',
  'ProviderName',
  'PublisherName',
  'RegionId',
  'RegionName',
  'ResourceId',
  'ResourceName',
  'ResourceType',
  'ServiceCategory',
  'ServiceName',
  'SkuId',
  'SkuPriceId',
  'SubAccountId',
  'SubAccountName',
  'SubAccountType',
  'Tags',
  'x_BilledCostInUsd',
  'x_BillingExchangeRate',
  'x_BillingExchangeRateDate',
  'x_CustomerId',
  'x_CustomerName',
  'x_EffectiveCostInUsd',
  'x_InvoiceId',
  'x_ListCostInUsd',
  'x_PricingBlockSize',
  'x_PricingCurrency',
  'x_PricingUnitDescription',
  'x_ResourceGroupName',
  'x_ResourceType',
  'x_SkuDetails',
  'x_SkuMeterCategory',
  'x_SkuMeterId',
  'x_SkuMeterName',
  'x_SkuMeterSubcategory',
  'x_SkuRegion',
];
// 1.2-preview: three x_ columns became FOCUS ones (the x_ ones stay), and a few were added.
const columns12 = [
  ...columns10.filter((c) => c !== 'x_InvoiceId'),
  'CapacityReservationId',
  'CapacityReservationStatus',
  'CommitmentDiscountQuantity',
  'CommitmentDiscountUnit',
  'InvoiceId',
  'PricingCurrency',
  'ServiceSubcategory',
  'SkuMeter',
  'SkuPriceDetails',
  'x_AmortizationClass',
  'x_ServiceModel',
].sort((a, b) => Number(a.startsWith('x_')) - Number(b.startsWith('x_')) || (a < b ? -1 : 1));

export interface FocusCostOptions {
  version: FocusCostVersion;
  /** One row per resource and meter per UTC day instead of per hour (Azure's usual export). */
  daily?: boolean;
  /** Billing currency and the USD → billing exchange rate; default USD at 1. */
  billing?: { currency: string; rate: string };
  /** Leave x_CustomerId empty (as EA and MCA exports do): the customer comes from the subscription. */
  withoutCustomerId?: boolean;
  /** VM hours of this size the cloud's own reservation covered (CommitmentDiscountStatus Used). */
  coveredSku?: string;
}

const reservationArmId =
  '/providers/Microsoft.Capacity/reservationOrders/6ef0a1b2-0000-4000-8000-000000000001/reservations/6ef0a1b2-0000-4000-8000-000000000002';

/**
 * The rows as Azure's Cost Management would export them in the FocusCost dataset: usage rows
 * priced at list, the cloud's covered VM hours, plus one reservation Purchase row and Unused
 * rows, which are commitments and must be skipped by the importer.
 */
export function focusCostCsv(rows: readonly MitraUsageRow[], options: FocusCostOptions): string {
  const columns = options.version === '1.2-preview' ? columns12 : columns10;
  const time = (d: Date) =>
    options.version === '1.0' ? `${d.toISOString().slice(0, 16)}Z` : `${d.toISOString().slice(0, 19)}Z`;
  const billing = options.billing ?? { currency: 'USD', rate: '1' };
  const lines = [columns.join(',')];
  const write = (values: Record<string, string | null | undefined>) =>
    lines.push(columns.map((c) => csvCell(values[c] ?? '')).join(','));

  const usage = options.daily ? dailyOf(rows) : rows.map((r) => ({ ...r, hours: 1 }));
  for (const r of usage) {
    const end = new Date(r.hour.getTime() + r.hours * 3_600_000);
    const monthStart = new Date(Date.UTC(r.hour.getUTCFullYear(), r.hour.getUTCMonth(), 1));
    const monthEnd = new Date(Date.UTC(r.hour.getUTCFullYear(), r.hour.getUTCMonth() + 1, 1));
    const vm = r.meterCategory === 'Virtual Machines';
    const meter = vm ? r.sku.replace(/^Standard_/, '').replaceAll('_', ' ') : r.sku;
    const covered = vm && r.sku === options.coveredSku;
    const listUnit = new Big(r.paygUnitPrice).times(billing.rate);
    const listCost = listUnit.times(r.quantity);
    const usdCost = new Big(r.paygUnitPrice).times(r.quantity);
    write({
      BilledCost: covered ? '0' : listCost.toString(),
      BillingAccountId: '/providers/Microsoft.Billing/billingAccounts/contoso-mpa',
      BillingAccountName: 'Contoso Cloud Partner',
      BillingCurrency: billing.currency,
      BillingPeriodStart: time(monthStart),
      BillingPeriodEnd: time(monthEnd),
      ChargeCategory: 'Usage',
      ChargeDescription: `${meter} in ${r.region}`,
      ChargeFrequency: 'Usage-Based',
      ChargePeriodStart: time(r.hour),
      ChargePeriodEnd: time(end),
      ...(covered
        ? {
            CommitmentDiscountCategory: 'Usage',
            CommitmentDiscountId: reservationArmId,
            CommitmentDiscountName: 'VM_RI_cloud',
            CommitmentDiscountStatus: 'Used',
            CommitmentDiscountType: 'Reservation',
            CommitmentDiscountQuantity: options.version === '1.2-preview' ? r.quantity : undefined,
          }
        : {}),
      ConsumedQuantity: r.quantity,
      ConsumedUnit: vm ? 'Hours' : 'Units',
      ContractedCost: listCost.toString(),
      ContractedUnitPrice: listUnit.toString(),
      EffectiveCost: listCost.toString(),
      InvoiceIssuerName: 'Contoso Cloud Partner',
      ListCost: listCost.toString(),
      ListUnitPrice: listUnit.toString(),
      PricingCategory: covered ? 'Committed' : 'Standard',
      PricingQuantity: r.quantity,
      PricingUnit: vm ? '1 Hour' : '1 Unit',
      ProviderName: 'Microsoft',
      PublisherName: 'Microsoft',
      RegionId: r.region,
      RegionName: r.region,
      ResourceId: r.resourceId,
      ResourceName: r.resourceId?.split('/').pop(),
      ResourceType: vm ? 'Virtual machine' : r.resourceId ? 'Storage account' : null,
      ServiceCategory: vm ? 'Compute' : r.meterCategory === 'Bandwidth' ? 'Networking' : 'Storage',
      ServiceName: r.meterCategory,
      SkuId: `DZH318Z0${meter.length}`,
      SkuPriceId: `DZH318Z0${meter.length}/001`,
      SubAccountId: `/subscriptions/${r.azureSubscriptionId}`,
      SubAccountName: 'Azure plan',
      SubAccountType: 'Subscription',
      Tags: '{}',
      x_BilledCostInUsd: covered ? '0' : usdCost.toString(),
      x_BillingExchangeRate: billing.rate,
      x_BillingExchangeRateDate: time(monthStart),
      x_CustomerId: options.withoutCustomerId ? null : r.customerId,
      x_CustomerName: 'Customer',
      x_EffectiveCostInUsd: usdCost.toString(),
      x_ListCostInUsd: usdCost.toString(),
      x_PricingBlockSize: '1',
      x_PricingCurrency: 'USD',
      PricingCurrency: 'USD',
      x_PricingUnitDescription: vm ? '1 Hour' : '1 Unit',
      x_ResourceGroupName: r.resourceGroup,
      x_ResourceType: vm ? 'microsoft.compute/virtualmachines' : null,
      x_SkuDetails: vm
        ? JSON.stringify({ ServiceType: r.sku, UsageType: 'ComputeHR', ImageType: null })
        : null,
      x_SkuMeterCategory: r.meterCategory,
      x_SkuMeterId: `00000000-0000-4000-8000-${String(meter.length).padStart(12, '0')}`,
      x_SkuMeterName: meter,
      SkuMeter: meter,
      x_SkuMeterSubcategory: vm ? `${meter.replace(/^[A-Z]\d+/, (m) => m[0])} Series` : r.meterCategory,
      x_SkuRegion: r.region,
      ServiceSubcategory: vm ? 'Virtual Machines' : 'Other (Storage)',
      x_AmortizationClass: 'Amortized Charge',
      x_ServiceModel: vm ? 'IaaS' : 'PaaS',
    });
  }

  // Commitments, not usage: the reservation's purchase, and an unused hour of it per subscription.
  const first = rows[0];
  if (first) {
    const subscriptions = [...new Set(rows.map((r) => r.azureSubscriptionId))];
    write({
      BilledCost: '1200',
      BillingCurrency: billing.currency,
      ChargeCategory: 'Purchase',
      ChargeFrequency: 'One-Time',
      ChargePeriodStart: time(first.hour),
      ChargePeriodEnd: time(new Date(first.hour.getTime() + 3_600_000)),
      CommitmentDiscountCategory: 'Usage',
      CommitmentDiscountId: reservationArmId,
      CommitmentDiscountType: 'Reservation',
      EffectiveCost: '0',
      ListUnitPrice: '1200',
      PricingCategory: 'Standard',
      PricingQuantity: '1',
      ResourceId: reservationArmId,
      SubAccountId: `/subscriptions/${subscriptions[0]}`,
      x_CustomerId: options.withoutCustomerId ? null : first.customerId,
      x_SkuMeterCategory: 'Virtual Machines',
      x_SkuMeterName: 'Reservation-Base VM',
      SkuMeter: 'Reservation-Base VM',
    });
    for (const s of subscriptions)
      write({
        BilledCost: '0',
        BillingCurrency: billing.currency,
        ChargeCategory: 'Usage',
        ChargeFrequency: 'Usage-Based',
        ChargePeriodStart: time(first.hour),
        ChargePeriodEnd: time(new Date(first.hour.getTime() + (options.daily ? 86_400_000 : 3_600_000))),
        CommitmentDiscountCategory: 'Usage',
        CommitmentDiscountId: reservationArmId,
        CommitmentDiscountStatus: 'Unused',
        CommitmentDiscountType: 'Reservation',
        EffectiveCost: '0.05',
        ListUnitPrice: '0.1',
        PricingCategory: 'Committed',
        PricingQuantity: '0.5',
        ResourceId: reservationArmId,
        SubAccountId: `/subscriptions/${s}`,
        x_SkuMeterCategory: 'Virtual Machines',
        x_SkuMeterName: 'D2s v3',
        SkuMeter: 'D2s v3',
        RegionId: first.region,
      });
  }
  return `${lines.join('\n')}\n`;
}

/** Hourly rows summed per resource and meter per UTC day, as a daily export has them. */
function dailyOf(rows: readonly MitraUsageRow[]) {
  const days = new Map<string, MitraUsageRow & { hours: number }>();
  for (const r of rows) {
    const day = new Date(Math.floor(r.hour.getTime() / 86_400_000) * 86_400_000);
    const key = [
      r.azureSubscriptionId,
      day.toISOString(),
      r.resourceGroup,
      r.resourceId,
      r.meterCategory,
      r.sku,
      r.region,
    ].join('|');
    const d = days.get(key);
    if (d) d.quantity = new Big(d.quantity).plus(r.quantity).toFixed(6);
    else days.set(key, { ...r, hour: day, hours: 24 });
  }
  return [...days.values()];
}

/** A seeded Fisher–Yates shuffle of a CSV's data lines; the header stays first. */
export function shuffledCsv(csv: string, seed = 42): string {
  const [header, ...lines] = csv.trimEnd().split('\n');
  let s = seed >>> 0;
  const random = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  for (let i = lines.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [lines[i], lines[j]] = [lines[j], lines[i]];
  }
  return `${[header, ...lines].join('\n')}\n`;
}
