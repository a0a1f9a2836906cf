import Big from 'big.js';
import { DECIMAL_PLACES, exportColumns, type FocusRow } from './focus-columns.ts';
import {
  armTypeOf,
  resourceLabelOf,
  resourceNameOf,
  serviceOfCommitment,
  serviceOfMeter,
  unitOfMeter,
} from './focus-services.ts';
import { regionNameOf } from './regions.ts';

/**
 * FOCUS 1.2 rows from Mitra's facts, pure. Two audiences (shared/spec/reference/focus.md §4):
 * - `partner`: the engine's figures in the ledger's currency — pay-as-you-go usage, covered usage
 *   split per commitment at its amortized share, a commitment's unused capacity per day, and its
 *   purchases; Σ EffectiveCost is the engine's amortized total, Σ BilledCost its actual total
 *   plus purchases.
 * - `customer` (R17–R18): usage only, at pay-as-you-go retail, in the customer's billing currency;
 *   what a reservation or savings plan covered costs 0; no purchases, no unused capacity.
 * docs/focus.md describes every column.
 */
export type FocusView = 'partner' | 'customer';

export interface FocusContext {
  view: FocusView;
  partnerId: string;
  partnerName: string;
  customerId: string;
  customerName: string;
  /** The currency costs are written in (BillingCurrency). */
  billingCurrency: string;
  /** The currency Mitra's prices and ledger are kept in (PricingCurrency). */
  pricingCurrency: string;
}

/** Pricing currency → billing currency; 1 (and no date) when they are the same. */
export interface BillingRate {
  rate: string;
  date: string | null;
}

export interface CoveragePart {
  by: string;
  quantity: number;
  consumed?: number;
}

export interface UsageFact {
  id: number;
  hour: Date;
  azureSubscriptionId: string;
  subscriptionName: string;
  resourceGroup: string;
  region: string;
  meterCategory: string;
  sku: string;
  quantity: string;
  paygUnitPrice: string;
  resourceId: string | null;
  /** The benefit run's result; null when no run covered the hour (pay-as-you-go, as bills count it). */
  benefit: {
    coverage: CoveragePart[];
    paygQuantity: string;
    actualCost: string;
    amortizedCost: string;
  } | null;
}

export interface CommitmentFact {
  id: string;
  orderId: string;
  kind: 'reservation' | 'savings_plan';
  displayName: string;
  sku: string;
  region: string | null;
  reservedResourceType: string | null;
  quantity: number;
  hourlyCommitment: string | null;
  unitPrice: string;
  retailUnitPrice: string;
  currency: string;
  term: string;
  billingPlan: string;
  purchasedAt: Date;
  expiresAt: Date;
  billingSubscription: { azureId: string; name: string } | null;
}

export interface UtilizationFact {
  commitmentId: string;
  day: string;
  capacity: string;
  consumed: string;
  unusedCost: string;
}

export interface LedgerFact {
  id: number;
  commitmentId: string | null;
  type: 'purchase' | 'instalment' | 'refund' | 'cancelled_instalment' | 'exchange_credit';
  date: string;
  amount: string;
  description: string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** FOCUS Date/Time: `YYYY-MM-DDTHH:mm:ssZ`, UTC, with seconds. */
export const focusTime = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** FOCUS Numeric: plain decimal, ten places at most, no exponent, no `+`, no trailing zeros. */
export function focusNumber(v: Big | string | number): string {
  const fixed = new Big(v).toFixed(DECIMAL_PLACES);
  const trimmed = fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
  return trimmed === '-0' ? '0' : trimmed;
}

const round = (v: Big) => new Big(v.toFixed(DECIMAL_PLACES));

function billingPeriod(at: Date) {
  const start = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  const end = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
  return { BillingPeriodStart: focusTime(start), BillingPeriodEnd: focusTime(end) };
}

/** Every column null: each builder then sets what its row kind has. */
const BLANK: FocusRow = Object.freeze(Object.fromEntries(exportColumns.map((c) => [c.name, null])));
const blank = (): FocusRow => ({ ...BLANK });

function common(ctx: FocusContext, rate: BillingRate, start: Date, end: Date): FocusRow {
  return {
    ...blank(),
    BillingAccountId: `/partners/${ctx.partnerId}/customers/${ctx.customerId}`,
    BillingAccountName: ctx.customerName,
    BillingAccountType: 'Customer',
    BillingCurrency: ctx.billingCurrency,
    ...billingPeriod(start),
    ChargePeriodStart: focusTime(start),
    ChargePeriodEnd: focusTime(end),
    InvoiceIssuerName: ctx.partnerName,
    PricingCurrency: ctx.pricingCurrency,
    ProviderName: 'Microsoft',
    PublisherName: 'Microsoft',
    x_CustomerId: ctx.customerId,
    x_CustomerName: ctx.customerName,
    x_BillingExchangeRate: focusNumber(rate.rate),
    x_BillingExchangeRateDate: rate.date ? `${rate.date}T00:00:00Z` : null,
    x_CostView: ctx.view,
  };
}

/** The ARM resource id of a reservation or savings plan: FOCUS's CommitmentDiscountId. */
export const commitmentResourceId = (c: Pick<CommitmentFact, 'kind' | 'id' | 'orderId'>) =>
  c.kind === 'reservation'
    ? `/providers/Microsoft.Capacity/reservationOrders/${c.orderId}/reservations/${c.id}`
    : `/providers/Microsoft.BillingBenefits/savingsPlanOrders/${c.orderId}/savingsPlans/${c.id}`;

function commitmentColumns(c: CommitmentFact): FocusRow {
  return {
    CommitmentDiscountId: commitmentResourceId(c),
    CommitmentDiscountCategory: c.kind === 'reservation' ? 'Usage' : 'Spend',
    CommitmentDiscountType: c.kind === 'reservation' ? 'Reservation' : 'Savings Plan',
    CommitmentDiscountName: c.displayName,
  };
}

/** Reservations count hours of the reserved size; savings plans count their currency. */
const commitmentUnit = (c: CommitmentFact) => (c.kind === 'reservation' ? 'Hours' : c.currency);

/**
 * One usage row becomes one FOCUS row per part: each commitment's covered part (Used,
 * Committed) and the pay-as-you-go rest (Standard). Partner: a covered part carries its amortized
 * share — a savings plan's is what it consumed, the reservations' the rest of the row's
 * amortized cost over its pay-as-you-go part, split by quantity — so the parts sum to the
 * engine's figures exactly.
 */
export function usageRows(
  ctx: FocusContext,
  u: UsageFact,
  commitments: ReadonlyMap<string, CommitmentFact>,
  rate: BillingRate,
): FocusRow[] {
  const price = new Big(u.paygUnitPrice);
  const rateB = new Big(rate.rate);
  const unit = unitOfMeter(u.meterCategory, u.sku);
  const service = serviceOfMeter(u.meterCategory, u.sku);
  const armType = u.resourceId ? armTypeOf(u.resourceId) : null;
  const base: FocusRow = {
    ...common(ctx, rate, u.hour, new Date(u.hour.getTime() + HOUR)),
    ChargeCategory: 'Usage',
    ChargeFrequency: 'Usage-Based',
    ChargeDescription: `${u.meterCategory}: ${u.sku} in ${regionNameOf(u.region)}`,
    ConsumedUnit: unit,
    PricingUnit: unit,
    ListUnitPrice: focusNumber(price.times(rateB)),
    ContractedUnitPrice: focusNumber(price.times(rateB)),
    PricingCurrencyListUnitPrice: focusNumber(price),
    PricingCurrencyContractedUnitPrice: focusNumber(price),
    RegionId: u.region || null,
    RegionName: u.region ? regionNameOf(u.region) : null,
    ResourceId: u.resourceId,
    ResourceName: u.resourceId ? resourceNameOf(u.resourceId) : null,
    ResourceType: u.resourceId ? resourceLabelOf(armType) : null,
    ServiceName: service.name,
    ServiceCategory: service.category,
    ServiceSubcategory: service.subcategory,
    SkuId: `${u.meterCategory}/${u.sku}`,
    SkuPriceId: `${u.meterCategory}/${u.sku}/${u.region}`,
    SkuMeter: u.sku,
    SubAccountId: `/subscriptions/${u.azureSubscriptionId}`,
    SubAccountName: u.subscriptionName,
    SubAccountType: 'Subscription',
    x_ResourceGroupName: u.resourceGroup || null,
    x_ResourceType: armType,
    x_SkuMeterCategory: u.meterCategory,
    x_SkuMeterName: u.sku,
    x_UsageRecordId: String(u.id),
  };
  const quantityRow = (q: Big): FocusRow => ({
    ...base,
    ConsumedQuantity: focusNumber(q),
    PricingQuantity: focusNumber(q),
    ListCost: focusNumber(price.times(q).times(rateB)),
    ContractedCost: focusNumber(price.times(q).times(rateB)),
  });

  const benefit = u.benefit ?? {
    coverage: [],
    paygQuantity: u.quantity,
    actualCost: price.times(u.quantity).toString(),
    amortizedCost: price.times(u.quantity).toString(),
  };
  const parts = benefit.coverage.filter((p) => commitments.has(p.by));
  const shares = ctx.view === 'partner' ? amortizedShares(benefit, parts, commitments) : null;
  const rows: FocusRow[] = parts.map((p, i) => {
    const c = commitments.get(p.by)!;
    const q = new Big(String(p.quantity));
    const effective = shares ? shares[i] : new Big(0);
    return {
      ...quantityRow(q),
      ...commitmentColumns(c),
      CommitmentDiscountStatus: 'Used',
      CommitmentDiscountQuantity: focusNumber(c.kind === 'savings_plan' ? String(p.consumed ?? 0) : q),
      CommitmentDiscountUnit: commitmentUnit(c),
      PricingCategory: 'Committed',
      BilledCost: '0',
      EffectiveCost: focusNumber(effective),
      PricingCurrencyEffectiveCost: focusNumber(effective.div(rateB)),
    };
  });
  const payg = new Big(benefit.paygQuantity);
  const actual = new Big(benefit.actualCost);
  if (rows.length === 0 || !payg.eq(0) || (ctx.view === 'partner' && !actual.eq(0))) {
    // Partner: the engine's own actual cost; customer: retail × quantity × rate.
    const usd = ctx.view === 'partner' ? actual : price.times(payg);
    const billed = usd.times(rateB);
    rows.push({
      ...quantityRow(payg),
      PricingCategory: 'Standard',
      BilledCost: focusNumber(billed),
      EffectiveCost: focusNumber(billed),
      PricingCurrencyEffectiveCost: focusNumber(usd),
    });
  }
  return rows;
}

/** Each covered part's amortized share (ten places); together exactly amortized − actual. */
function amortizedShares(
  benefit: NonNullable<UsageFact['benefit']>,
  parts: CoveragePart[],
  commitments: ReadonlyMap<string, CommitmentFact>,
): Big[] {
  const covered = new Big(benefit.amortizedCost).minus(benefit.actualCost);
  const isPlan = (p: CoveragePart) => commitments.get(p.by)?.kind === 'savings_plan';
  const planShare = parts
    .filter(isPlan)
    .reduce((sum, p) => sum.plus(round(new Big(String(p.consumed ?? 0)))), new Big(0));
  const reservationQuantity = parts
    .filter((p) => !isPlan(p))
    .reduce((sum, p) => sum.plus(String(p.quantity)), new Big(0));
  const rest = covered.minus(planShare);
  const shares = parts.map((p) =>
    isPlan(p)
      ? round(new Big(String(p.consumed ?? 0)))
      : reservationQuantity.gt(0)
        ? round(rest.times(String(p.quantity)).div(reservationQuantity))
        : new Big(0),
  );
  // Rounding dust goes to the last part, so the parts sum to the engine's figure exactly.
  if (shares.length) {
    const sum = shares.reduce((a, b) => a.plus(b), new Big(0));
    shares[shares.length - 1] = shares[shares.length - 1].plus(covered.minus(sum));
  }
  return shares;
}

/**
 * A commitment's capacity left unused on one day (partner only): Usage, Unused, Committed,
 * BilledCost 0, EffectiveCost its amortized cost; the resource is the commitment itself.
 */
export function unusedRow(ctx: FocusContext, u: UtilizationFact, c: CommitmentFact): FocusRow | null {
  const quantity = new Big(u.capacity).minus(u.consumed);
  const cost = new Big(u.unusedCost);
  if (cost.eq(0) || quantity.lte(0)) return null;
  const start = new Date(`${u.day}T00:00:00Z`);
  const unitPrice = round(cost.div(quantity));
  return {
    ...common(ctx, { rate: '1', date: null }, start, new Date(start.getTime() + DAY)),
    ...commitmentPlace(c),
    ...commitmentColumns(c),
    ChargeCategory: 'Usage',
    ChargeFrequency: 'Usage-Based',
    ChargeDescription: `Unused ${c.kind === 'reservation' ? 'reservation' : 'savings plan'} ${c.displayName} on ${u.day}`,
    CommitmentDiscountStatus: 'Unused',
    CommitmentDiscountQuantity: focusNumber(quantity),
    CommitmentDiscountUnit: commitmentUnit(c),
    PricingCategory: 'Committed',
    PricingQuantity: focusNumber(quantity),
    PricingUnit: commitmentUnit(c),
    ListUnitPrice: focusNumber(unitPrice),
    ContractedUnitPrice: focusNumber(unitPrice),
    PricingCurrencyListUnitPrice: focusNumber(unitPrice),
    PricingCurrencyContractedUnitPrice: focusNumber(unitPrice),
    ListCost: focusNumber(cost),
    ContractedCost: focusNumber(cost),
    BilledCost: '0',
    EffectiveCost: focusNumber(cost),
    PricingCurrencyEffectiveCost: focusNumber(cost),
  };
}

/** Where a commitment's own rows (purchase, unused) sit: the commitment as the resource. */
function commitmentPlace(c: CommitmentFact): FocusRow {
  const service = serviceOfCommitment(c.kind, c.reservedResourceType);
  return {
    ResourceId: commitmentResourceId(c),
    ResourceName: c.displayName,
    ResourceType: c.kind === 'reservation' ? 'Reservation' : 'Savings Plan',
    x_ResourceType:
      c.kind === 'reservation'
        ? 'Microsoft.Capacity/reservationOrders/reservations'
        : 'Microsoft.BillingBenefits/savingsPlanOrders/savingsPlans',
    ServiceName: service.name,
    ServiceCategory: service.category,
    ServiceSubcategory: service.subcategory,
    RegionId: c.region,
    RegionName: c.region ? regionNameOf(c.region) : null,
    SkuId: c.kind === 'reservation' ? `Reservation/${c.sku}` : 'SavingsPlan/Compute',
    SkuPriceId: `${c.kind === 'reservation' ? `Reservation/${c.sku}/${c.region ?? ''}` : 'SavingsPlan/Compute'}/${c.term}/${c.billingPlan}`,
    SkuMeter: c.kind === 'reservation' ? c.sku : 'Savings plan for compute',
    x_SkuMeterName: c.kind === 'reservation' ? c.sku : null,
    SubAccountId: c.billingSubscription ? `/subscriptions/${c.billingSubscription.azureId}` : null,
    SubAccountName: c.billingSubscription?.name ?? null,
    SubAccountType: c.billingSubscription ? 'Subscription' : null,
  };
}

/** Hours a commitment's quantity covers in [from, to): what a purchase buys, in its unit. */
function boughtQuantity(c: CommitmentFact, from: Date, to: Date): Big {
  const hours = new Big(Math.max(0, to.getTime() - from.getTime()) / HOUR);
  return c.kind === 'reservation' ? hours.times(c.quantity) : hours.times(c.hourlyCommitment ?? '0');
}

/**
 * A commitment's charge from the ledger (partner only). An upfront purchase is One-Time and an
 * instalment Recurring: Purchase, BilledCost the payment, EffectiveCost 0 (amortized through the
 * usage and unused rows), PricingCategory Standard. Money going back (refund, cancelled
 * instalment, exchange credit) is a Credit, whose EffectiveCost equals its BilledCost.
 */
export function ledgerRow(ctx: FocusContext, e: LedgerFact, c: CommitmentFact | undefined): FocusRow {
  const start = new Date(`${e.date}T00:00:00Z`);
  const amount = new Big(e.amount);
  const row: FocusRow = {
    ...common(ctx, { rate: '1', date: null }, start, new Date(start.getTime() + DAY)),
    ...(c ? { ...commitmentPlace(c), ...commitmentColumns(c) } : {}),
    ChargeDescription: e.description,
    BilledCost: focusNumber(amount),
    x_LedgerEntryId: String(e.id),
  };
  if (!c)
    Object.assign(row, {
      ServiceName: 'Other',
      ServiceCategory: 'Other',
      ServiceSubcategory: 'Other (Other)',
    });
  if (e.type === 'purchase' || e.type === 'instalment') {
    const oneTime = e.type === 'purchase';
    const quantity = c?.kind === 'reservation' ? c.quantity : 1;
    const month = billingPeriod(start);
    const bought = c
      ? oneTime
        ? boughtQuantity(c, c.purchasedAt, c.expiresAt)
        : boughtQuantity(c, new Date(month.BillingPeriodStart), new Date(month.BillingPeriodEnd))
      : null;
    const contracted = c ? c.unitPrice : amount.toString();
    const list = c ? c.retailUnitPrice : amount.toString();
    return {
      ...row,
      ChargeCategory: 'Purchase',
      ChargeFrequency: oneTime ? 'One-Time' : 'Recurring',
      PricingCategory: 'Standard',
      PricingQuantity: focusNumber(quantity),
      PricingUnit: 'Units',
      ListUnitPrice: focusNumber(list),
      ContractedUnitPrice: focusNumber(contracted),
      PricingCurrencyListUnitPrice: focusNumber(list),
      PricingCurrencyContractedUnitPrice: focusNumber(contracted),
      ListCost: focusNumber(new Big(list).times(quantity)),
      ContractedCost: focusNumber(new Big(contracted).times(quantity)),
      EffectiveCost: '0',
      PricingCurrencyEffectiveCost: '0',
      CommitmentDiscountQuantity: c && bought ? focusNumber(bought) : null,
      CommitmentDiscountUnit: c ? commitmentUnit(c) : null,
      SkuId: row.SkuId ?? 'Commitment',
      SkuPriceId: row.SkuPriceId ?? 'Commitment',
    };
  }
  return {
    ...row,
    ChargeCategory: 'Credit',
    ChargeFrequency: 'One-Time',
    ListCost: focusNumber(amount),
    ContractedCost: focusNumber(amount),
    EffectiveCost: focusNumber(amount),
    PricingCurrencyEffectiveCost: focusNumber(amount),
  };
}
