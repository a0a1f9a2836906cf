import {
  type Markups,
  type PriceBillingPlan,
  type PriceListBody,
  type PriceListVersion,
  type PriceOverride,
  priceKinds,
} from '../../../priceLists.ts';

/** The editor's working copy of a price list: strings as typed, until they are sent. */
export interface DraftOverride {
  /** A local key for React lists; not sent. */
  key: string;
  catalogItemId: string;
  billingPlan: PriceBillingPlan | '';
  type: 'markup' | 'price';
  value: string;
}

export interface Draft {
  markups: Markups;
  overrides: DraftOverride[];
  timing: 'now' | 'date';
  /** 'yyyy-mm-dd', used when timing is 'date'. */
  date: string;
}

const zero: Markups = { usage: '0', reservations: '0', savingsPlans: '0', licences: '0' };
let counter = 0;
export const newKey = () => `o${++counter}`;

const pad = (n: number) => String(n).padStart(2, '0');
/** Tomorrow (UTC): the first day a dated change can start. */
export function tomorrow(now = new Date()): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** A draft starting from the version the customer pays by now (or retail when there is none). */
export function draftOf(version: PriceListVersion | null): Draft {
  return {
    markups: { ...(version?.markups ?? zero) },
    overrides: (version?.overrides ?? []).map((o) => ({
      key: newKey(),
      catalogItemId: o.catalogItemId,
      billingPlan: o.billingPlan ?? '',
      type: o.unitPrice !== undefined ? 'price' : 'markup',
      value: o.unitPrice ?? o.markupPercent ?? '',
    })),
    timing: 'now',
    date: tomorrow(),
  };
}

const percentPattern = /^[+-]?\d{1,4}(\.\d{1,2})?$/;
/** As typed: a minus sign or hyphen, and a decimal comma (Indonesian) or point. */
const normal = (value: string) => value.trim().replace('−', '-').replace(',', '.');

export const isPercent = (value: string) => {
  const text = normal(value);
  return percentPattern.test(text) && Number(text) >= -100 && Number(text) <= 1000;
};
const isPrice = (value: string) => /^\d{1,14}(\.\d{1,6})?$/.test(normal(value));

/** Problems the browser can see at once (the server checks everything again, with the same codes). */
export function draftProblems(draft: Draft) {
  const markups = priceKinds.filter((k) => !isPercent(draft.markups[k]));
  const overrides = draft.overrides
    .filter((o) => !o.catalogItemId || !(o.type === 'price' ? isPrice(o.value) : isPercent(o.value)))
    .map((o) => o.key);
  const date = draft.timing === 'date' && draft.date < tomorrow();
  return { markups, overrides, date, any: markups.length > 0 || overrides.length > 0 || date };
}

/** What PUT …/price-list is sent; null while the draft has a problem the browser can see. */
export function bodyOf(draft: Draft): PriceListBody | null {
  if (draftProblems(draft).any) return null;
  const markups = Object.fromEntries(priceKinds.map((k) => [k, normal(draft.markups[k])])) as Markups;
  const overrides: PriceOverride[] = draft.overrides.map((o) => ({
    catalogItemId: o.catalogItemId,
    ...(o.billingPlan ? { billingPlan: o.billingPlan } : {}),
    ...(o.type === 'price' ? { unitPrice: normal(o.value) } : { markupPercent: normal(o.value) }),
  }));
  return { markups, overrides, ...(draft.timing === 'date' ? { effectiveFrom: draft.date } : {}) };
}

/** Whether the draft would change anything compared to the version in effect. */
export function isDirty(draft: Draft, version: PriceListVersion | null): boolean {
  if (draft.timing === 'date') return true;
  const a = bodyOf(draft) ?? { invalid: true };
  const b = bodyOf(draftOf(version));
  return JSON.stringify(a) !== JSON.stringify(b);
}
