import { sql } from 'kysely';
import { termMonths } from '../domain/commitments.ts';
import { invalid } from '../domain/errors.ts';
import { authorize } from '../domain/policies.ts';
import {
  type CandidateFigures,
  type LookbackDays,
  lookbackWindow,
  type WhatIfFigures,
  whatIfFigures,
  windowHours,
  withoutMoney,
} from '../domain/what-if.ts';
import {
  amortizedHourlyCost,
  applyBenefits,
  BenefitInputError,
  type CommitmentInput,
  type RatioTable,
} from '../engine/index.ts';
import { loadRatioTable } from '../engine/ratio-file.ts';
import type { Db } from '../store/db.ts';
import type { Customer } from '../store/schema.ts';
import { benefitInputFor, engineScopeOf } from './benefit-runs.ts';
import { type Call, nowOf } from './call.ts';
import { priceCommitment } from './commitment-pricing.ts';
import { type CommitmentRequest, checkMayConsider, customerSubscriptionOf } from './commitment-purchase.ts';
import { customerOf } from './commitments.ts';
import { costManagementEnabled } from './cost-management.ts';
import { subscriptionsInScope } from './customer-costs.ts';
import { type PriceListSource, priceListAt } from './customer-prices.ts';
import { ledgerCurrencyOf, usagePriceSegments } from './usage-pricing.ts';

/**
 * What-if (B4): replays candidate reservations and savings plans over a customer's last 7, 30 or
 * 60 days of usage together with its existing commitments, with the benefit engine, and compares
 * with the same replay without them. A query: nothing is written, no activity record.
 */

export interface WhatIfRequest {
  lookbackDays: LookbackDays;
  candidates: CommitmentRequest[];
}

export interface CandidateAnswer extends CandidateFigures {
  kind: 'reservation' | 'savingsPlan';
  sku: string | null;
  region: string | null;
  quantity: number | null;
  hourlyCommitment: string | null;
  term: string;
  billingPlan: string;
  appliedScopeType: string;
}

export interface WhatIfAnswer extends Omit<WhatIfFigures, 'candidates'> {
  customerId: string;
  lookbackDays: LookbackDays;
  period: { from: string; to: string };
  /** The currency of usage prices and commitment prices (the retail list's, as the ledger keeps). */
  currency: string;
  /** The price list in effect now, which priced the candidates (usage: the list of each hour). */
  priceList: PriceListSource;
  /** Set when money figures are left out, saying why (R17). */
  moneyHidden?: string;
  candidates: CandidateAnswer[];
}

let ratios: RatioTable | undefined;
const ratioTable = () => {
  ratios ??= loadRatioTable();
  return ratios;
};

const candidateId = (i: number) => `what-if-candidate-${i + 1}`;

export const moneyHiddenSentence =
  'Your provider has not enabled cost management for your organisation, so this what-if shows utilisation, coverage and unused hours but no money figures.';

const notReplayable = (i: number, why: string) =>
  invalid('what-if-candidate-not-replayable', `Candidate ${i + 1} cannot be replayed: ${why}`);

async function latestUsageHour(db: Db, customer: Customer, now: Date): Promise<Date | null> {
  const row = await db
    .selectFrom('usage_records')
    .select(sql<Date | null>`max(hour)`.as('latest'))
    .where('customer_id', '=', customer.id)
    .where('hour', '<=', now)
    .executeTakeFirst();
  return row?.latest ? new Date(row.latest) : null;
}

/** The candidate as an engine commitment, active over the whole window. */
async function candidateInput(
  db: Db,
  customer: Customer,
  r: CommitmentRequest,
  i: number,
  window: { from: Date },
  hourlyCost: number,
  azureId: (id: string) => string,
): Promise<CommitmentInput> {
  if (r.appliedScopeType === 'ManagementGroup')
    throw notReplayable(
      i,
      'Mitra does not know which subscriptions a management group holds; use a Shared, Single or ResourceGroup scope.',
    );
  // The scope may name a subscription by Azure id or /subscriptions/{id}: the engine wants Azure's.
  const named = r.appliedScope.subscriptionId
    ? (await customerSubscriptionOf(db, customer, r.appliedScope.subscriptionId))?.id
    : undefined;
  const scope = engineScopeOf(r.appliedScopeType, { ...r.appliedScope, subscriptionId: named }, azureId);
  const common = { id: candidateId(i), purchaseDate: window.from.toISOString(), scope };
  return r.kind === 'reservation'
    ? {
        ...common,
        type: 'reservation',
        reservedResourceType: 'VirtualMachines',
        sku: r.sku!,
        region: r.region!,
        instanceFlexibility: r.instanceFlexibility ?? 'On',
        quantity: r.quantity,
        term: r.term,
        amortizedHourlyCost: hourlyCost,
      }
    : { ...common, type: 'savingsPlan', term: r.term, hourlyCommitment: Number(r.hourlyCommitment) };
}

const echo = (r: CommitmentRequest) => ({
  kind: r.kind === 'reservation' ? ('reservation' as const) : ('savingsPlan' as const),
  sku: r.kind === 'reservation' ? (r.sku ?? null) : null,
  region: r.kind === 'reservation' ? (r.region ?? null) : null,
  quantity: r.kind === 'reservation' ? r.quantity : null,
  hourlyCommitment: r.kind === 'savings_plan' ? (r.hourlyCommitment ?? null) : null,
  term: r.term,
  billingPlan: r.billingPlan,
  appliedScopeType: r.appliedScopeType,
});

/**
 * The what-if for one customer. Partner users (any role) name a customer of theirs; a customer
 * user gets their own customer, and candidates on subscriptions they hold a role on. Refusals come
 * in the purchase's order and words (`checkMayConsider`, `priceCommitment`); another customer's
 * subscription is refused exactly like one that does not exist.
 */
export async function whatIf(
  db: Db,
  call: Call,
  customerId: string | undefined,
  request: WhatIfRequest,
): Promise<WhatIfAnswer> {
  const { actor } = call;
  authorize(actor, actor.kind === 'customer_user' ? 'customerSelf' : 'partnerRead');
  const customer = await customerOf(db, actor, customerId);
  const now = nowOf(call);
  const prices = [];
  for (const r of request.candidates) {
    await checkMayConsider(db, actor, customer, r);
    // Priced as a purchase now would be (the list in effect now), amortized from today.
    const price = await priceCommitment(db, customer, r, now);
    prices.push({
      price,
      hourlyCost: amortizedHourlyCost(Number(price.total), now.toISOString(), r.term),
    });
  }
  const window = lookbackWindow(await latestUsageHour(db, customer, now), now, request.lookbackDays);
  const { input, hourlyCosts, azureId } = await benefitInputFor(db, customer.id, window);
  if (actor.kind === 'customer_user') {
    // A customer user sees the usage of the subscriptions it holds a role on, as in cost
    // analysis: the replay is over that usage only (for a Shared candidate, a lower bound).
    const visible = new Set((await subscriptionsInScope(db, actor, undefined)).map((v) => azureId(v.id)));
    input.usage = input.usage.filter((u) => visible.has(u.subscription));
  }
  input.hours = windowHours(window);
  const candidates: CommitmentInput[] = [];
  for (const [i, r] of request.candidates.entries()) {
    candidates.push(await candidateInput(db, customer, r, i, window, prices[i].hourlyCost, azureId));
    hourlyCosts.set(candidateId(i), prices[i].hourlyCost);
  }
  const today = applyBenefits(input, ratioTable());
  let withCandidates: ReturnType<typeof applyBenefits>;
  try {
    withCandidates = applyBenefits(
      { ...input, commitments: [...(input.commitments ?? []), ...candidates] },
      ratioTable(),
    );
  } catch (error) {
    // Today's run passed, so a refusal now is about a candidate (e.g. a size with no flexibility ratio).
    if (error instanceof BenefitInputError) {
      const i = candidates.findIndex((c) => error.message.includes(c.id));
      throw notReplayable(
        Math.max(i, 0),
        `${error.problem}. For a size outside the instance size flexibility table, set instanceFlexibility to Off.`,
      );
    }
    throw error;
  }
  const figures = whatIfFigures({
    lookbackDays: request.lookbackDays,
    period: window,
    input,
    today,
    withCandidates,
    hourlyCosts,
    candidates: prices.map((p, i) => ({
      id: candidateId(i),
      hourlyCost: p.hourlyCost,
      totalCost: p.price.total,
      termMonths: termMonths[request.candidates[i].term],
    })),
    usageMarkups: await usagePriceSegments(db, customer, window.from, window.to),
    termStart: now,
  });
  // Partner users always see money; a customer's users only with cost management on (R17).
  const hidden = actor.kind === 'customer_user' && !(await costManagementEnabled(db, customer));
  const shown = hidden ? withoutMoney(figures) : figures;
  return {
    customerId: customer.id,
    lookbackDays: request.lookbackDays,
    period: { from: window.from.toISOString(), to: window.to.toISOString() },
    currency: prices[0]?.price.currency ?? (await ledgerCurrencyOf(db, customer)),
    priceList: (await priceListAt(db, customer, now)).source,
    ...(hidden ? { moneyHidden: moneyHiddenSentence } : {}),
    ...shown,
    candidates: shown.candidates.map((c, i) => ({ ...echo(request.candidates[i]), ...c })),
  };
}
