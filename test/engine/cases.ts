import { mulberry32 } from '../../src/demo/usage.ts';
import type { BenefitInput, CommitmentInput, ScopeInput, UsageRowInput } from '../../src/engine/types.ts';

/**
 * Small, crowded random inputs for differential and property tests: few subscriptions, groups,
 * SKUs and prices, so rows compete for the same commitments, discounts tie, purchase dates tie,
 * and capacity runs out halfway through rows. Spelling varies in case, hours arrive as any
 * instant inside the hour, and some reported hours have no usage at all.
 */

const SUBS = ['sub-a', 'sub-b', 'sub-c'];
const RGS = ['rg-1', 'rg-2', 'RG-3'];
const REGIONS = ['eastus', 'westus2'];
/** [sku, group given on the row, ratio given on the row, base price]; table SKUs give neither. */
const VMS: [string, string | undefined, number | undefined, number][] = [
  ['Standard_D2s_v3', undefined, undefined, 0.096],
  ['Standard_D4s_v3', undefined, undefined, 0.192],
  ['Standard_D8s_v3', undefined, undefined, 0.384],
  ['Standard_E2s_v3', undefined, undefined, 0.126],
  ['Standard_E32s_v3', undefined, undefined, 2.016],
  ['Standard_E64s_v3', undefined, undefined, 3.629],
  ['Custom_Q1', 'Q Series', 0.25, 0.03],
  ['Custom_Q3', 'Q Series', 0.75, 0.09],
];
const SQL_SKUS = ['SQL_GP_Gen5_2', 'SQL_GP_Gen5_4'];
const QUANTITIES = [0, 0.25, 0.5, 0.75, 1, 1, 1, 1, 1.5, 2, 3, 0.333333, 0.1, 0.2, 0.7];
const IDS = ['A', 'B', 'C', 'd', 'R1', 'R10', 'R2', 'SP1', 'sp2', 'Z9', 'r-1', 'x'];
const BASE_HOUR = Date.UTC(2025, 5, 1, 0);

export function generateCase(seed: number): BenefitInput {
  const r = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const chance = (p: number) => r() < p;
  const nHours = 1 + Math.floor(r() * 3);
  const hourAt = (t: number, minute = 0) =>
    new Date(BASE_HOUR + t * 3_600_000 + minute * 60_000).toISOString().replace('.000Z', 'Z');
  // Upper case now and then: identifiers match case-insensitively.
  const spell = (s: string) => (chance(0.1) ? s.toUpperCase() : s);

  const usage: UsageRowInput[] = [];
  const nRows = Math.floor(r() * 16);
  for (let i = 0; i < nRows; i++) {
    const kind = r();
    const row: UsageRowInput = {
      rowId: chance(0.5) ? `u${i}` : `row-${String.fromCharCode(97 + Math.floor(r() * 26))}${i}`,
      hour: hourAt(Math.floor(r() * nHours), chance(0.2) ? Math.floor(r() * 60) : 0),
      subscription: spell(pick(SUBS)),
      resourceGroup: spell(pick(RGS)),
      region: spell(pick(REGIONS)),
      quantity: pick(QUANTITIES),
      paygUnitPrice: 0,
    };
    let base = 0.05;
    if (kind < 0.7) {
      const [sku, group, ratio, price] = pick(VMS);
      row.reservedResourceType = 'VirtualMachines';
      row.sku = spell(sku);
      if (group) row.isfGroup = group;
      if (ratio) row.skuRatio = ratio;
      base = price;
    } else if (kind < 0.82) {
      row.reservedResourceType = 'SqlDatabases';
      row.sku = pick(SQL_SKUS);
      base = 0.5;
    } else if (kind < 0.9) {
      row.sku = 'Windows Server 2 vCPU VM License';
      row.benefitEligible = false;
    } else {
      row.sku = 'App Service P1v3';
    }
    // Few distinct prices and discounts, so equal discounts (ties) are common.
    row.paygUnitPrice = Math.round(base * pick([1, 1, 1.2]) * 1e4) / 1e4;
    if (!chance(0.2) && row.benefitEligible !== false) {
      const p = row.paygUnitPrice;
      row.spUnitPrice = { P1Y: Math.round(p * (1 - pick([0.2, 0.25, 0.3])) * 1e4) / 1e4 || undefined };
      if (!chance(0.15))
        row.spUnitPrice.P3Y = Math.round(p * (1 - pick([0.35, 0.4])) * 1e4) / 1e4 || undefined;
    }
    if (chance(0.03)) row.benefitEligible = false;
    usage.push(row);
  }

  const managementGroups: Record<string, string[]> = {};
  if (chance(0.6)) managementGroups['mg-x'] = SUBS.filter(() => chance(0.5)).map(spell);
  if (chance(0.3)) managementGroups['MG-Y'] = [pick(SUBS)];
  const mgNames = Object.keys(managementGroups);

  const scope = (): ScopeInput => {
    const x = r();
    if (x < 0.25)
      return { type: 'ResourceGroup', subscription: spell(pick(SUBS)), resourceGroup: spell(pick(RGS)) };
    if (x < 0.5) return { type: 'Subscription', subscription: spell(pick(SUBS)) };
    if (x < 0.7 && mgNames.length) return { type: 'ManagementGroup', managementGroup: spell(pick(mgNames)) };
    return { type: 'Shared' };
  };
  const purchase = (): string | undefined => {
    const x = r();
    if (x < 0.3) return undefined;
    if (x < 0.6) return '2025-01-01';
    if (x < 0.8) return hourAt(Math.floor(r() * nHours), Math.floor(r() * 60));
    if (x < 0.85) return '2024-06-01T00:00:00Z';
    if (x < 0.9) return '2026-01-01';
    // Terms that end inside the case's hours, or just before them.
    return pick([
      '2024-06-01T01:30:00Z',
      '2022-06-01T02:00:00Z',
      '2024-05-31T23:00:00Z',
      '2024-06-01T00:59:00Z',
    ]);
  };

  const ids = [...IDS].sort(() => r() - 0.5);
  const commitments: CommitmentInput[] = [];
  const nCommitments = Math.floor(r() * 7);
  for (let k = 0; k < nCommitments; k++) {
    const id = ids[k];
    const purchaseDate = purchase();
    if (chance(0.6)) {
      const sql = chance(0.15);
      const [sku, group, ratio, price] = pick(VMS);
      const isf = r();
      const c: CommitmentInput = {
        id,
        type: 'reservation',
        reservedResourceType: sql ? 'SqlDatabases' : spell('VirtualMachines'),
        sku: sql ? pick(SQL_SKUS) : spell(sku),
        region: spell(pick(REGIONS)),
        quantity: pick([1, 1, 2, 3, 0.5]),
        term: pick(['P1Y', 'P3Y']),
        scope: scope(),
        amortizedHourlyCost: Math.round(price * 0.6 * 100) / 100,
      };
      if (!sql && group) Object.assign(c, { isfGroup: group, skuRatio: ratio });
      if (!sql && isf < 0.25) c.instanceFlexibility = 'Off';
      else if (!sql && isf < 0.5) c.instanceFlexibility = 'On';
      else if (sql && isf < 0.3) c.instanceFlexibility = 'Off';
      if (purchaseDate) c.purchaseDate = purchaseDate;
      commitments.push(c);
    } else {
      const c: CommitmentInput = {
        id,
        type: 'savingsPlan',
        term: pick(['P1Y', 'P3Y'] as const),
        hourlyCommitment: pick([0.01, 0.05, 0.1, 0.25, 0.5, 1, 2]),
        currency: 'USD',
        scope: scope(),
      };
      if (purchaseDate) c.purchaseDate = purchaseDate;
      commitments.push(c);
    }
  }

  const input: BenefitInput = { usage, commitments };
  if (mgNames.length) input.context = { managementGroups };
  if (chance(0.3)) {
    // Reported hours: sometimes one more hour with no usage, sometimes one hour fewer.
    const count = chance(0.7) ? nHours + 1 : Math.max(1, nHours - 1);
    input.hours = Array.from({ length: count }, (_, t) => hourAt(t));
  }
  return input;
}
