import Big from 'big.js';
import type { BillingPlan } from '../store/schema.ts';

/** What a catalog item is, judged by the partner-center view its product is listed in. */
export type OfferKind = 'azure_plan' | 'azure_global' | 'reservation' | 'savings_plan' | 'license';

export function offerKindOf(targetView: string): OfferKind {
  switch (targetView) {
    case 'MicrosoftAzure':
      return 'azure_plan';
    case 'Azure':
      return 'azure_global';
    case 'AzureReservationsVM':
    case 'AzureReservations':
      return 'reservation';
    case 'AzureSavingsPlan':
      return 'savings_plan';
    default:
      return 'license';
  }
}

/**
 * The price-list row a cart line is charged from. Commitments bill upfront (`one_time`) or in
 * monthly instalments; licences are priced per seat per month; Azure usage is billed later.
 */
export function billingPlanFor(kind: OfferKind, billingCycle: string): BillingPlan {
  if (kind === 'azure_plan' || kind === 'azure_global') return 'usage';
  if (kind === 'license') return 'license_monthly';
  return billingCycle === 'monthly' ? 'monthly' : 'upfront';
}

/** Months a licence's billing cycle charges at once. */
export function licenceMonthsPerCharge(billingCycle: string): number {
  return billingCycle === 'annual' ? 12 : billingCycle === 'triennial' ? 36 : 1;
}

/** Unit price of one order line for its billing cycle, exact to six decimals. */
export function lineUnitPrice(kind: OfferKind, billingCycle: string, listUnitPrice: string): string {
  const base = new Big(listUnitPrice);
  const price = kind === 'license' ? base.times(licenceMonthsPerCharge(billingCycle)) : base;
  return price.toFixed(6);
}

/** Order total: Σ unit price × quantity, never through a float. */
export function orderTotal(lines: { unitPrice: string; quantity: number }[]): string {
  return lines.reduce((sum, l) => sum.plus(new Big(l.unitPrice).times(l.quantity)), new Big(0)).toFixed(6);
}

/** Subscriptions that let a customer hold Azure commitments: an active Azure plan or Azure Global. */
export function isQualifyingAzureSubscription(s: { product_type: string; status: string }): boolean {
  return s.status === 'active' && (s.product_type === 'azure_plan' || s.product_type === 'azure_global');
}
