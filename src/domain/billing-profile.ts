import { createHash } from 'node:crypto';
import type { Customer } from '../store/schema.ts';
import { invalid } from './errors.ts';

/**
 * A customer's billing profile as the partner edits it: partner center's `billingProfile` (company
 * name, e-mail, culture, language, default address with the contact's name and phone). The country
 * (market) and the billing currency are part of it too, but they are fixed when the customer is
 * created: partner center does not let a partner move a customer to another market or currency.
 */
export interface BillingProfile {
  companyName: string;
  email: string;
  firstName: string;
  lastName: string;
  addressLine1: string;
  city: string;
  state: string;
  postalCode: string;
  phone: string;
  culture: string;
  language: string;
}

export type BillingProfileField = keyof BillingProfile;

/** Each editable field, its column and its limits; `optional` fields may be emptied. */
const fields: Record<BillingProfileField, { column: keyof Customer; max: number; optional?: boolean }> = {
  companyName: { column: 'company_name', max: 200 },
  email: { column: 'email', max: 254 },
  firstName: { column: 'first_name', max: 100 },
  lastName: { column: 'last_name', max: 100 },
  addressLine1: { column: 'address_line1', max: 200 },
  city: { column: 'city', max: 100 },
  state: { column: 'state', max: 100, optional: true },
  postalCode: { column: 'postal_code', max: 20 },
  phone: { column: 'phone', max: 40, optional: true },
  culture: { column: 'culture', max: 20 },
  language: { column: 'language', max: 20 },
};

export const billingProfileFields = Object.keys(fields) as BillingProfileField[];

export const billingColumnOf = (field: BillingProfileField) => fields[field].column;

export function billingProfileOf(c: Customer): BillingProfile {
  return Object.fromEntries(
    billingProfileFields.map((f) => [f, String(c[fields[f].column] ?? '')]),
  ) as unknown as BillingProfile;
}

/**
 * The version of a billing profile: a hash of its fields, so a client that read the profile can
 * send it back in `If-Match` and learn (412) when someone else changed the profile in between. No
 * column is needed: the profile itself is the version.
 */
export function billingProfileEtag(c: Customer): string {
  const canonical = JSON.stringify([...billingProfileFields.map((f) => c[fields[f].column]), c.country]);
  return `"${createHash('sha256').update(canonical).digest('base64url').slice(0, 22)}"`;
}

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function normalizeEmail(value: string, field = 'email'): string {
  const email = value.trim().toLowerCase();
  if (email.length > 254 || !emailPattern.test(email)) {
    throw invalid(
      'invalid-email',
      `"${value}" is not an e-mail address; use a form such as name@fabrikam.com.`,
      { field },
    );
  }
  return email;
}

/** A culture ("id-ID") or language ("id") tag in its canonical form, or an error that says so. */
export function normalizeLocaleTag(value: string, field: 'culture' | 'language'): string {
  const shape = field === 'language' ? /^[A-Za-z]{2,3}$/ : /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
  try {
    if (shape.test(value.trim())) return Intl.getCanonicalLocales(value.trim())[0];
  } catch {
    // refused below
  }
  throw invalid(
    field === 'language' ? 'invalid-language' : 'invalid-culture',
    field === 'language'
      ? `"${value}" is not a language code; use a two-letter code such as en or id.`
      : `"${value}" is not a culture; use a form such as en-US or id-ID.`,
    { field },
  );
}

/**
 * Checks and normalises the fields a partner sends (trimmed, e-mail lower-cased, culture in its
 * canonical case). Returns only the fields that were sent.
 */
export function normalizeBillingProfile(patch: Partial<BillingProfile>): Partial<BillingProfile> {
  const out: Partial<BillingProfile> = {};
  for (const field of billingProfileFields) {
    const raw = patch[field];
    if (raw === undefined) continue;
    const value = raw.trim();
    const rule = fields[field];
    if (!value && !rule.optional) {
      throw invalid('billing-field-required', `${field} cannot be empty; fill it in or leave it out.`, {
        field,
      });
    }
    if (value.length > rule.max) {
      throw invalid('billing-field-too-long', `${field} is longer than ${rule.max} characters; shorten it.`, {
        field,
      });
    }
    if (field === 'email') out.email = normalizeEmail(value);
    else if (field === 'culture' || field === 'language') out[field] = normalizeLocaleTag(value, field);
    else out[field] = value;
  }
  return out;
}

/** The fields whose value would change, with before and after, in the profile's field order. */
export function billingChanges(current: BillingProfile, next: Partial<BillingProfile>) {
  const before: Partial<BillingProfile> = {};
  const after: Partial<BillingProfile> = {};
  for (const field of billingProfileFields) {
    const value = next[field];
    if (value !== undefined && value !== current[field]) {
      before[field] = current[field];
      after[field] = value;
    }
  }
  return { before, after, fields: Object.keys(after) as BillingProfileField[] };
}
