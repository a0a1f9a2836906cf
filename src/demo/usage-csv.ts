import { csvCell } from '../engine/csv.ts';
import { savingsPlanHourly } from './prices.ts';
import { resourceIdOf, type UsageRow } from './usage.ts';

/**
 * A generated usage row as a line of Mitra's usage CSV (docs/usage-csv.md), in the column order of
 * `usageCsvColumns`; the subscription named by its Azure id, as a cloud export names it.
 */
export function usageCsvLine(r: UsageRow, azureSubscriptionId: string): string {
  const vm = r.reservedResourceType === 'VirtualMachines' && r.benefitEligible;
  return [
    r.customerId,
    azureSubscriptionId,
    r.hour.toISOString(),
    r.resourceGroup,
    r.region,
    r.meterCategory,
    r.reservedResourceType ?? '',
    r.sku,
    r.quantity,
    r.paygUnitPrice,
    vm ? savingsPlanHourly(r.sku, r.region, 'P1Y') : '',
    vm ? savingsPlanHourly(r.sku, r.region, 'P3Y') : '',
    String(r.benefitEligible),
    resourceIdOf(azureSubscriptionId, r) ?? '',
  ]
    .map((v) => csvCell(v))
    .join(',');
}
