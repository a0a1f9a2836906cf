import { type Static, Type } from '@sinclair/typebox';
import type { BillingProfileView } from '../../services/billing-profile.ts';
import type { CreatedCustomerUser } from '../../services/customer-user-accounts.ts';
import type { CustomerUserRow } from '../../services/customer-users.ts';

/**
 * The contract of the partner's own jobs (R20): request bodies and answers as TypeBox schemas, so
 * Fastify validates and serialises with them, /openapi.json documents them and the handlers are
 * typed by them (no casts).
 */

const Text = (maxLength: number, minLength = 1) => Type.String({ minLength, maxLength });
const Iso = Type.String({ description: 'ISO 8601 UTC' });

export const CustomerParams = Type.Object({ id: Type.String() });

/** The billing profile fields a partner fills in when adding a customer and may edit later. */
const billingFields = {
  companyName: Text(200),
  email: Text(254),
  firstName: Text(100),
  lastName: Text(100),
  addressLine1: Text(200),
  city: Text(100),
  state: Type.Optional(Text(100, 0)),
  postalCode: Text(20),
  phone: Type.Optional(Text(40, 0)),
  culture: Text(20, 2),
  language: Text(20, 2),
};

export const NewUserBody = Type.Object(
  { email: Text(254), displayName: Text(200) },
  { additionalProperties: false },
);

export const NewCustomerBody = Type.Object(
  {
    ...billingFields,
    domain: Text(253, 3),
    country: Type.String({ pattern: '^[A-Za-z]{2}$', description: 'ISO 3166 country code: the market' }),
    currency: Type.Optional(
      Type.String({ pattern: '^[A-Za-z]{3}$', description: "ISO 4217; the country's currency when absent" }),
    ),
    user: NewUserBody,
  },
  { additionalProperties: false },
);
export type NewCustomerBody = Static<typeof NewCustomerBody>;

/** Every field optional; country and currency are accepted only to be refused with a sentence. */
export const BillingProfilePatch = Type.Object(
  {
    companyName: Type.Optional(Text(200, 0)),
    email: Type.Optional(Text(254, 0)),
    firstName: Type.Optional(Text(100, 0)),
    lastName: Type.Optional(Text(100, 0)),
    addressLine1: Type.Optional(Text(200, 0)),
    city: Type.Optional(Text(100, 0)),
    state: Type.Optional(Text(100, 0)),
    postalCode: Type.Optional(Text(20, 0)),
    phone: Type.Optional(Text(40, 0)),
    culture: Type.Optional(Text(20, 0)),
    language: Type.Optional(Text(20, 0)),
    country: Type.Optional(Type.String({ maxLength: 100 })),
    currency: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type BillingProfilePatch = Static<typeof BillingProfilePatch>;

export const IfMatchHeaders = Type.Object({ 'if-match': Type.Optional(Type.String()) });

export const CreatedUser = Type.Object({
  id: Type.String(),
  email: Type.String(),
  displayName: Type.String(),
  createdAt: Iso,
  initialPassword: Type.String({ description: 'Shown once; Mitra keeps only its argon2id hash' }),
});

export const CustomerUser = Type.Object({
  id: Type.String(),
  email: Type.String(),
  displayName: Type.String(),
  createdAt: Iso,
  roles: Type.Array(
    Type.Object({
      subscriptionId: Type.String(),
      subscriptionName: Type.String(),
      role: Type.Union([Type.Literal('Owner'), Type.Literal('Contributor'), Type.Literal('Reader')]),
    }),
  ),
});

export const CustomerUserList = Type.Object({
  items: Type.Array(CustomerUser),
  /** Whether the caller may add users (Admin agents). */
  canAdd: Type.Boolean(),
});

export const BillingProfile = Type.Object({
  customerId: Type.String(),
  companyName: Type.String(),
  email: Type.String(),
  firstName: Type.String(),
  lastName: Type.String(),
  addressLine1: Type.String(),
  city: Type.String(),
  state: Type.String(),
  postalCode: Type.String(),
  phone: Type.String(),
  culture: Type.String(),
  language: Type.String(),
  country: Type.String({ description: 'Fixed at creation' }),
  currency: Type.String({ description: 'Fixed at creation' }),
  etag: Type.String(),
  /** Whether the caller may edit it (Admin and Helpdesk agents). */
  canEdit: Type.Boolean(),
});

export const CustomerDetail = Type.Object({
  id: Type.String(),
  companyName: Type.String(),
  domain: Type.String(),
  country: Type.String(),
  currency: Type.String(),
  culture: Type.String(),
  language: Type.String(),
  email: Type.String(),
  relationship: Type.String(),
  createdAt: Type.Union([Iso, Type.Null()]),
  contact: Type.Object({ firstName: Type.String(), lastName: Type.String(), phone: Type.String() }),
  address: Type.Object({
    line1: Type.String(),
    city: Type.String(),
    state: Type.String(),
    postalCode: Type.String(),
    country: Type.String(),
  }),
});

export const CreatedCustomer = Type.Object({ customer: CustomerDetail, user: CreatedUser });

export const ErrorAnswer = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  }),
});

const iso = (d: Date | string) => new Date(d).toISOString();

export const createdUserView = (u: CreatedCustomerUser): Static<typeof CreatedUser> => ({
  id: u.id,
  email: u.email,
  displayName: u.displayName,
  createdAt: iso(u.createdAt),
  initialPassword: u.initialPassword,
});

export const customerUserView = (u: CustomerUserRow): Static<typeof CustomerUser> => ({
  id: u.id,
  email: u.email,
  displayName: u.displayName,
  createdAt: iso(u.createdAt),
  roles: u.roles,
});

export const billingProfileView = (
  v: BillingProfileView,
  canEdit: boolean,
): Static<typeof BillingProfile> => ({
  customerId: v.customer.id,
  ...v.profile,
  country: v.customer.country,
  currency: v.customer.currency,
  etag: v.etag,
  canEdit,
});
