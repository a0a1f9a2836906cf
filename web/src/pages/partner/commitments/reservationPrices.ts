import type { CommitmentBillingPlan, PriceView, Term } from '../../../api.ts';
import { regionCode } from '../../../regions.ts';

// The partner side has no reservation catalog of its own: the customer price list names each VM
// reservation "Standard_D2s_v3, West US 2" under "Reserved VM Instance, DSv3 Series"; read it back.

export interface ReservationOption {
  sku: string;
  region: string;
  regionName: string;
  group: string;
  prices: { term: Term; billingPlan: CommitmentBillingPlan; unitPrice: string }[];
}

const titlePattern = /^(\S+), (.+)$/;
const groupPrefix = /^Reserved VM Instance,\s*/i;

export function reservationOptions(items: PriceView[]): ReservationOption[] {
  const options = new Map<string, ReservationOption>();
  for (const item of items) {
    if (!groupPrefix.test(item.productTitle)) continue;
    if (item.billingPlan !== 'upfront' && item.billingPlan !== 'monthly') continue;
    if (item.termDuration !== 'P1Y' && item.termDuration !== 'P3Y') continue;
    const match = titlePattern.exec(item.skuTitle);
    if (!match) continue;
    const region = regionCode(match[2]);
    const key = `${match[1]}|${region}`;
    let option = options.get(key);
    if (!option) {
      option = {
        sku: match[1],
        region,
        regionName: match[2],
        group: item.productTitle.replace(groupPrefix, ''),
        prices: [],
      };
      options.set(key, option);
    }
    option.prices.push({
      term: item.termDuration,
      billingPlan: item.billingPlan === 'upfront' ? 'Upfront' : 'Monthly',
      unitPrice: item.unitPrice,
    });
  }
  return [...options.values()];
}

/** Months of a term: a monthly plan's total is its monthly price times these. */
export const termMonths = (term: Term) => (term === 'P3Y' ? 36 : 12);
