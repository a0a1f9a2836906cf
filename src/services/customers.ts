import { randomUUID } from 'node:crypto';
import type { Actor } from '../domain/actor.ts';
import { normalizeBillingProfile } from '../domain/billing-profile.ts';
import { conflict, customerNotFound, invalid } from '../domain/errors.ts';
import { isUuid } from '../domain/ids.ts';
import { authorize } from '../domain/policies.ts';
import type { Db } from '../store/db.ts';
import type { Customer } from '../store/schema.ts';
import { writeAudit } from './audit-log.ts';
import { type Call, inTransaction } from './call.ts';
import {
  type CreatedCustomerUser,
  insertCustomerUser,
  type NewCustomerUser,
  prepareCustomerUser,
} from './customer-user-accounts.ts';
import { decodeContinuation, encodeContinuation, pageSize } from './paging.ts';

export interface CustomerQuery {
  /** Company name or domain prefix (case-insensitive), as partner center's `starts_with` filter. */
  search?: { field: 'companyName' | 'domain'; prefix: string };
  size?: number;
  continuationToken?: string;
}

export interface CustomerPage {
  items: (Customer & { subscription_count: number; has_azure_plan: boolean })[];
  totalCount: number;
  continuationToken: string | null;
}

const likePrefix = (s: string) => `${s.replace(/[\\%_]/g, (c) => `\\${c}`).toLowerCase()}%`;

export async function listCustomers(db: Db, call: Call, query: CustomerQuery): Promise<CustomerPage> {
  authorize(call.actor, 'partnerRead');
  const partnerId = call.actor.partnerId;
  const size = pageSize(query.size, 100, 500);
  let base = db.selectFrom('customers').where('customers.partner_id', '=', partnerId);
  if (query.search?.prefix) {
    const column = query.search.field === 'domain' ? 'customers.domain' : 'customers.company_name';
    base = base.where((eb) => eb(eb.fn('lower', [column]), 'like', likePrefix(query.search!.prefix)));
  }
  const { count } = await base.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
  let page = base
    .selectAll('customers')
    .select((eb) => [
      eb
        .selectFrom('subscriptions')
        .whereRef('subscriptions.customer_id', '=', 'customers.id')
        .where('subscriptions.status', '!=', 'deleted')
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('subscription_count'),
      eb
        .exists(
          eb
            .selectFrom('subscriptions')
            .whereRef('subscriptions.customer_id', '=', 'customers.id')
            .where('subscriptions.status', '=', 'active')
            .where('subscriptions.product_type', 'in', ['azure_plan', 'azure_global'])
            .select('subscriptions.id'),
        )
        .as('has_azure_plan'),
    ])
    .orderBy('customers.company_name')
    .orderBy('customers.id')
    .limit(size + 1);
  if (query.continuationToken) {
    const after = decodeContinuation<{ n: string; i: string }>(query.continuationToken, {
      n: 'string',
      i: 'uuid',
    });
    page = page.where((eb) =>
      eb.or([
        eb('customers.company_name', '>', after.n),
        eb.and([eb('customers.company_name', '=', after.n), eb('customers.id', '>', after.i)]),
      ]),
    );
  }
  const rows = await page.execute();
  const items = rows
    .slice(0, size)
    .map((r) => ({ ...r, subscription_count: Number(r.subscription_count ?? 0) }));
  const last = items.at(-1);
  return {
    items: items as CustomerPage['items'],
    totalCount: Number(count),
    continuationToken:
      rows.length > size && last ? encodeContinuation({ n: last.company_name, i: last.id }) : null,
  };
}

/**
 * Reads one customer of the caller's own partner. Another partner's customer answers exactly like a
 * missing one, so ids of other tenants never leak.
 */
export async function findOwnCustomer(db: Db, actor: Actor, customerId: string): Promise<Customer> {
  if (!isUuid(customerId)) throw customerNotFound(customerId);
  let q = db
    .selectFrom('customers')
    .selectAll()
    .where('id', '=', customerId)
    .where('partner_id', '=', actor.partnerId);
  if (actor.kind === 'customer_user') q = q.where('id', '=', actor.customerId);
  const customer = await q.executeTakeFirst();
  if (!customer) throw customerNotFound(customerId);
  return customer;
}

export async function getCustomer(db: Db, call: Call, customerId: string): Promise<Customer> {
  authorize(call.actor, 'partnerRead');
  return findOwnCustomer(db, call.actor, customerId);
}

export interface NewCustomer {
  companyName: string;
  domain: string;
  country: string;
  currency?: string;
  culture: string;
  language: string;
  email: string;
  firstName: string;
  lastName: string;
  addressLine1: string;
  city: string;
  state?: string;
  postalCode: string;
  phone?: string;
  /** The customer's first user (the partner portal's "Add customer"); its password is made here. */
  firstUser?: NewCustomerUser;
}

const currencyByCountry: Record<string, string> = {
  US: 'USD',
  ID: 'IDR',
  GB: 'GBP',
  AU: 'AUD',
  SG: 'SGD',
  JP: 'JPY',
  DE: 'EUR',
  FR: 'EUR',
  NL: 'EUR',
};

export async function createCustomer(
  db: Db,
  call: Call,
  input: NewCustomer,
): Promise<Customer & { firstUser?: CreatedCustomerUser }> {
  authorize(call.actor, 'customersCreate');
  const partnerId = call.actor.partnerId;
  const domain = input.domain.trim().toLowerCase();
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(domain)) {
    throw invalid(
      'invalid-domain',
      `"${input.domain}" is not a domain name; use a form such as fabrikam.onmicrosoft.com.`,
    );
  }
  const country = input.country.toUpperCase();
  // The same checks as an edit of the billing profile: trimmed, a real e-mail, a real culture.
  const profile = normalizeBillingProfile({
    companyName: input.companyName,
    email: input.email,
    firstName: input.firstName,
    lastName: input.lastName,
    addressLine1: input.addressLine1,
    city: input.city,
    state: input.state,
    postalCode: input.postalCode,
    phone: input.phone,
    culture: input.culture,
    language: input.language,
  });
  const firstUser = input.firstUser ? await prepareCustomerUser(input.firstUser, 'user.') : undefined;
  return inTransaction(db, async (trx) => {
    const taken = await trx
      .selectFrom('customers')
      .select('id')
      .where('domain', '=', domain)
      .executeTakeFirst();
    if (taken) {
      throw conflict(
        'domain-taken',
        `The domain ${domain} is already in use by another customer; choose another domain.`,
      );
    }
    const customer = await trx
      .insertInto('customers')
      .values({
        id: randomUUID(),
        partner_id: partnerId,
        commerce_id: randomUUID(),
        company_name: profile.companyName!,
        domain,
        country,
        currency: (input.currency ?? currencyByCountry[country] ?? 'USD').toUpperCase(),
        culture: profile.culture!,
        language: profile.language!,
        email: profile.email!,
        first_name: profile.firstName!,
        last_name: profile.lastName!,
        address_line1: profile.addressLine1!,
        city: profile.city!,
        state: profile.state ?? '',
        postal_code: profile.postalCode!,
        phone: profile.phone ?? '',
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, call, {
      partnerId,
      customer: { id: customer.id, name: customer.company_name },
      resourceType: 'customer',
      operationType: 'add_customer',
      newValue: { id: customer.id, companyName: customer.company_name, domain: customer.domain, country },
    });
    // Same transaction: a customer whose first user cannot be made is not made either.
    if (!firstUser) return customer;
    return { ...customer, firstUser: await insertCustomerUser(trx, call, customer, firstUser) };
  });
}
