import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Actor } from '../domain/actor.ts';
import { closeDueMonths } from '../jobs/month-close.ts';
import { writeAudit } from '../services/audit-log.ts';
import { type ApplyBenefits, customersWithUsage, runBenefits } from '../services/benefit-runs.ts';
import { inTransaction } from '../services/call.ts';
import { executePurchase } from '../services/commitment-purchase.ts';
import { importRatesCsv } from '../services/exchange-rates.ts';
import { hashPassword } from '../services/passwords.ts';
import { importPriceSheet } from '../services/price-sheet-import.ts';
import type { Db } from '../store/db.ts';
import { ensureUsagePartitions } from '../store/partitions.ts';
import type { PartnerRole, ProductType, SubscriptionRole } from '../store/schema.ts';
import { refreshUsageStatistics } from '../store/statistics.ts';
import { writeUsageRows } from '../store/usage-rows.ts';
import { azureGlobal, azurePlan, catalog, licenceOffers, licenceProductIds } from './catalog.ts';
import { demoDefaultMarkups, demoPriceListSince, demoPriceSheetCsv } from './price-sheet.ts';
import { retailPrices, savingsPlanHourly } from './prices.ts';
import { demoRatesCsv } from './rates.ts';
import { generateHourlyUsage, resourceIdOf } from './usage.ts';

/** Savings plan rates of a VM row (what the engine ranks plans by); other rows are not eligible. */
function savingsPlanRates(r: {
  reservedResourceType: string | null;
  benefitEligible: boolean;
  sku: string;
  region: string;
}) {
  if (r.reservedResourceType !== 'VirtualMachines' || !r.benefitEligible) return {};
  return {
    sp_unit_price_p1y: savingsPlanHourly(r.sku, r.region, 'P1Y'),
    sp_unit_price_p3y: savingsPlanHourly(r.sku, r.region, 'P3Y'),
  };
}

/** Stable ids for demo objects, so docs and scripts can name Fabrikam's tenant id. */
export function demoId(name: string): string {
  const h = createHash('sha1').update(`mitra-demo:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface DemoOptions {
  password: string;
  /** Days of hourly usage to generate per Azure subscription, ending today. */
  usageDays?: number;
}

interface DemoCustomer {
  key: string;
  name: string;
  domain: string;
  country: string;
  currency: string;
  /** The tax on its invoices: Indonesia's PPN for the demo's Indonesian customer. */
  tax?: { rate: string; name: string };
  city: string;
  subscription: { type: ProductType; offerName: string };
  users: { email: string; name: string; role: SubscriptionRole | null }[];
}

interface DemoPartner {
  key: string;
  name: string;
  domain: string;
  users: { email: string; name: string; role: PartnerRole }[];
  customers: DemoCustomer[];
}

const partners: DemoPartner[] = [
  {
    key: 'contoso',
    name: 'Contoso Cloud Partner',
    domain: 'contoso-partner.example',
    users: [
      { email: 'admin@contoso-partner.example', name: 'Ayu Lestari', role: 'admin_agent' },
      { email: 'sales@contoso-partner.example', name: 'Budi Santoso', role: 'sales_agent' },
      { email: 'helpdesk@contoso-partner.example', name: 'Citra Wijaya', role: 'helpdesk_agent' },
    ],
    customers: [
      {
        key: 'fabrikam',
        name: 'Fabrikam',
        domain: 'fabrikam.example',
        country: 'ID',
        currency: 'IDR',
        tax: { rate: '11', name: 'PPN' },
        city: 'Jakarta',
        subscription: { type: 'azure_plan', offerName: 'Azure plan' },
        users: [
          { email: 'owner@fabrikam.example', name: 'Dewi Kusuma', role: 'Owner' },
          { email: 'reader@fabrikam.example', name: 'Eko Prasetyo', role: 'Reader' },
        ],
      },
      {
        key: 'tailspin',
        name: 'Tailspin Toys',
        domain: 'tailspin.example',
        country: 'US',
        currency: 'USD',
        city: 'Seattle',
        subscription: { type: 'azure_global', offerName: 'Microsoft Azure (MS-AZR-0145P)' },
        users: [{ email: 'owner@tailspin.example', name: 'Morgan Lee', role: 'Owner' }],
      },
      {
        key: 'northwind',
        name: 'Northwind Traders',
        domain: 'northwind.example',
        country: 'SG',
        currency: 'USD',
        city: 'Singapore',
        subscription: { type: 'license', offerName: licenceOffers[0].title },
        users: [{ email: 'owner@northwind.example', name: 'Tan Wei Ming', role: null }],
      },
    ],
  },
  {
    key: 'litware',
    name: 'Litware Partner',
    domain: 'litware-partner.example',
    users: [{ email: 'admin@litware-partner.example', name: 'Hana Putri', role: 'admin_agent' }],
    customers: [
      {
        key: 'adatum',
        name: 'Adatum',
        domain: 'adatum.example',
        country: 'AU',
        currency: 'AUD',
        tax: { rate: '10', name: 'GST' },
        city: 'Sydney',
        subscription: { type: 'azure_plan', offerName: 'Azure plan' },
        users: [{ email: 'owner@adatum.example', name: 'Riley Cooper', role: 'Owner' }],
      },
    ],
  },
];

export const demoLogins = partners.flatMap((p) => [
  ...p.users.map((u) => ({ email: u.email, role: u.role, tenant: p.name })),
  ...p.customers.flatMap((c) =>
    c.users.map((u) => ({ email: u.email, role: u.role ?? 'user', tenant: c.name })),
  ),
]);

/** True when the database holds no partner yet: the first start of a fresh install. */
export async function isEmpty(db: Db): Promise<boolean> {
  const row = await db.selectFrom('partners').select('id').limit(1).executeTakeFirst();
  return !row;
}

/** Removes every row (keeps the schema), for `mitra demo --reset`. */
export async function resetData(db: Db): Promise<void> {
  const tables = [
    'partner_costs',
    'price_list_overrides',
    'price_list_versions',
    'usage_records',
    'exchange_rates',
    'sessions',
    'audit_records',
    'order_line_items',
    'orders',
    'carts',
    'prices',
    'price_lists',
    'role_assignments',
    'subscriptions',
    'customer_users',
    'customers',
    'applications',
    'partner_users',
    'partners',
    'availabilities',
    'skus',
    'products',
  ];
  await sql.raw(`truncate ${tables.join(', ')} restart identity cascade`).execute(db);
}

async function insertBatches<T>(rows: Iterable<T>, size: number, write: (batch: T[]) => Promise<unknown>) {
  let batch: T[] = [];
  for (const row of rows) {
    batch.push(row);
    if (batch.length >= size) {
      await write(batch);
      batch = [];
    }
  }
  if (batch.length) await write(batch);
}

async function loadCatalog(db: Db) {
  await db
    .insertInto('products')
    .values(
      catalog.products.map((p) => ({
        id: p.id,
        title: p.title,
        description: p.description,
        product_type: p.productType,
        target_view: p.targetView,
        reservation_type: p.reservationType,
      })),
    )
    .execute();
  await insertBatches(catalog.skus, 500, (batch) =>
    db
      .insertInto('skus')
      .values(
        batch.map((s) => ({
          product_id: s.productId,
          id: s.id,
          title: s.title,
          description: s.description,
          arm_sku_name: s.armSkuName,
          region: s.region,
          isf_group: s.isfGroup,
          isf_ratio: s.isfRatio,
          minimum_quantity: s.minimumQuantity,
          maximum_quantity: s.maximumQuantity,
          provisioning_variables: JSON.stringify(s.provisioningVariables),
        })),
      )
      .execute(),
  );
  await insertBatches(catalog.availabilities, 500, (batch) =>
    db
      .insertInto('availabilities')
      .values(
        batch.map((a) => ({
          product_id: a.productId,
          sku_id: a.skuId,
          id: a.id,
          catalog_item_id: a.catalogItemId,
          term_duration: a.termDuration,
          billing_cycles: JSON.stringify(a.billingCycles),
        })),
      )
      .execute(),
  );
}

async function loadPriceList(
  db: Db,
  id: string,
  partnerId: string | null,
  name: string,
  entries: ReturnType<typeof retailPrices>,
) {
  await db
    .insertInto('price_lists')
    .values({ id, partner_id: partnerId, kind: partnerId ? 'partner' : 'retail', name, currency: 'USD' })
    .execute();
  await insertBatches(entries, 1000, (batch) =>
    db
      .insertInto('prices')
      .values(
        batch.map((e) => ({
          price_list_id: id,
          catalog_item_id: e.catalogItemId,
          term_duration: e.termDuration,
          billing_plan: e.billingPlan,
          unit_price: e.unitPrice,
          unit: e.unit,
        })),
      )
      .execute(),
  );
}

/**
 * The partner's default customer prices (today's demo markups, since before any demo purchase)
 * and its own cost from a demo price sheet, so the price list view has margins to show. Seed data,
 * like the catalog: no activity record.
 */
async function loadDefaultPrices(db: Db, partnerId: string, retail: ReturnType<typeof retailPrices>) {
  await db
    .insertInto('price_list_versions')
    .values({
      id: demoId(`${partnerId}-default-prices`),
      partner_id: partnerId,
      customer_id: null,
      effective_from: demoPriceListSince,
      markup_usage: demoDefaultMarkups.usage,
      markup_reservations: demoDefaultMarkups.reservations,
      markup_savings_plans: demoDefaultMarkups.savingsPlans,
      markup_licences: demoDefaultMarkups.licences,
      created_by: 'demo',
      created_at: demoPriceListSince,
    })
    .execute();
  const since = demoPriceListSince.toISOString().slice(0, 10);
  await importPriceSheet(db, partnerId, demoPriceSheetCsv(retail, since), null);
}

function offerOf(type: ProductType): {
  offerId: string;
  billingCycle: string;
  unitType: string;
  billingType: 'usage' | 'license';
  term: string | null;
} {
  if (type === 'azure_plan')
    return {
      offerId: azurePlan.catalogItemId,
      billingCycle: 'monthly',
      unitType: 'Usage-based',
      billingType: 'usage',
      term: null,
    };
  if (type === 'azure_global')
    return {
      offerId: azureGlobal.offerId,
      billingCycle: 'monthly',
      unitType: 'Usage-based',
      billingType: 'usage',
      term: null,
    };
  const productId = Object.values(licenceProductIds)[0] as string;
  const availability = catalog.availabilities.find((a) => a.productId === productId)!;
  return {
    offerId: availability.catalogItemId,
    billingCycle: 'monthly',
    unitType: 'Licenses',
    billingType: 'license',
    term: availability.termDuration,
  };
}

/**
 * Loads the demo world: catalog, price lists, two partners that must never see each other, their
 * customers, users and subscriptions, and months of hourly usage so the portals are not empty.
 */
export async function loadDemoData(db: Db, options: DemoOptions): Promise<void> {
  const passwordHash = await hashPassword(options.password);
  const retail = retailPrices();
  await loadCatalog(db);
  await loadPriceList(db, demoId('retail-usd'), null, 'Retail (web direct) USD', retail);
  // Rates from USD for every day of the demo's history, so IDR and AUD invoices convert.
  await importRatesCsv(db, demoRatesCsv(new Date(Date.now() - 200 * 86_400_000), 200), {
    source: 'demo',
    scope: 'global',
  });
  const usageDays = options.usageDays ?? 90;
  const now = new Date();
  const usageFrom = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - usageDays * 24 * 3600 * 1000,
  );
  await ensureUsagePartitions(db, usageFrom, new Date(now.getTime() + 31 * 86_400_000));

  for (const partner of partners) {
    const partnerId = demoId(partner.key);
    await db
      .insertInto('partners')
      .values({ id: partnerId, name: partner.name, domain: partner.domain, country: 'ID', currency: 'USD' })
      .execute();
    await db
      .insertInto('partner_users')
      .values(
        partner.users.map((u) => ({
          id: demoId(u.email),
          partner_id: partnerId,
          email: u.email,
          display_name: u.name,
          role: u.role,
          password_hash: passwordHash,
        })),
      )
      .execute();
    await loadPriceList(
      db,
      demoId(`${partner.key}-prices`),
      partnerId,
      `${partner.name} customer prices USD`,
      [],
    );
    await loadDefaultPrices(db, partnerId, retail);
    const system: Actor = { kind: 'system', partnerId };
    for (const [n, c] of partner.customers.entries()) {
      const customerId = demoId(c.key);
      const subscriptionId = demoId(`${c.key}-subscription`);
      const orderId = demoId(`${c.key}-order`);
      const offer = offerOf(c.subscription.type);
      const created = new Date(usageFrom.getTime() - (30 + n * 7) * 24 * 3600 * 1000);
      await inTransaction(db, async (trx) => {
        await trx
          .insertInto('customers')
          .values({
            id: customerId,
            partner_id: partnerId,
            commerce_id: demoId(`${c.key}-commerce`),
            company_name: c.name,
            domain: c.domain,
            country: c.country,
            currency: c.currency,
            tax_rate: c.tax?.rate ?? '0',
            tax_name: c.tax?.name ?? 'VAT',
            culture: c.country === 'ID' ? 'id-ID' : 'en-US',
            language: c.country === 'ID' ? 'id' : 'en',
            email: c.users[0].email,
            first_name: c.users[0].name.split(' ')[0],
            last_name: c.users[0].name.split(' ').slice(1).join(' ') || '-',
            address_line1: '1 Demo Street',
            city: c.city,
            postal_code: '10110',
            created_at: created,
          })
          .execute();
        await trx
          .insertInto('customer_users')
          .values(
            c.users.map((u) => ({
              id: demoId(u.email),
              customer_id: customerId,
              email: u.email,
              display_name: u.name,
              password_hash: passwordHash,
            })),
          )
          .execute();
        await trx
          .insertInto('orders')
          .values({
            id: orderId,
            customer_id: customerId,
            partner_id: partnerId,
            billing_cycle: offer.billingCycle,
            currency: 'USD',
            status: 'completed',
            transaction_type: 'UserPurchase',
            total_price: '0.000000',
            bought_by: 'partner',
            created_by: partner.users[0].email,
            created_at: created,
          })
          .execute();
        await trx
          .insertInto('subscriptions')
          .values({
            id: subscriptionId,
            customer_id: customerId,
            partner_id: partnerId,
            entitlement_id: c.subscription.type === 'license' ? null : demoId(`${c.key}-azure-subscription`),
            offer_id: offer.offerId,
            offer_name: c.subscription.offerName,
            friendly_name: c.subscription.offerName,
            product_type: c.subscription.type,
            status: 'active',
            quantity: c.subscription.type === 'license' ? 25 : 1,
            unit_type: offer.unitType,
            billing_type: offer.billingType,
            billing_cycle: offer.billingCycle,
            term_duration: offer.term,
            auto_renew: c.subscription.type === 'license',
            order_id: orderId,
            effective_start_date: created,
            created_at: created,
          })
          .execute();
        await trx
          .insertInto('order_line_items')
          .values({
            order_id: orderId,
            line_item_number: 0,
            offer_id: offer.offerId,
            friendly_name: c.subscription.offerName,
            quantity: c.subscription.type === 'license' ? 25 : 1,
            term_duration: offer.term,
            billing_cycle: offer.billingCycle,
            unit_price: '0.000000',
            subscription_id: subscriptionId,
            provisioning_context: '{}',
          })
          .execute();
        const roles = c.users
          .filter((u) => u.role)
          .map((u) => ({
            id: demoId(`${u.email}-${subscriptionId}`),
            subscription_id: subscriptionId,
            customer_user_id: demoId(u.email),
            role: u.role!,
          }));
        if (roles.length) await trx.insertInto('role_assignments').values(roles).execute();
        const call = { actor: system, correlationId: demoId(`${c.key}-load`) };
        await writeAudit(trx, call, {
          partnerId,
          customer: { id: customerId, name: c.name },
          resourceType: 'customer',
          operationType: 'add_customer',
          newValue: { id: customerId, companyName: c.name, domain: c.domain },
        });
        await writeAudit(trx, call, {
          partnerId,
          customer: { id: customerId, name: c.name },
          resourceType: 'order',
          operationType: 'create_order',
          newValue: { id: orderId, offerId: offer.offerId },
        });
      });
      if (c.subscription.type !== 'license' && usageDays > 0) {
        const rows = generateHourlyUsage({
          customerId,
          subscriptions: [{ id: subscriptionId, seed: c.key }],
          from: usageFrom,
          hours: usageDays * 24,
          seed: n + 1,
        });
        await insertBatches(rows, 10_000, (batch) =>
          writeUsageRows(
            db,
            batch.map((r) => ({
              customer_id: r.customerId,
              subscription_id: r.subscriptionId,
              hour: r.hour,
              resource_group: r.resourceGroup,
              region: r.region,
              meter_category: r.meterCategory,
              reserved_resource_type: r.reservedResourceType,
              sku: r.sku,
              quantity: r.quantity,
              payg_unit_price: r.paygUnitPrice,
              benefit_eligible: r.benefitEligible,
              resource_id: resourceIdOf(demoId(`${c.key}-azure-subscription`), r),
              ...savingsPlanRates(r),
            })),
          ),
        );
      }
    }
  }
}

/**
 * Demo commitments, bought by Contoso's Admin agent 60 days ago, sized to Fabrikam's fleet, so the
 * reservation pages have utilisation to show; benefits are then applied to every day of usage, so
 * cost views (which read the runs' daily rollups) cover the whole history.
 */
export async function loadDemoCommitments(
  db: Db,
  apply: ApplyBenefits,
  options: { usageDays?: number } = {},
) {
  const contoso = demoId('contoso');
  const admin: Actor = {
    kind: 'partner_user',
    userId: demoId('admin@contoso-partner.example'),
    partnerId: contoso,
    email: 'admin@contoso-partner.example',
    roles: ['admin_agent'],
    applicationId: null,
  };
  const call = { actor: admin, correlationId: demoId('demo-commitments') };
  const fabrikam = await db
    .selectFrom('customers')
    .selectAll()
    .where('id', '=', demoId('fabrikam'))
    .executeTakeFirstOrThrow();
  const azure = demoId('fabrikam-azure-subscription');
  const at = new Date(Date.now() - 60 * 86_400_000);
  const busiest = await db
    .selectFrom('usage_records')
    .select(['sku', 'region', (eb) => eb.fn.sum<string>('quantity').as('hours')])
    .where('customer_id', '=', fabrikam.id)
    .where('reserved_resource_type', '=', 'VirtualMachines')
    .groupBy(['sku', 'region'])
    .orderBy('hours', 'desc')
    .limit(1)
    .executeTakeFirst();
  await inTransaction(db, async (trx) => {
    if (busiest) {
      await executePurchase(
        trx,
        call,
        fabrikam,
        {
          kind: 'reservation',
          billingSubscription: azure,
          sku: busiest.sku,
          region: busiest.region,
          term: 'P1Y',
          billingPlan: 'Monthly',
          quantity: 2,
          displayName: `${busiest.sku} web fleet`,
          appliedScopeType: 'Shared',
          appliedScope: {},
          renew: true,
        },
        demoId('fabrikam-reservation-order'),
        { at },
      );
    }
    await executePurchase(
      trx,
      call,
      fabrikam,
      {
        kind: 'savings_plan',
        billingSubscription: azure,
        hourlyCommitment: '0.50',
        term: 'P3Y',
        billingPlan: 'Monthly',
        quantity: 1,
        displayName: 'Compute savings plan',
        appliedScopeType: 'Shared',
        appliedScope: {},
      },
      demoId('fabrikam-savings-plan-order'),
      { at },
    );
  });
  const days = options.usageDays ?? 90;
  if (days <= 0) return;
  const today = new Date(
    Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()),
  );
  const period = {
    from: new Date(today.getTime() - days * 86_400_000),
    to: new Date(today.getTime() + 86_400_000),
  };
  for (const customerId of await customersWithUsage(db))
    await runBenefits(db, apply, customerId, period, 'demo');
  await refreshUsageStatistics(db);
}

/**
 * A fresh install shows issued invoices: every month before the current one is closed, as the
 * month-close job would have done, and their invoices issued.
 */
export async function closeDemoMonths(db: Db, now = new Date()) {
  return closeDueMonths(db, { now, closeAfterDays: 0 });
}
