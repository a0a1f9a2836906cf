import Big from 'big.js';
import type { BillingPlan } from '../store/schema.ts';

/**
 * Customer prices the partner controls (R14, B9). A price list sets a markup (or, negative, a
 * discount) on retail per kind of product, and overrides per catalog item; it is versioned by the
 * moment it takes effect. Every price a customer is quoted and charged is `customerUnitPrice` of
 * the version in effect at that moment: one rule, in one place.
 */

/** The kinds a price list sets a default markup for. */
export const priceKinds = ['usage', 'reservations', 'savingsPlans', 'licences'] as const;
export type PriceKind = (typeof priceKinds)[number];
/** Percent on retail as decimal strings, at most two decimals: "10" is +10 %, "-5" a 5 % discount. */
export type Markups = Record<PriceKind, string>;

/** Retail as it is: what a customer pays when neither it nor its partner has a list. */
export const retailMarkups: Markups = { usage: '0', reservations: '0', savingsPlans: '0', licences: '0' };

/** The catalog's product types by the markup that prices them; Azure plans are billed by usage. */
export function priceKindOf(productType: string): PriceKind {
  switch (productType) {
    case 'reservation':
      return 'reservations';
    case 'savings_plan':
      return 'savingsPlans';
    case 'license':
      return 'licences';
    default:
      return 'usage';
  }
}

/** A price set for one catalog item (optionally one term and billing plan): a fixed unit price or a markup. */
export interface PriceOverride {
  catalogItemId: string;
  /** Absent: every term of the item. */
  termDuration?: string;
  /** Absent: every billing plan of the item. */
  billingPlan?: BillingPlan;
  /** Exactly one of the two is set. */
  unitPrice?: string;
  markupPercent?: string;
}

export interface PriceListVersion {
  id: string;
  /** null: the partner's default list. */
  customerId: string | null;
  effectiveFrom: Date;
  /** Order of creation: of two versions effective at the same moment, the later one wins. */
  seq: number;
  markups: Markups;
  overrides: PriceOverride[];
  createdBy: string;
  createdAt: Date;
}

/** The row of a price list a price is looked up by. */
export interface PriceKey {
  catalogItemId: string;
  /** '' when the item has no term. */
  termDuration: string;
  billingPlan: BillingPlan;
}

export type PriceBasis = 'retail' | 'markup' | 'override-markup' | 'override-price';

export interface CustomerPrice {
  /** Six decimals, like numeric(20, 6). */
  unitPrice: string;
  /** How the price was set, for the partner's price list view. */
  basis: PriceBasis;
  /** The markup applied, when the price is a markup on retail. */
  markupPercent: string | null;
}

const MONEY_DP = 6;
const fixed = (value: Big) => value.round(MONEY_DP, Big.roundHalfUp).toFixed(MONEY_DP);

/**
 * retail × (100 + markup) / 100, rounded half-up to six decimals. With cent-precise retail and a
 * markup of at most two decimals the product has at most six decimals, so nothing is rounded and
 * monthly × months still equals upfront on the customer's list.
 */
export function applyMarkup(retailUnitPrice: string, markupPercent: string): string {
  return fixed(new Big(retailUnitPrice).times(new Big(100).plus(markupPercent)).div(100));
}

/**
 * The customer's unit price for one price row: the override's fixed price or markup when one
 * matches, else the version's markup for the item's kind, else (no list at all) retail.
 */
export function customerUnitPrice(
  retailUnitPrice: string,
  kind: PriceKind,
  version: Pick<PriceListVersion, 'markups'> | null,
  override?: PriceOverride | null,
): CustomerPrice {
  if (override?.unitPrice !== undefined)
    return { unitPrice: fixed(new Big(override.unitPrice)), basis: 'override-price', markupPercent: null };
  if (override?.markupPercent !== undefined) {
    return {
      unitPrice: applyMarkup(retailUnitPrice, override.markupPercent),
      basis: 'override-markup',
      markupPercent: override.markupPercent,
    };
  }
  if (!version) return { unitPrice: fixed(new Big(retailUnitPrice)), basis: 'retail', markupPercent: null };
  const markup = version.markups[kind];
  return { unitPrice: applyMarkup(retailUnitPrice, markup), basis: 'markup', markupPercent: markup };
}

/** The most specific override for a price row: one naming the billing plan beats one that does not. */
export function overrideFor(overrides: readonly PriceOverride[], key: PriceKey): PriceOverride | undefined {
  let best: PriceOverride | undefined;
  let bestScore = -1;
  for (const o of overrides) {
    if (o.catalogItemId !== key.catalogItemId) continue;
    if (o.termDuration !== undefined && o.termDuration !== key.termDuration) continue;
    if (o.billingPlan !== undefined && o.billingPlan !== key.billingPlan) continue;
    const score = (o.billingPlan ? 2 : 0) + (o.termDuration !== undefined ? 1 : 0);
    if (score > bestScore) {
      best = o;
      bestScore = score;
    }
  }
  return best;
}

const later = (a: PriceListVersion, b: PriceListVersion) =>
  a.effectiveFrom.getTime() - b.effectiveFrom.getTime() || a.seq - b.seq;

/** The version in effect at `at`: the latest one effective at or before it (never a future one). */
export function versionInEffect<V extends PriceListVersion>(versions: readonly V[], at: Date): V | undefined {
  let found: V | undefined;
  for (const v of versions) {
    if (v.effectiveFrom.getTime() > at.getTime()) continue;
    if (!found || later(v, found) > 0) found = v;
  }
  return found;
}

/**
 * A list's versions as they take effect, oldest first: of versions effective at the same moment
 * only the last saved counts (saving again for the same date replaces what was scheduled).
 */
export function timelineOf<V extends PriceListVersion>(versions: readonly V[]): V[] {
  const byMoment = new Map<number, V>();
  for (const v of versions) {
    const seen = byMoment.get(v.effectiveFrom.getTime());
    if (!seen || v.seq > seen.seq) byMoment.set(v.effectiveFrom.getTime(), v);
  }
  return [...byMoment.values()].sort(later);
}

/** What the partner keeps: customer price − own cost, and that as a percent of the customer price. */
export function marginOf(
  unitPrice: string,
  cost: string | null,
): { amount: string; percent: string | null } | null {
  if (cost === null) return null;
  const amount = new Big(unitPrice).minus(cost);
  const price = new Big(unitPrice);
  return {
    amount: fixed(amount),
    percent: price.eq(0) ? null : amount.div(price).times(100).round(2, Big.roundHalfUp).toFixed(2),
  };
}

/** A percent in its shortest form: "10.00" → "10", "-5.50" → "-5.5", "-0" → "0". */
export function normalizePercent(value: string): string {
  const n = new Big(value);
  return n.eq(0) ? '0' : n.toFixed();
}
