import { request } from './api.ts';

// Price lists (docs/api-mitra.md § Price lists): a customer's own and the partner's default.

export type PriceKind = 'usage' | 'reservations' | 'savingsPlans' | 'licences';
export const priceKinds: PriceKind[] = ['reservations', 'savingsPlans', 'licences', 'usage'];
export type Markups = Record<PriceKind, string>;
export type PriceBillingPlan = 'upfront' | 'monthly' | 'usage' | 'license_monthly';

export interface PriceOverride {
  catalogItemId: string;
  termDuration?: string;
  billingPlan?: PriceBillingPlan;
  /** Exactly one of the two. */
  unitPrice?: string;
  markupPercent?: string;
}

export interface PriceListVersion {
  id: string;
  effectiveFrom: string;
  status: 'current' | 'scheduled' | 'past';
  markups: Markups;
  overrides: PriceOverride[];
  createdBy: string;
  createdAt: string;
}

export interface PriceRow {
  catalogItemId: string;
  productTitle: string;
  skuTitle: string;
  kind: PriceKind;
  termDuration: string;
  billingPlan: PriceBillingPlan;
  unit: string;
  retailUnitPrice: string;
  /** What the customer is charged. */
  unitPrice: string;
  basis: 'retail' | 'markup' | 'override-markup' | 'override-price';
  markupPercent: string | null;
  costUnitPrice: string | null;
  margin: string | null;
  marginPercent: string | null;
}

export interface PriceListView {
  scope: 'customer' | 'default';
  customerId: string | null;
  source: 'customer' | 'default' | 'retail';
  current: PriceListVersion | null;
  fallback: PriceListVersion | null;
  scheduled: PriceListVersion[];
  history: PriceListVersion[];
  currency: string;
  showRetailToCustomers: boolean;
  canEdit: boolean;
  prices: PriceRow[];
}

export interface PriceListBody {
  markups: Markups;
  overrides: PriceOverride[];
  /** 'yyyy-mm-dd' (00:00 UTC), or absent for at once. */
  effectiveFrom?: string;
}

export interface PriceListPreview {
  effectiveFrom: string;
  currency: string;
  prices: PriceRow[];
}

/** `{customerId}` for a customer's list, `'default'` for the partner's default. */
export type PriceListScope = { customerId: string } | 'default';

const pathOf = (scope: PriceListScope) =>
  scope === 'default'
    ? '/api/price-list/default'
    : `/api/customers/${encodeURIComponent(scope.customerId)}/price-list`;

export const priceListKey = (scope: PriceListScope) =>
  ['price-list', scope === 'default' ? 'default' : scope.customerId] as const;

export const priceListApi = {
  read: (scope: PriceListScope) => request<PriceListView>('GET', pathOf(scope)),
  preview: (scope: PriceListScope, body: PriceListBody) =>
    request<PriceListPreview>('POST', `${pathOf(scope)}/preview`, body),
  save: (scope: PriceListScope, body: PriceListBody) => request<PriceListVersion>('PUT', pathOf(scope), body),
  setRetailShown: (showRetailToCustomers: boolean) =>
    request<{ showRetailToCustomers: boolean }>('PUT', '/api/price-list/settings', { showRetailToCustomers }),
};
