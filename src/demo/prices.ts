import Big from 'big.js';
import type { BillingPlan } from '../store/schema.ts';
import {
  type CatalogAvailability,
  catalog,
  type LicenceKey,
  licenceOffers,
  licenceProductIds,
  productOf,
  skuOf,
  vmSize,
} from './catalog.ts';

/**
 * Demo prices in USD: the retail ("web direct") list for every availability and the pay-as-you-go
 * rates that usage is priced at. Customer prices are markups on retail (src/domain/customer-prices.ts;
 * the demo partners' default markups are in price-sheet.ts).
 *
 * The figures are close to public Azure list prices but not copied from a price sheet: they exist
 * so that discounts, break-even and markups look and behave like the real thing.
 */

export interface PriceEntry {
  catalogItemId: string;
  /** '' when the availability has no term, as in the `prices` table's key. */
  termDuration: string;
  billingPlan: BillingPlan;
  /** Six decimals, the way PostgreSQL returns numeric(20, 6), so values round-trip unchanged. */
  unitPrice: string;
  unit: string;
}

/** Azure prices a month as 730 hours (8760 / 12), for reservations and savings plans alike. */
export const HOURS_PER_MONTH = 730;

const MONEY_DP = 6;
const fixed = (value: Big): string => value.round(MONEY_DP, Big.roundHalfUp).toFixed(MONEY_DP);

export function termMonths(termDuration: string): number {
  const m = /^P(\d+)([MY])$/.exec(termDuration);
  if (!m) throw new Error(`unsupported term duration ${JSON.stringify(termDuration)}`);
  return Number(m[1]) * (m[2] === 'Y' ? 12 : 1);
}

/** Linux pay-as-you-go rate per hour in East US; other regions apply `regionFactor`. */
const paygEastUs: Record<string, string> = {
  Standard_D2s_v3: '0.096',
  Standard_D4s_v3: '0.192',
  Standard_D8s_v3: '0.384',
  Standard_D16s_v3: '0.768',
  Standard_D32s_v3: '1.536',
  Standard_D64s_v3: '3.072',
  Standard_D2_v3: '0.096',
  Standard_D4_v3: '0.192',
  Standard_D8_v3: '0.384',
  Standard_D16_v3: '0.768',
  Standard_D32_v3: '1.536',
  Standard_E2s_v3: '0.126',
  Standard_E4s_v3: '0.252',
  // Constrained-vCPU sizes cost what their parent size costs; only the software bill shrinks.
  'Standard_E4-2s_v3': '0.252',
  Standard_E8s_v3: '0.504',
  Standard_E16s_v3: '1.008',
  Standard_E20s_v3: '1.26',
  Standard_E32s_v3: '2.016',
  Standard_E64s_v3: '3.629',
  Standard_E2_v3: '0.126',
  Standard_E4_v3: '0.252',
  Standard_E8_v3: '0.504',
  Standard_E16_v3: '1.008',
  Standard_E32_v3: '2.016',
  Standard_E64_v3: '3.629',
  Standard_F2s_v2: '0.085',
  Standard_F4s_v2: '0.169',
  Standard_F8s_v2: '0.338',
  Standard_F16s_v2: '0.677',
  Standard_F32s_v2: '1.353',
  Standard_F64s_v2: '2.706',
  Standard_F72s_v2: '3.045',
  Standard_B1ms: '0.0207',
  Standard_B2ms: '0.0832',
  Standard_B4ms: '0.166',
  Standard_B8ms: '0.333',
  Standard_DS1_v2: '0.073',
  Standard_DS2_v2: '0.146',
  Standard_DS3_v2: '0.293',
  Standard_DS4_v2: '0.585',
  Standard_DS5_v2: '1.17',
  Standard_L8s_v2: '0.624',
  Standard_L16s_v2: '1.248',
  Standard_L32s_v2: '2.496',
  Standard_L48s_v2: '3.744',
  Standard_L64s_v2: '4.992',
  Standard_L80s_v2: '6.24',
};

const regionFactor: Record<string, string> = {
  eastus: '1',
  westus2: '1',
  westeurope: '1.15',
  southeastasia: '1.2',
  australiaeast: '1.25',
  indonesiacentral: '1.2',
};

/** Reservation discount off pay-as-you-go, by flexibility group: [1 year, 3 years]. */
const reservationDiscount: Record<string, [string, string]> = {
  'DSv3 Series': ['0.40', '0.60'],
  'Dv3 Series': ['0.40', '0.60'],
  'ESv3 Series': ['0.41', '0.62'],
  'Ev3 Series': ['0.41', '0.62'],
  'FSv2 Series': ['0.38', '0.58'],
  'B Series High Memory': ['0.36', '0.57'],
  'DSv2 Series': ['0.39', '0.59'],
  'LSv2 Series': ['0.42', '0.63'],
};

/** A savings plan trades flexibility (any size, any region) for a smaller discount. */
const SAVINGS_PLAN_GAP = '0.13';

/** List price per user per month: [P1Y, P1M]; monthly-term seats cost 20% more, as in new commerce. */
const licencePrices: Record<LicenceKey, [string, string]> = {
  'm365-business-basic': ['6.00', '7.20'],
  'm365-business-standard': ['12.50', '15.00'],
  'm365-business-premium': ['22.00', '26.40'],
  'm365-e3': ['36.00', '43.20'],
  'm365-e5': ['57.00', '68.40'],
};

function regionMultiplier(region: string): Big {
  const factor = regionFactor[region];
  if (!factor) throw new Error(`no demo prices for region ${region}`);
  return new Big(factor);
}

/** Rates are quoted to 4 decimals, like the public Azure price sheet. */
export function payAsYouGoHourly(armSkuName: string, region: string): string {
  const base = paygEastUs[armSkuName];
  if (!base) throw new Error(`no pay-as-you-go price for ${armSkuName}`);
  return fixed(new Big(base).times(regionMultiplier(region)).round(4, Big.roundHalfUp));
}

function discountFor(armSkuName: string, termDuration: string): Big {
  const [oneYear, threeYears] = reservationDiscount[vmSize(armSkuName).isfGroup];
  if (termDuration === 'P1Y') return new Big(oneYear);
  if (termDuration === 'P3Y') return new Big(threeYears);
  throw new Error(`reservations have no ${termDuration} term`);
}

/** The savings plan rate per hour for a VM size: what `spUnitPrice` carries in the engine's input. */
export function savingsPlanHourly(armSkuName: string, region: string, termDuration: 'P1Y' | 'P3Y'): string {
  const discount = discountFor(armSkuName, termDuration).minus(SAVINGS_PLAN_GAP);
  return fixed(
    new Big(payAsYouGoHourly(armSkuName, region)).times(new Big(1).minus(discount)).round(4, Big.roundHalfUp),
  );
}

/** Windows Server is billed per vCPU-hour on its own meter, whatever the VM size or region. */
export function windowsLicenceHourly(vCpus: number): string {
  return fixed(new Big('0.046').times(vCpus));
}

/** Non-compute meters the demo usage needs, East US prices. */
export const meterPrices = {
  /** per disk-month */
  premiumSsdP10: '19.71',
  premiumSsdP30: '135.17',
  standardHddS10: '5.89',
  /** per GB-month */
  blobHotLrs: '0.0184',
} as const;

export function meterPrice(meter: keyof typeof meterPrices, region: string): string {
  return fixed(new Big(meterPrices[meter]).times(regionMultiplier(region)).round(4, Big.roundHalfUp));
}

/** Internet egress per GB: Asia-Pacific regions sit in the dearer zone 2. */
export function bandwidthPerGb(region: string): string {
  const zone2 = ['southeastasia', 'australiaeast', 'indonesiacentral'].includes(region);
  return fixed(new Big(zone2 ? '0.12' : '0.087'));
}

/**
 * The billing plans an availability is priced under. Seat licences are always quoted per month
 * even when billed annually, so one price serves both billing cycles.
 */
export function billingPlansOf(availability: CatalogAvailability): BillingPlan[] {
  switch (productOf(availability).productType) {
    case 'azure_plan':
    case 'azure_global':
      return ['usage'];
    case 'license':
      return ['license_monthly'];
    default:
      return availability.billingCycles.map((c) => {
        if (c === 'one_time') return 'upfront';
        if (c === 'monthly') return 'monthly';
        throw new Error(`billing cycle ${c} has no billing plan`);
      });
  }
}

/**
 * Monthly is rounded to cents first and upfront is monthly × months, so both plans of one term
 * cost exactly the same in total (Azure charges no premium for monthly payment).
 */
function commitmentPrices(monthly: Big, termDuration: string): Record<'upfront' | 'monthly', string> {
  return { monthly: fixed(monthly), upfront: fixed(monthly.times(termMonths(termDuration))) };
}

function priceOf(
  availability: CatalogAvailability,
  billingPlan: BillingPlan,
): { unitPrice: string; unit: string } {
  const product = productOf(availability);
  const term = availability.termDuration ?? '';
  switch (product.productType) {
    case 'azure_plan':
    case 'azure_global':
      return { unitPrice: fixed(new Big(0)), unit: 'Usage' };
    case 'license': {
      const offer = licenceOffers.find((o) => licenceProductIds[o.key] === product.id)!;
      const [annual, monthToMonth] = licencePrices[offer.key];
      return { unitPrice: fixed(new Big(term === 'P1M' ? monthToMonth : annual)), unit: '1 License' };
    }
    case 'savings_plan': {
      // Per 1.00 USD of hourly commitment: a month of commitment is 730 of those hours.
      const prices = commitmentPrices(new Big(HOURS_PER_MONTH), term);
      return { unitPrice: prices[billingPlan as 'upfront' | 'monthly'], unit: '1 Hour' };
    }
    case 'reservation': {
      const sku = skuOf(availability);
      const payg = new Big(payAsYouGoHourly(sku.armSkuName!, sku.region!));
      const monthly = payg
        .times(HOURS_PER_MONTH)
        .times(new Big(1).minus(discountFor(sku.armSkuName!, term)))
        .round(2, Big.roundHalfUp);
      return {
        unitPrice: commitmentPrices(monthly, term)[billingPlan as 'upfront' | 'monthly'],
        unit: '1 Instance',
      };
    }
  }
}

export function retailPrices(): PriceEntry[] {
  return catalog.availabilities.flatMap((availability) =>
    billingPlansOf(availability).map((billingPlan) => ({
      catalogItemId: availability.catalogItemId,
      termDuration: availability.termDuration ?? '',
      billingPlan,
      ...priceOf(availability, billingPlan),
    })),
  );
}
