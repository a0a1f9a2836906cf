import Big from 'big.js';
import type { AppliedScope, AppliedScopeType, CommitmentKind, SubscriptionRole } from '../store/schema.ts';
import { forbidden, invalid, MitraError } from './errors.ts';
import { reservationRestrictedMarkets } from './permissions.ts';

/**
 * Reservations and savings plans: who may buy them (R6, R19), what they cost and how they bill
 * (R8, R14), and the partner-only lifecycle (R12): refund with the rolling cap, exchange value rule.
 * Pure rules; services bring the facts.
 */

export type Term = 'P1Y' | 'P3Y';
export type BillingPlan = 'Upfront' | 'Monthly';

export const termMonths: Record<Term, number> = { P1Y: 12, P3Y: 36 };

export function parseTerm(value: string): Term {
  if (value === 'P1Y' || value === 'P3Y') return value;
  throw new MitraError(
    'invalid',
    'unsupported-reservation-term',
    `Term "${value}" is not offered; use P1Y or P3Y.`,
  );
}

/** ARM says Upfront/Monthly for reservations and P1M (monthly) for savings plans. */
export function parseBillingPlan(value: string): BillingPlan {
  const v = value.toLowerCase();
  if (v === 'upfront' || v === 'p1y' || v === 'p3y') return 'Upfront';
  if (v === 'monthly' || v === 'p1m') return 'Monthly';
  throw invalid(
    'unsupported-billing-plan',
    `Billing plan "${value}" is not offered; use Upfront or Monthly.`,
  );
}

export const resourceOfKind = {
  reservation: 'AzureReservedInstances',
  savings_plan: 'AzureSavingsPlan',
} as const;

export interface PurchaseFacts {
  kind: CommitmentKind;
  /** Whether the customer's partner allowed this kind of purchase (R6a). */
  permissionEnabled: boolean;
  /** The billing subscription: exists for this customer, bought by its partner, and its state. */
  billingSubscription: { id: string; productType: string; status: string } | null;
  billingSubscriptionName: string;
  /** Roles the buying customer user holds on the billing subscription (R6c); null for partner purchases. */
  buyerRoles: SubscriptionRole[] | null;
  country: string;
}

/**
 * Why a purchase is refused, or null. Each reason has its own code and a sentence for the person
 * who will read it in the customer portal or an SDK exception.
 */
export function purchaseRefusal(f: PurchaseFacts): MitraError | null {
  const what = f.kind === 'reservation' ? 'Azure reservations' : 'Azure savings plans';
  const sub = f.billingSubscription;
  if (!sub || (sub.productType !== 'azure_plan' && sub.productType !== 'azure_global')) {
    return invalid(
      'billing-subscription-not-eligible',
      `${f.billingSubscriptionName} is not an Azure plan or Azure Global subscription your provider bought for you; choose one of those as the billing subscription.`,
    );
  }
  if (sub.status !== 'active') {
    return new MitraError(
      'conflict',
      'billing-subscription-not-active',
      `The billing subscription ${f.billingSubscriptionName} is ${sub.status}; only an active subscription can pay for ${what}.`,
    );
  }
  if (f.kind === 'reservation' && reservationRestrictedMarkets.has(f.country.toUpperCase())) {
    return new MitraError(
      'conflict',
      'market-not-supported',
      `Azure reservations are not sold in your market (${f.country.toUpperCase()}).`,
      800013,
    );
  }
  if (!f.permissionEnabled) {
    return forbidden(
      'permission-not-enabled',
      `Your provider has not allowed you to buy ${what}. Ask your partner to turn on the "${what}" customer permission for your organisation.`,
    );
  }
  if (f.buyerRoles && !f.buyerRoles.includes('Owner')) {
    const held = f.buyerRoles.length ? `you hold ${f.buyerRoles.join(', ')}` : 'you hold no role there';
    return forbidden(
      'owner-role-required',
      `Buying ${what} needs the Owner role on the billing subscription ${f.billingSubscriptionName}; ${held}. Ask an Owner of that subscription or your partner to make you Owner.`,
    );
  }
  return null;
}

/** What the customer (and the partner's ledger) pays: per billing plan, in the price list's currency. */
export function commitmentTotal(
  plan: BillingPlan,
  term: Term,
  unitPrice: string,
  units: string | number,
): string {
  const perPeriod = new Big(unitPrice).times(units);
  return (plan === 'Upfront' ? perPeriod : perPeriod.times(termMonths[term])).toFixed(6);
}

/** `yyyy-mm-01` of the month `offset` months after `date` (UTC). */
export function monthOf(date: Date, offset: number): string {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + offset, 1));
  return d.toISOString().slice(0, 10);
}

export function expiryOf(purchasedAt: Date, term: Term): Date {
  const d = new Date(purchasedAt);
  d.setUTCMonth(d.getUTCMonth() + termMonths[term]);
  return d;
}

/** Exchange value rule (§4.1): the new lifetime commitment must be at least what is returned. */
export function checkExchangeValue(newLifetimeTotal: string, returnedValue: string): void {
  if (new Big(newLifetimeTotal).lt(returnedValue)) {
    throw new MitraError(
      'conflict',
      'exchange-value-too-low',
      `The new purchase (${new Big(newLifetimeTotal).toFixed(2)}) must be worth at least the remaining value of the returned reservation (${new Big(returnedValue).toFixed(2)}); choose a larger quantity, SKU or term.`,
    );
  }
}

/** Scope validation: a Single scope names a subscription; ResourceGroup also a group. */
export function parseAppliedScope(
  type: string,
  scope: AppliedScope,
): { type: AppliedScopeType; scope: AppliedScope } {
  const t = (['Shared', 'Single', 'ResourceGroup', 'ManagementGroup'] as const).find(
    (x) => x.toLowerCase() === type.toLowerCase(),
  );
  if (!t)
    throw invalid(
      'invalid-applied-scope-type',
      `Applied scope type "${type}" is not known; use Shared, Single, ResourceGroup or ManagementGroup.`,
    );
  if ((t === 'Single' || t === 'ResourceGroup') && !scope.subscriptionId) {
    throw invalid(
      'missing-applied-scopes-for-single',
      'A Single or ResourceGroup scope needs the subscription it applies to.',
    );
  }
  if (t === 'ResourceGroup' && !scope.resourceGroup)
    throw invalid('missing-resource-group', 'A ResourceGroup scope needs the resource group name.');
  if (t === 'ManagementGroup' && !scope.managementGroupId)
    throw invalid('missing-management-group', 'A ManagementGroup scope needs the management group id.');
  if (t === 'Shared') return { type: t, scope: {} };
  return { type: t, scope };
}

/** What a customer may not do to a commitment bought under its CSP subscription (R12). */
export function partnerActionRequired(action: string): MitraError {
  return forbidden(
    'partner-action-required',
    `You cannot ${action} a reservation or savings plan bought under your provider's subscription; ask your partner to do it for you.`,
  );
}
