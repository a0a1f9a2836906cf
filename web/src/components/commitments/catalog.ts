import type { CatalogEntry, CatalogPrice, CommitmentBillingPlan, Term } from '../../api.ts';
import { regionName } from '../../regions.ts';

// The reservation catalog (`/api/my/reservation-catalog`, `/api/customers/{id}/reservation-catalog`)
// arranged for the region and VM size pickers of the purchase page and the exchange dialog.

/** "Standard_D2s_v3, East US" → "East US": the catalog names its regions. */
export const catalogRegionName = (entry: CatalogEntry) =>
  entry.title.split(', ').slice(1).join(', ') || regionName(entry.region);

export const bySize = (a: CatalogEntry, b: CatalogEntry) =>
  a.sku.localeCompare(b.sku, 'en', { numeric: true });

/** Every region of the catalog as `[code, name]`, by name. */
export function catalogRegions(entries: CatalogEntry[]): [string, string][] {
  const names = new Map<string, string>();
  for (const entry of entries)
    if (!names.has(entry.region)) names.set(entry.region, catalogRegionName(entry));
  return [...names.entries()].sort((a, b) => a[1].localeCompare(b[1]));
}

/** The sizes of one region by instance size flexibility group; sizes without a group under `other`. */
export function catalogGroups(
  entries: CatalogEntry[],
  region: string,
  other: string,
): (readonly [string, CatalogEntry[]])[] {
  const byGroup = new Map<string, CatalogEntry[]>();
  for (const entry of entries.filter((e) => e.region === region)) {
    const group = entry.isfGroup ?? other;
    byGroup.set(group, [...(byGroup.get(group) ?? []), entry]);
  }
  return [...byGroup.entries()]
    .sort((a, b) => a[0].localeCompare(b[0], 'en', { numeric: true }))
    .map(([group, list]) => [group, list.sort(bySize)] as const);
}

export const catalogPrice = (
  entry: CatalogEntry,
  term: Term,
  billingPlan: CommitmentBillingPlan,
): CatalogPrice | undefined => entry.terms.find((p) => p.term === term && p.billingPlan === billingPlan);
