import { randomUUID } from 'node:crypto';
import { principalName } from '../domain/actor.ts';
import { type PriceListVersion, timelineOf } from '../domain/customer-prices.ts';
import type { MitraError } from '../domain/errors.ts';
import { authorize, policies } from '../domain/policies.ts';
import { type CatalogFacts, checkPriceList, type PriceListInput } from '../domain/price-list-input.ts';
import type { Db } from '../store/db.ts';
import type { BillingPlan, Customer } from '../store/schema.ts';
import { writeAudit } from './audit-log.ts';
import { type Call, inTransaction } from './call.ts';
import { loadVersions, type PriceListSource, priceListAt } from './customer-prices.ts';
import { findOwnCustomer } from './customers.ts';
import { type PriceRow, priceTable } from './price-table.ts';

/**
 * The price list use cases (B9): read a customer's list or the partner's default (versions in
 * effect, scheduled and past, and every price they give), preview a draft, save a new version,
 * and the partner's setting on showing retail to customers. Only Admin agents change them; any
 * other partner user's attempt is refused and recorded (as customer permissions are, R2).
 */

export type PriceListScope = { customerId: string } | 'default';

export type VersionStatus = 'current' | 'scheduled' | 'past';
export type VersionView = PriceListVersion & { status: VersionStatus };

export interface PriceListRead {
  customer: Customer | null;
  /** Where the customer's prices come from now (for the default list: 'default' or 'retail'). */
  source: PriceListSource;
  /** This list's version in effect now. */
  current: VersionView | null;
  /** For a customer: the partner's default in effect now, which applies while it has no own list. */
  fallback: VersionView | null;
  scheduled: VersionView[];
  /** Superseded versions, newest first (at most `historyLength`). */
  history: VersionView[];
  currency: string;
  showRetailToCustomers: boolean;
  canEdit: boolean;
  prices: PriceRow[];
}

const historyLength = 20;

function statusesOf(versions: PriceListVersion[], now: Date) {
  const timeline = timelineOf(versions);
  const past = timeline.filter((v) => v.effectiveFrom <= now);
  const current = past.at(-1) ?? null;
  return {
    current: current ? { ...current, status: 'current' as const } : null,
    scheduled: timeline
      .filter((v) => v.effectiveFrom > now)
      .map((v) => ({ ...v, status: 'scheduled' as const })),
    history: past
      .slice(0, -1)
      .reverse()
      .slice(0, historyLength)
      .map((v) => ({ ...v, status: 'past' as const })),
  };
}

async function showsRetail(db: Db, partnerId: string): Promise<boolean> {
  const row = await db
    .selectFrom('partners')
    .select('show_retail_to_customers')
    .where('id', '=', partnerId)
    .executeTakeFirst();
  return row?.show_retail_to_customers ?? true;
}

const customerOfScope = (db: Db, call: Call, scope: PriceListScope) =>
  scope === 'default' ? Promise.resolve(null) : findOwnCustomer(db, call.actor, scope.customerId);

/** A customer's list (or the default): versions, and the prices in effect now with cost and margin. */
export async function getPriceList(db: Db, call: Call, scope: PriceListScope): Promise<PriceListRead> {
  authorize(call.actor, 'partnerRead');
  const customer = await customerOfScope(db, call, scope);
  const partnerId = call.actor.partnerId;
  const now = new Date();
  const own = statusesOf(await loadVersions(db, partnerId, customer?.id ?? null), now);
  const fallback = customer ? statusesOf(await loadVersions(db, partnerId, null), now).current : null;
  const inEffect = own.current ?? fallback;
  const table = await priceTable(db, partnerId, inEffect, now);
  return {
    customer,
    source: own.current ? (customer ? 'customer' : 'default') : fallback ? 'default' : 'retail',
    ...own,
    fallback,
    currency: table.currency,
    showRetailToCustomers: await showsRetail(db, partnerId),
    canEdit: policies.priceListsManage.allows(call.actor),
    prices: table.rows,
  };
}

/** Catalog facts for the items a list overrides, to check them against. */
async function catalogFactsOf(db: Db, input: PriceListInput) {
  const ids = [...new Set((input.overrides ?? []).map((o) => o.catalogItemId))];
  const facts = new Map<string, CatalogFacts>();
  if (ids.length === 0) return facts;
  const rows = await db
    .selectFrom('prices')
    .innerJoin('price_lists', 'price_lists.id', 'prices.price_list_id')
    .select(['prices.catalog_item_id', 'prices.term_duration', 'prices.billing_plan'])
    .where('price_lists.kind', '=', 'retail')
    .where('prices.catalog_item_id', 'in', ids)
    .execute();
  for (const r of rows) {
    const f = facts.get(r.catalog_item_id) ?? { termDuration: r.term_duration, billingPlans: [] };
    if (!f.billingPlans.includes(r.billing_plan)) f.billingPlans.push(r.billing_plan);
    facts.set(r.catalog_item_id, f);
  }
  return facts;
}

async function check(db: Db, input: PriceListInput, now: Date) {
  const facts = await catalogFactsOf(db, input);
  return checkPriceList(input, (id) => facts.get(id), now);
}

/** What a draft would charge, without saving it: every price row at the moment it would apply. */
export async function previewPriceList(db: Db, call: Call, scope: PriceListScope, input: PriceListInput) {
  authorize(call.actor, 'partnerRead');
  await customerOfScope(db, call, scope);
  const now = new Date();
  const checked = await check(db, input, now);
  const at = checked.effectiveFrom ?? now;
  const table = await priceTable(db, call.actor.partnerId, checked, at);
  return { effectiveFrom: at, currency: table.currency, prices: table.rows };
}

const operationOf = (customer: Customer | null) =>
  customer ? ('update_customer_price_list' as const) : ('update_default_price_list' as const);

/**
 * Records a refused attempt to change a price list or its settings, in its own transaction: the
 * refusal is a fact worth keeping even though nothing else changes.
 */
async function recordRefusal(
  db: Db,
  call: Call,
  customer: Customer | null,
  operationType: ReturnType<typeof operationOf> | 'update_price_list_settings',
  refusal: MitraError,
) {
  await inTransaction(db, (trx) =>
    writeAudit(trx, call, {
      partnerId: call.actor.partnerId,
      customer: customer ? { id: customer.id, name: customer.company_name } : null,
      resourceType: 'price_list',
      operationType,
      status: 'decline',
      details: { refusedWith: refusal.code, reason: refusal.message },
    }),
  );
}

async function refuseUnlessManager(
  db: Db,
  call: Call,
  customer: Customer | null,
  operationType: Parameters<typeof recordRefusal>[3],
) {
  if (policies.priceListsManage.allows(call.actor)) return;
  const refusal = policies.priceListsManage.refusal(call.actor);
  await recordRefusal(db, call, customer, operationType, refusal);
  throw refusal;
}

const summaryOf = (v: PriceListVersion | null | undefined) =>
  v && {
    id: v.id,
    effectiveFrom: v.effectiveFrom.toISOString(),
    markups: v.markups,
    overrides: v.overrides.length,
  };

/**
 * Saves a new version of a customer's list (or the default): effective at once without a date,
 * scheduled otherwise. Nothing earlier is changed; purchases already made keep their price.
 */
export async function savePriceList(
  db: Db,
  call: Call,
  scope: PriceListScope,
  input: PriceListInput,
): Promise<VersionView> {
  const customer = await customerOfScope(db, call, scope);
  await refuseUnlessManager(db, call, customer, operationOf(customer));
  const checked = await check(db, input, new Date());
  const partnerId = call.actor.partnerId;
  return inTransaction(db, async (trx) => {
    // One writer per list at a time, and after purchases of the customer that are under way
    // (they hold its row in share mode): a change applies to what is bought after it commits.
    if (customer)
      await trx.selectFrom('customers').select('id').where('id', '=', customer.id).forUpdate().execute();
    else await trx.selectFrom('partners').select('id').where('id', '=', partnerId).forUpdate().execute();
    const now = new Date();
    const effectiveFrom = checked.effectiveFrom ?? now;
    const before = customer
      ? await priceListAt(trx, customer, now)
      : { version: statusesOf(await loadVersions(trx, partnerId, null), now).current };
    const id = randomUUID();
    const createdBy =
      principalName(call.actor) ?? (call.actor.kind === 'application' ? call.actor.applicationId : 'system');
    const row = await trx
      .insertInto('price_list_versions')
      .values({
        id,
        partner_id: partnerId,
        customer_id: customer?.id ?? null,
        effective_from: effectiveFrom,
        markup_usage: checked.markups.usage,
        markup_reservations: checked.markups.reservations,
        markup_savings_plans: checked.markups.savingsPlans,
        markup_licences: checked.markups.licences,
        created_by: createdBy,
        created_at: now,
      })
      .returning(['seq'])
      .executeTakeFirstOrThrow();
    for (let i = 0; i < checked.overrides.length; i += 500) {
      await trx
        .insertInto('price_list_overrides')
        .values(
          checked.overrides.slice(i, i + 500).map((o) => ({
            version_id: id,
            catalog_item_id: o.catalogItemId,
            term_duration: o.termDuration ?? '',
            billing_plan: (o.billingPlan ?? '') as BillingPlan | '',
            unit_price: o.unitPrice ?? null,
            markup_percent: o.markupPercent ?? null,
          })),
        )
        .execute();
    }
    const saved: VersionView = {
      id,
      customerId: customer?.id ?? null,
      effectiveFrom,
      seq: Number(row.seq),
      markups: checked.markups,
      overrides: checked.overrides,
      createdBy,
      createdAt: now,
      status: effectiveFrom > now ? 'scheduled' : 'current',
    };
    await writeAudit(trx, call, {
      partnerId,
      customer: customer ? { id: customer.id, name: customer.company_name } : null,
      resourceType: 'price_list',
      operationType: operationOf(customer),
      oldValue: summaryOf(before.version),
      newValue: summaryOf(saved),
      details: { effectiveFrom: effectiveFrom.toISOString(), status: saved.status },
    });
    return saved;
  });
}

/** The partner's setting: whether customer users see retail beside their price (B9). */
export async function setPriceListSettings(
  db: Db,
  call: Call,
  settings: { showRetailToCustomers: boolean },
): Promise<{ showRetailToCustomers: boolean }> {
  await refuseUnlessManager(db, call, null, 'update_price_list_settings');
  const partnerId = call.actor.partnerId;
  return inTransaction(db, async (trx) => {
    const current = await trx
      .selectFrom('partners')
      .select('show_retail_to_customers')
      .where('id', '=', partnerId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const next = settings.showRetailToCustomers;
    // Asking for what is already set changes nothing, so there is nothing to record either.
    if (current.show_retail_to_customers === next) return { showRetailToCustomers: next };
    await trx
      .updateTable('partners')
      .set({ show_retail_to_customers: next })
      .where('id', '=', partnerId)
      .execute();
    await writeAudit(trx, call, {
      partnerId,
      resourceType: 'price_list',
      operationType: 'update_price_list_settings',
      oldValue: { showRetailToCustomers: current.show_retail_to_customers },
      newValue: { showRetailToCustomers: next },
    });
    return { showRetailToCustomers: next };
  });
}
