import type { Actor } from '../domain/actor.ts';
import { forbidden, invalid, notFound } from '../domain/errors.ts';
import type { BillingRate, FocusView } from '../domain/focus.ts';
import { isUuid } from '../domain/ids.ts';
import { lastDayOf } from '../domain/invoices.ts';
import { authorizeOperator, type OperatorCall } from '../domain/operator.ts';
import { authorize } from '../domain/policies.ts';
import type { Db } from '../store/db.ts';
import type { Customer } from '../store/schema.ts';
import type { Call } from './call.ts';
import { findOwnCustomer } from './customers.ts';
import { rateMissing, rateOnOrBefore } from './exchange-rates.ts';
import { subscriptionNotFound } from './subscriptions.ts';
import { ledgerCurrencyOf } from './usage-pricing.ts';

/**
 * Who may export which FOCUS 1.2 cost data (issue 9, B6), decided before a byte is written: a
 * partner user exports the partner view of all its customers or one (purchases and unused
 * commitment included); a customer user the customer view (R17–R18) of the subscriptions they
 * hold a role on, and only while the partner has enabled cost management for them; the `mitra`
 * command either view of any customer. Writing the rows is `focus-files.ts`.
 */
export interface FocusExportRequest {
  /** First day, UTC, inclusive (`yyyy-mm-dd`). */
  from: string;
  /** Day after the last one, UTC, exclusive — as `mitra benefits run` counts. */
  to: string;
  customerId?: string;
  /** Mitra's subscription id or the Azure subscription id. */
  subscriptionId?: string;
}

export interface FocusCustomerPlan {
  customer: Customer;
  /** Mitra subscription ids the export is limited to; null: all of the customer's. */
  subscriptionIds: string[] | null;
  billingCurrency: string;
  /** Pricing currency → billing currency per month (`yyyy-mm`) of the period. */
  rates: Map<string, BillingRate>;
}

export interface FocusExportPlan {
  view: FocusView;
  partner: { id: string; name: string };
  pricingCurrency: string;
  from: Date;
  to: Date;
  customers: FocusCustomerPlan[];
}

/** The sentence customer users read when their partner has not turned cost management on (R17). */
export const costManagementDisabled = () =>
  forbidden(
    'cost-management-disabled',
    'Your provider has not enabled cost management for your organisation.',
  );

const DAY = 86_400_000;
const MAX_DAYS = 366;

function periodOf(request: FocusExportRequest) {
  const valid = (d: string) => /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`));
  if (!valid(request.from) || !valid(request.to))
    throw invalid('export-period-invalid', 'Give the period as days: from=yyyy-mm-dd and to=yyyy-mm-dd.');
  const from = new Date(`${request.from}T00:00:00Z`);
  const to = new Date(`${request.to}T00:00:00Z`);
  if (to <= from) throw invalid('export-period-invalid', '`to` is exclusive: it must be after `from`.');
  if ((to.getTime() - from.getTime()) / DAY > MAX_DAYS)
    throw invalid('export-period-too-long', `Export at most ${MAX_DAYS} days at a time.`);
  return { from, to };
}

/** The months (`yyyy-mm`) [from, to) touches. */
function monthsOf(from: Date, to: Date): string[] {
  const months: string[] = [];
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1));
  while (d < to) {
    months.push(d.toISOString().slice(0, 7));
    d.setUTCMonth(d.getUTCMonth() + 1);
  }
  return months;
}

/**
 * Customer view: the rate invoices use for a month, the latest on or before its last day
 * (the partner's own before the operator's). Partner view: the ledger's currency, rate 1.
 */
async function ratesFor(
  db: Db,
  customer: Customer,
  view: FocusView,
  pricing: string,
  from: Date,
  to: Date,
): Promise<{ billingCurrency: string; rates: Map<string, BillingRate> }> {
  const billingCurrency = view === 'partner' ? pricing : customer.currency;
  const rates = new Map<string, BillingRate>();
  for (const month of monthsOf(from, to)) {
    if (billingCurrency === pricing) {
      rates.set(month, { rate: '1', date: null });
      continue;
    }
    const day = lastDayOf(month);
    const rate = await rateOnOrBefore(db, customer.partner_id, pricing, billingCurrency, day);
    if (!rate) throw rateMissing(pricing, billingCurrency, day);
    rates.set(month, { rate: rate.rate, date: rate.date });
  }
  return { billingCurrency, rates };
}

async function subscriptionFilter(db: Db, customer: Customer, subscriptionId?: string) {
  if (!subscriptionId) return null;
  if (!isUuid(subscriptionId)) throw subscriptionNotFound(subscriptionId);
  const found = await db
    .selectFrom('subscriptions')
    .select('id')
    .where('customer_id', '=', customer.id)
    .where((eb) => eb.or([eb('id', '=', subscriptionId), eb('entitlement_id', '=', subscriptionId)]))
    .executeTakeFirst();
  if (!found) throw subscriptionNotFound(subscriptionId);
  return [found.id];
}

async function partnerOf(db: Db, partnerId: string) {
  const p = await db
    .selectFrom('partners')
    .select(['id', 'name'])
    .where('id', '=', partnerId)
    .executeTakeFirst();
  if (!p) throw notFound('partner-not-found', `No partner ${partnerId} exists.`);
  return p;
}

async function plan(
  db: Db,
  view: FocusView,
  partnerId: string,
  customers: { customer: Customer; subscriptionIds: string[] | null }[],
  period: { from: Date; to: Date },
): Promise<FocusExportPlan> {
  const partner = await partnerOf(db, partnerId);
  const pricingCurrency = customers[0] ? await ledgerCurrencyOf(db, customers[0].customer) : 'USD';
  const planned: FocusCustomerPlan[] = [];
  for (const c of customers)
    planned.push({
      ...c,
      ...(await ratesFor(db, c.customer, view, pricingCurrency, period.from, period.to)),
    });
  return { view, partner, pricingCurrency, ...period, customers: planned };
}

/**
 * A partner user's (or application's) export: the partner view, of one customer or all of them.
 * Another partner's customer is not found, like a missing one.
 */
export async function planPartnerFocusExport(
  db: Db,
  call: Call,
  request: FocusExportRequest,
): Promise<FocusExportPlan> {
  authorize(call.actor, 'partnerRead');
  const period = periodOf(request);
  if (request.subscriptionId && !request.customerId)
    throw invalid('customer-id-required', 'Name the customer (customerId) whose subscription you export.');
  const customers = request.customerId
    ? [await findOwnCustomer(db, call.actor, request.customerId)]
    : await db
        .selectFrom('customers')
        .selectAll()
        .where('partner_id', '=', call.actor.partnerId)
        .orderBy('company_name')
        .orderBy('id')
        .execute();
  const scoped = [];
  for (const customer of customers)
    scoped.push({
      customer,
      subscriptionIds: await subscriptionFilter(db, customer, request.subscriptionId),
    });
  return plan(db, 'partner', call.actor.partnerId, scoped, period);
}

/** The subscriptions a customer user holds a role on: all they may read cost data of. */
async function readableSubscriptions(db: Db, actor: Extract<Actor, { kind: 'customer_user' }>) {
  const rows = await db
    .selectFrom('role_assignments as r')
    .innerJoin('subscriptions as s', 's.id', 'r.subscription_id')
    .select(['s.id', 's.entitlement_id'])
    .distinct()
    .where('r.customer_user_id', '=', actor.userId)
    .where('s.customer_id', '=', actor.customerId)
    .execute();
  return rows;
}

/**
 * A customer user's export (R17–R18): refused while cost management is off for their
 * organisation; only subscriptions they hold a role on.
 */
export async function planMyFocusExport(
  db: Db,
  call: Call,
  request: FocusExportRequest,
): Promise<FocusExportPlan> {
  authorize(call.actor, 'customerSelf');
  const actor = call.actor as Extract<Actor, { kind: 'customer_user' }>;
  const customer = await findOwnCustomer(db, actor, actor.customerId);
  const setting = await db
    .selectFrom('cost_management_settings')
    .select('enabled')
    .where('customer_id', '=', customer.id)
    .where('partner_id', '=', customer.partner_id)
    .executeTakeFirst();
  if (!setting?.enabled) throw costManagementDisabled();
  const period = periodOf(request);
  const readable = await readableSubscriptions(db, actor);
  let subscriptionIds = readable.map((s) => s.id);
  if (request.subscriptionId) {
    const one = readable.find(
      (s) => s.id === request.subscriptionId || s.entitlement_id === request.subscriptionId,
    );
    if (!one) throw subscriptionNotFound(request.subscriptionId);
    subscriptionIds = [one.id];
  }
  return plan(db, 'customer', customer.partner_id, [{ customer, subscriptionIds }], period);
}

/** `mitra export focus`: the operator exports either view of any customer of the installation. */
export async function planOperatorFocusExport(
  db: Db,
  call: OperatorCall,
  request: FocusExportRequest & { customerId: string; view: FocusView },
): Promise<FocusExportPlan> {
  authorizeOperator(call);
  const period = periodOf(request);
  const customer = isUuid(request.customerId)
    ? await db.selectFrom('customers').selectAll().where('id', '=', request.customerId).executeTakeFirst()
    : undefined;
  if (!customer)
    throw notFound(
      'customer-not-found',
      `No customer with id ${request.customerId} exists in this installation.`,
    );
  const subscriptionIds = await subscriptionFilter(db, customer, request.subscriptionId);
  return plan(db, request.view, customer.partner_id, [{ customer, subscriptionIds }], period);
}
