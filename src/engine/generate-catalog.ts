import { regions, vmSizes } from '../demo/catalog.ts';
import { payAsYouGoHourly, savingsPlanHourly, windowsLicenceHourly } from '../demo/prices.ts';

/**
 * What the synthetic usage is made of: the demo catalog's VM sizes and prices (all in the public
 * ratio table), plus two families that are not in it, whose rows and commitments carry their
 * own group and ratio: a v5 series, and a made-up fractional series whose ratios start at 0.25.
 */

export interface GenSku {
  name: string;
  group: string;
  ratio: number;
  vCpus: number;
  /** In the public ratio table: rows leave group and ratio to the table. */
  inTable: boolean;
}

const extraFamilies: { group: string; sizes: [string, number, number, number][]; sp: [number, number] }[] = [
  {
    group: 'DSv5 Series',
    sizes: [
      ['Standard_D2s_v5', 1, 2, 0.096],
      ['Standard_D4s_v5', 2, 4, 0.192],
      ['Standard_D8s_v5', 4, 8, 0.384],
      ['Standard_D16s_v5', 8, 16, 0.768],
    ],
    sp: [0.27, 0.46],
  },
  {
    group: 'Fractional Series',
    sizes: [
      ['Standard_F1f', 0.25, 1, 0.031],
      ['Standard_F2f', 0.5, 2, 0.062],
      ['Standard_F6f', 1.5, 6, 0.186],
    ],
    sp: [0.2, 0.4],
  },
];

const regionFactor = [1, 1, 1.15, 1.2, 1.25, 1.2];

export const REGIONS: readonly string[] = regions.map((r) => r.name);
/** Local office hours drive schedules; daylight saving is ignored. */
export const REGION_UTC_OFFSET = [-5, -8, 1, 8, 10, 7];

export const VM_SKUS: readonly GenSku[] = [
  ...vmSizes.map((s) => ({
    name: s.armSkuName,
    group: s.isfGroup,
    ratio: Number(s.isfRatio),
    vCpus: s.vCpus,
    inTable: true,
  })),
  ...extraFamilies.flatMap((f) =>
    f.sizes.map(([name, ratio, vCpus]) => ({ name, group: f.group, ratio, vCpus, inTable: false })),
  ),
];

export const GROUPS: readonly string[] = [...new Set(VM_SKUS.map((s) => s.group))];
export const groupOf = (sku: number): number => GROUPS.indexOf(VM_SKUS[sku].group);

/** Meters other than VM compute; their SKU codes follow the VM SKUs'. */
export const LICENCE_VCPUS = [1, 2, 4, 6, 8, 16, 20, 32, 48, 64, 72, 80];
export const OTHER_SKUS: readonly string[] = [
  ...LICENCE_VCPUS.map((n) => `Windows Server ${n} vCPU VM License`),
  'Premium SSD Managed Disks P10 LRS',
  'Standard Data Transfer Out',
  'App Service Premium v3 P1v3',
];
export const SKU_NAMES: readonly string[] = [...VM_SKUS.map((s) => s.name), ...OTHER_SKUS];
export const LICENCE_SKU = (vCpus: number): number => VM_SKUS.length + LICENCE_VCPUS.indexOf(vCpus);
export const DISK_SKU = VM_SKUS.length + LICENCE_VCPUS.length;
export const BANDWIDTH_SKU = DISK_SKU + 1;
export const APP_SKU = DISK_SKU + 2;

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** Prices per (SKU, region): pay-as-you-go and the savings plan rates for one and three years. */
const nR = REGIONS.length;
export const PAYG = new Float64Array(VM_SKUS.length * nR);
export const SP1 = new Float64Array(VM_SKUS.length * nR);
export const SP3 = new Float64Array(VM_SKUS.length * nR);
VM_SKUS.forEach((s, k) => {
  for (let r = 0; r < nR; r++) {
    if (s.inTable) {
      PAYG[k * nR + r] = Number(payAsYouGoHourly(s.name, REGIONS[r]));
      SP1[k * nR + r] = Number(savingsPlanHourly(s.name, REGIONS[r], 'P1Y'));
      SP3[k * nR + r] = Number(savingsPlanHourly(s.name, REGIONS[r], 'P3Y'));
    } else {
      const f = extraFamilies.find((x) => x.group === s.group)!;
      const base = f.sizes.find((x) => x[0] === s.name)![3];
      const payg = round4(base * regionFactor[r]);
      PAYG[k * nR + r] = payg;
      SP1[k * nR + r] = round4(payg * (1 - f.sp[0]));
      SP3[k * nR + r] = round4(payg * (1 - f.sp[1]));
    }
  }
});

export const LICENCE_PRICE = LICENCE_VCPUS.map((n) => Number(windowsLicenceHourly(n)));
/** Per disk-month; a disk's hour carries 1/730 of a month. */
export const DISK_PRICE_PER_MONTH = 19.71;
export const BANDWIDTH_PRICE = 0.087;
export const APP_PRICE = [0.125, 0.1062, 0.0875];

/** Reservation discounts off pay-as-you-go, used to price the generated reservations. */
export const RESERVATION_DISCOUNT = { P1Y: 0.4, P3Y: 0.6 } as const;

export const RESOURCE_GROUPS: readonly string[] = [
  'rg-analytics',
  'rg-batch',
  'rg-data',
  'rg-dev',
  'rg-dr',
  'rg-prod-api',
  'rg-prod-web',
  'rg-reporting',
  'rg-sandbox',
  'rg-shared',
];
