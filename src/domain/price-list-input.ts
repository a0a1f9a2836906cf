import Big from 'big.js';
import type { BillingPlan } from '../store/schema.ts';
import { type Markups, normalizePercent, type PriceOverride, priceKinds } from './customer-prices.ts';
import { invalid } from './errors.ts';

/**
 * Checking a price list a partner sends (PUT …/price-list) before anything is stored: every
 * refusal is a 400 with a code and a sentence that names the field and says what to send.
 */

export interface PriceListInput {
  markups: Record<string, string>;
  overrides?: {
    catalogItemId: string;
    termDuration?: string;
    billingPlan?: string;
    unitPrice?: string;
    markupPercent?: string;
  }[];
  effectiveFrom?: string | null;
}

/** What the check needs to know of a catalog item. */
export interface CatalogFacts {
  /** '' when the item has no term. */
  termDuration: string;
  /** The billing plans the item is priced under (its retail rows). */
  billingPlans: BillingPlan[];
}

export interface CheckedPriceList {
  markups: Markups;
  overrides: PriceOverride[];
  /** null: takes effect at once. */
  effectiveFrom: Date | null;
}

const percentPattern = /^[+-]?\d{1,6}(\.\d+)?$/;
const pricePattern = /^\d{1,14}(\.\d+)?$/;
const billingPlans: BillingPlan[] = ['upfront', 'monthly', 'usage', 'license_monthly'];
const maxAheadYears = 5;

export function parsePercent(value: unknown, field: string): string {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!percentPattern.test(text) || (text.split('.')[1]?.length ?? 0) > 2) {
    throw invalid(
      'invalid-markup',
      `${field} must be a percent with at most two decimals, such as "10" (10 % above retail) or "-5" (5 % below); "${String(value)}" is not one.`,
      { field },
    );
  }
  const n = new Big(text.replace(/^\+/, ''));
  if (n.lt(-100) || n.gt(1000)) {
    throw invalid(
      'markup-out-of-range',
      `${field} must be between -100 (free) and 1000 (eleven times retail); ${text} is not.`,
      { field },
    );
  }
  return normalizePercent(n.toFixed());
}

function parseUnitPrice(value: string, field: string): string {
  const text = value.trim();
  if (!pricePattern.test(text) || (text.split('.')[1]?.length ?? 0) > 6) {
    throw invalid(
      'invalid-override-price',
      `${field} must be a price of 0 or more with at most six decimals, such as "35.50"; "${value}" is not one.`,
      { field },
    );
  }
  return new Big(text).toFixed(6);
}

/** A date (00:00 UTC that day) or a date and time with its zone; null when absent (at once). */
export function parseEffectiveFrom(value: string | null | undefined, now: Date): Date | null {
  if (value === undefined || value === null || value.trim() === '') return null;
  const text = value.trim();
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const withZone = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(text);
  const at = new Date(dateOnly ? `${text}T00:00:00Z` : text);
  if (
    (!dateOnly && !withZone) ||
    Number.isNaN(at.getTime()) ||
    (dateOnly && at.toISOString().slice(0, 10) !== text)
  ) {
    throw invalid(
      'invalid-effective-date',
      `effectiveFrom must be a date such as 2026-11-01 (from 00:00 UTC that day) or a date and time with its zone, such as 2026-11-01T08:00:00+07:00; "${value}" is not one.`,
      { field: 'effectiveFrom' },
    );
  }
  if (at.getTime() <= now.getTime()) {
    throw invalid(
      'effective-date-in-past',
      `effectiveFrom ${text} is not in the future: past prices are never rewritten. Leave effectiveFrom out to apply the change at once, or pick a later date.`,
      { field: 'effectiveFrom' },
    );
  }
  const limit = new Date(now);
  limit.setUTCFullYear(limit.getUTCFullYear() + maxAheadYears);
  if (at > limit) {
    throw invalid(
      'effective-date-too-far',
      `effectiveFrom may be at most ${maxAheadYears} years ahead; ${text} is further.`,
      { field: 'effectiveFrom' },
    );
  }
  return at;
}

const overrideKey = (o: PriceOverride) =>
  `${o.catalogItemId}|${o.termDuration ?? '*'}|${o.billingPlan ?? '*'}`;

function parseOverride(
  raw: NonNullable<PriceListInput['overrides']>[number],
  index: number,
  catalog: (catalogItemId: string) => CatalogFacts | undefined,
): PriceOverride {
  const at = `overrides[${index}]`;
  const facts = catalog(raw.catalogItemId);
  if (!facts) {
    throw invalid(
      'unknown-catalog-item',
      `${at}.catalogItemId ${raw.catalogItemId} is not in the catalog; use a catalog item id from GET /api/prices?kind=retail.`,
      { field: `${at}.catalogItemId`, index },
    );
  }
  const override: PriceOverride = { catalogItemId: raw.catalogItemId };
  const term = raw.termDuration?.trim() ?? '';
  if (term !== '') {
    if (term !== facts.termDuration) {
      throw invalid(
        'override-term-mismatch',
        `${at}.termDuration ${term} is not the term of ${raw.catalogItemId} (${facts.termDuration || 'none'}); leave it out or send the item's own term.`,
        { field: `${at}.termDuration`, index },
      );
    }
    override.termDuration = term;
  }
  const plan = raw.billingPlan?.trim() ?? '';
  if (plan !== '') {
    if (!billingPlans.includes(plan as BillingPlan) || !facts.billingPlans.includes(plan as BillingPlan)) {
      throw invalid(
        'override-billing-plan-invalid',
        `${at}.billingPlan "${plan}" is not a billing plan of ${raw.catalogItemId}; use one of ${facts.billingPlans.join(', ')}.`,
        { field: `${at}.billingPlan`, index },
      );
    }
    override.billingPlan = plan as BillingPlan;
  }
  const hasPrice = raw.unitPrice !== undefined && raw.unitPrice !== '';
  const hasMarkup = raw.markupPercent !== undefined && raw.markupPercent !== '';
  if (hasPrice === hasMarkup) {
    throw invalid(
      'override-needs-one-price',
      `${at} must set exactly one of unitPrice (a fixed price) and markupPercent (a markup on retail).`,
      { field: at, index },
    );
  }
  if (hasPrice) {
    // A fixed price means one thing per billing period: an item sold upfront and monthly needs two.
    if (!override.billingPlan && facts.billingPlans.length > 1) {
      throw invalid(
        'override-billing-plan-required',
        `${at} fixes a price for ${raw.catalogItemId}, which is sold ${facts.billingPlans.join(' and ')}; name the billingPlan the price is for.`,
        { field: `${at}.billingPlan`, index },
      );
    }
    override.unitPrice = parseUnitPrice(raw.unitPrice!, `${at}.unitPrice`);
  } else {
    override.markupPercent = parsePercent(raw.markupPercent, `${at}.markupPercent`);
  }
  return override;
}

/** Checks and normalises a price list; throws the first problem as a 400 MitraError. */
export function checkPriceList(
  input: PriceListInput,
  catalog: (catalogItemId: string) => CatalogFacts | undefined,
  now: Date,
): CheckedPriceList {
  const markups = Object.fromEntries(
    priceKinds.map((kind) => [kind, parsePercent(input.markups?.[kind], `markups.${kind}`)]),
  ) as Markups;
  const overrides: PriceOverride[] = [];
  const seen = new Set<string>();
  for (const [index, raw] of (input.overrides ?? []).entries()) {
    const override = parseOverride(raw, index, catalog);
    const key = overrideKey(override);
    if (seen.has(key)) {
      throw invalid(
        'duplicate-override',
        `overrides[${index}] repeats an override for ${override.catalogItemId} with the same term and billing plan; keep one.`,
        { field: `overrides[${index}]`, index },
      );
    }
    seen.add(key);
    overrides.push(override);
  }
  return { markups, overrides, effectiveFrom: parseEffectiveFrom(input.effectiveFrom, now) };
}
