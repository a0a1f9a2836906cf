/**
 * The demo catalog: the rows of the `products`, `skus` and `availabilities` tables, as plain data.
 *
 * Only the Azure plan ids (`DZH318Z0BPS6:0001:DZH318Z0BML6`) and the legacy offer id
 * (`MS-AZR-0145P`) are the cloud's real ones. Every other id is synthetic but shaped like the
 * partner-center ids (12-character product and availability ids, 4-character SKU ids) and derived
 * from a hash of what the row is, so the same catalog comes out on every run and on every machine.
 */

export type CatalogProductType = 'azure_plan' | 'azure_global' | 'reservation' | 'savings_plan' | 'license';

export interface CatalogProduct {
  id: string;
  title: string;
  description: string;
  productType: CatalogProductType;
  targetView: string;
  reservationType: string | null;
}

export interface CatalogSku {
  productId: string;
  id: string;
  title: string;
  description: string;
  armSkuName: string | null;
  region: string | null;
  isfGroup: string | null;
  /** numeric(12, 6) in the table: a decimal string, as in `src/engine/isf-ratios.csv`. */
  isfRatio: string | null;
  minimumQuantity: number;
  maximumQuantity: number;
  provisioningVariables: string[];
}

export interface CatalogAvailability {
  productId: string;
  skuId: string;
  id: string;
  catalogItemId: string;
  termDuration: string | null;
  billingCycles: string[];
}

export const catalogItemId = (productId: string, skuId: string, availabilityId: string): string =>
  `${productId}:${skuId}:${availabilityId}`;

export const azurePlan = {
  productId: 'DZH318Z0BPS6',
  skuId: '0001',
  availabilityId: 'DZH318Z0BML6',
  catalogItemId: 'DZH318Z0BPS6:0001:DZH318Z0BML6',
} as const;

/** Legacy offers are bought by offer id: the offer id is the whole catalog item id. */
export const azureGlobal = { offerId: 'MS-AZR-0145P', skuId: '0001', availabilityId: '0001' } as const;

export const regions = [
  { name: 'eastus', displayName: 'East US' },
  { name: 'westus2', displayName: 'West US 2' },
  { name: 'westeurope', displayName: 'West Europe' },
  { name: 'southeastasia', displayName: 'Southeast Asia' },
  { name: 'australiaeast', displayName: 'Australia East' },
  { name: 'indonesiacentral', displayName: 'Indonesia Central' },
] as const;

export type RegionName = (typeof regions)[number]['name'];

export interface VmSize {
  armSkuName: string;
  isfGroup: string;
  /** As written in `src/engine/isf-ratios.csv`; not always an integer (Standard_E64s_v3 is 28.8). */
  isfRatio: string;
  vCpus: number;
  memoryGiB: number;
}

interface VmFamily {
  isfGroup: string;
  kind: string;
  sizes: [armSkuName: string, isfRatio: string, vCpus: number, memoryGiB: number][];
}

/**
 * Only groups present in the public ratio table are offered, so every SKU's ratio can be checked
 * against it; newer series (Dsv5, Esv5, Dasv5) are missing from that table and so from the demo.
 */
const vmFamilies: VmFamily[] = [
  {
    isfGroup: 'DSv3 Series',
    kind: 'general purpose, premium storage',
    sizes: [
      ['Standard_D2s_v3', '1', 2, 8],
      ['Standard_D4s_v3', '2', 4, 16],
      ['Standard_D8s_v3', '4', 8, 32],
      ['Standard_D16s_v3', '8', 16, 64],
      ['Standard_D32s_v3', '16', 32, 128],
      ['Standard_D64s_v3', '32', 64, 256],
    ],
  },
  {
    isfGroup: 'Dv3 Series',
    kind: 'general purpose',
    sizes: [
      ['Standard_D2_v3', '1', 2, 8],
      ['Standard_D4_v3', '2', 4, 16],
      ['Standard_D8_v3', '4', 8, 32],
      ['Standard_D16_v3', '8', 16, 64],
      ['Standard_D32_v3', '16', 32, 128],
    ],
  },
  {
    isfGroup: 'ESv3 Series',
    kind: 'memory optimised, premium storage',
    sizes: [
      ['Standard_E2s_v3', '1', 2, 16],
      ['Standard_E4s_v3', '2', 4, 32],
      ['Standard_E4-2s_v3', '2', 2, 32],
      ['Standard_E8s_v3', '4', 8, 64],
      ['Standard_E16s_v3', '8', 16, 128],
      ['Standard_E20s_v3', '10', 20, 160],
      ['Standard_E32s_v3', '16', 32, 256],
      ['Standard_E64s_v3', '28.8', 64, 432],
    ],
  },
  {
    isfGroup: 'Ev3 Series',
    kind: 'memory optimised',
    sizes: [
      ['Standard_E2_v3', '1', 2, 16],
      ['Standard_E4_v3', '2', 4, 32],
      ['Standard_E8_v3', '4', 8, 64],
      ['Standard_E16_v3', '8', 16, 128],
      ['Standard_E32_v3', '16', 32, 256],
      ['Standard_E64_v3', '32', 64, 432],
    ],
  },
  {
    isfGroup: 'FSv2 Series',
    kind: 'compute optimised',
    sizes: [
      ['Standard_F2s_v2', '1', 2, 4],
      ['Standard_F4s_v2', '2', 4, 8],
      ['Standard_F8s_v2', '4', 8, 16],
      ['Standard_F16s_v2', '8', 16, 32],
      ['Standard_F32s_v2', '16', 32, 64],
      ['Standard_F64s_v2', '32', 64, 128],
      ['Standard_F72s_v2', '36', 72, 144],
    ],
  },
  {
    isfGroup: 'B Series High Memory',
    kind: 'burstable',
    sizes: [
      ['Standard_B1ms', '1', 1, 2],
      ['Standard_B2ms', '4', 2, 8],
      ['Standard_B4ms', '8', 4, 16],
      ['Standard_B8ms', '16', 8, 32],
    ],
  },
  {
    isfGroup: 'DSv2 Series',
    kind: 'general purpose, previous generation',
    sizes: [
      ['Standard_DS1_v2', '1', 1, 3.5],
      ['Standard_DS2_v2', '2', 2, 7],
      ['Standard_DS3_v2', '4', 4, 14],
      ['Standard_DS4_v2', '8', 8, 28],
      ['Standard_DS5_v2', '16', 16, 56],
    ],
  },
  {
    isfGroup: 'LSv2 Series',
    kind: 'storage optimised, local NVMe',
    sizes: [
      ['Standard_L8s_v2', '1', 8, 64],
      ['Standard_L16s_v2', '2', 16, 128],
      ['Standard_L32s_v2', '4', 32, 256],
      ['Standard_L48s_v2', '6', 48, 384],
      ['Standard_L64s_v2', '8', 64, 512],
      ['Standard_L80s_v2', '10', 80, 640],
    ],
  },
];

export const vmSizes: readonly VmSize[] = vmFamilies.flatMap((f) =>
  f.sizes.map(([armSkuName, isfRatio, vCpus, memoryGiB]) => ({
    armSkuName,
    isfGroup: f.isfGroup,
    isfRatio,
    vCpus,
    memoryGiB,
  })),
);

const vmSizeByName = new Map(vmSizes.map((s) => [s.armSkuName, s]));

export function vmSize(armSkuName: string): VmSize {
  const size = vmSizeByName.get(armSkuName);
  if (!size) throw new Error(`unknown VM size ${armSkuName}: not in the demo catalog`);
  return size;
}

export const licenceOffers = [
  { key: 'm365-business-basic', title: 'Microsoft 365 Business Basic', maximumQuantity: 300 },
  { key: 'm365-business-standard', title: 'Microsoft 365 Business Standard', maximumQuantity: 300 },
  { key: 'm365-business-premium', title: 'Microsoft 365 Business Premium', maximumQuantity: 300 },
  { key: 'm365-e3', title: 'Microsoft 365 E3', maximumQuantity: 10000 },
  { key: 'm365-e5', title: 'Microsoft 365 E5', maximumQuantity: 10000 },
] as const;

// ---- deterministic ids -------------------------------------------------------------------------

// Without I and O, which read as 1 and 0 when an id is spelled out to support.
const ID_ALPHABET = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** FNV-1a, 32-bit: small, dependency-free and stable across platforms and Node versions. */
export function fnv1a(text: string, basis = 0x811c9dc5): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * A hash-derived id suffix (at most 6 characters: 34^6 < 2^32); on a collision the key is salted
 * and hashed again, so ids stay stable for as long as catalog entries are only appended.
 */
function hashedId(prefix: string, key: string, length: number, taken: Set<string>): string {
  for (let salt = 0; ; salt++) {
    let h = fnv1a(`${key}#${salt}`);
    let suffix = '';
    for (let i = 0; i < length; i++) {
      suffix += ID_ALPHABET[h % ID_ALPHABET.length];
      h = Math.floor(h / ID_ALPHABET.length);
    }
    const id = prefix + suffix;
    if (!taken.has(id)) {
      taken.add(id);
      return id;
    }
  }
}

// ---- the rows ------------------------------------------------------------------------------------

const products: CatalogProduct[] = [];
const skus: CatalogSku[] = [];
const availabilities: CatalogAvailability[] = [];

/** Product and availability ids share one space, as in partner center. */
const takenIds = new Set<string>([azurePlan.productId, azurePlan.availabilityId]);

function addAvailability(
  productId: string,
  skuId: string,
  termDuration: string | null,
  billingCycles: string[],
  prefix = 'DZH318Z0',
): void {
  const id = hashedId(prefix, `availability:${productId}:${skuId}:${termDuration ?? ''}`, 4, takenIds);
  availabilities.push({
    productId,
    skuId,
    id,
    catalogItemId: catalogItemId(productId, skuId, id),
    termDuration,
    billingCycles,
  });
}

const plainSku = {
  armSkuName: null,
  region: null,
  isfGroup: null,
  isfRatio: null,
} as const;

products.push({
  id: azurePlan.productId,
  title: 'Azure plan',
  description: 'Pay-as-you-go Azure usage under the Microsoft Customer Agreement, billed monthly in arrears.',
  productType: 'azure_plan',
  targetView: 'MicrosoftAzure',
  reservationType: null,
});
skus.push({
  productId: azurePlan.productId,
  id: azurePlan.skuId,
  title: 'Azure plan',
  description: 'One Azure plan per customer; Azure subscriptions are created under it.',
  ...plainSku,
  minimumQuantity: 1,
  maximumQuantity: 1,
  provisioningVariables: [],
});
// Partner center's own Azure plan cart example sends billingCycle one_time: the plan itself costs
// nothing, its usage is billed separately.
availabilities.push({
  productId: azurePlan.productId,
  skuId: azurePlan.skuId,
  id: azurePlan.availabilityId,
  catalogItemId: azurePlan.catalogItemId,
  termDuration: null,
  billingCycles: ['one_time'],
});

products.push({
  id: azureGlobal.offerId,
  title: 'Microsoft Azure',
  description: 'Legacy usage-based Azure subscription (Azure Global, offer MS-AZR-0145P), billed monthly.',
  productType: 'azure_global',
  targetView: 'Azure',
  reservationType: null,
});
skus.push({
  productId: azureGlobal.offerId,
  id: azureGlobal.skuId,
  title: 'Microsoft Azure',
  description: 'Usage-based Azure subscription.',
  ...plainSku,
  minimumQuantity: 1,
  maximumQuantity: 1,
  provisioningVariables: [],
});
availabilities.push({
  productId: azureGlobal.offerId,
  skuId: azureGlobal.skuId,
  id: azureGlobal.availabilityId,
  catalogItemId: azureGlobal.offerId,
  termDuration: null,
  billingCycles: ['monthly'],
});

export const reservationTerms = ['P1Y', 'P3Y'] as const;

for (const family of vmFamilies) {
  const productId = hashedId('DZH318Z0', `product:reservation:${family.isfGroup}`, 4, takenIds);
  products.push({
    id: productId,
    title: `Reserved VM Instance, ${family.isfGroup}`,
    description:
      `1- or 3-year reservation for ${family.isfGroup} virtual machines (${family.kind}). ` +
      `With instance size flexibility it also covers other sizes of the ${family.isfGroup} group in the same region.`,
    productType: 'reservation',
    targetView: 'AzureReservationsVM',
    reservationType: 'VirtualMachines',
  });
  const skuIds = new Set<string>();
  for (const [armSkuName, isfRatio, vCpus, memoryGiB] of family.sizes) {
    for (const region of regions) {
      const skuId = hashedId('0', `sku:${armSkuName}:${region.name}`, 3, skuIds);
      skus.push({
        productId,
        id: skuId,
        title: `${armSkuName}, ${region.displayName}`,
        description: `${vCpus} vCPU, ${memoryGiB} GiB memory. Covers compute only; Windows and other software are billed separately.`,
        armSkuName,
        region: region.name,
        isfGroup: family.isfGroup,
        isfRatio,
        minimumQuantity: 1,
        maximumQuantity: 100,
        provisioningVariables: ['Scope', 'SubscriptionId'],
      });
      for (const term of reservationTerms) addAvailability(productId, skuId, term, ['one_time', 'monthly']);
    }
  }
}

export const savingsPlan = {
  productId: hashedId('DZH318Z0', 'product:savings-plan:compute', 4, takenIds),
  skuId: '0001',
} as const;

products.push({
  id: savingsPlan.productId,
  title: 'Azure savings plan for compute',
  description:
    'An hourly spend commitment for 1 or 3 years that lowers the price of eligible compute usage in any region.',
  productType: 'savings_plan',
  targetView: 'AzureSavingsPlan',
  reservationType: null,
});
skus.push({
  productId: savingsPlan.productId,
  id: savingsPlan.skuId,
  title: 'Compute savings plan',
  description: 'Priced per 1.00 USD of hourly commitment; the commitment is given at purchase.',
  ...plainSku,
  minimumQuantity: 1,
  maximumQuantity: 1,
  provisioningVariables: ['Scope', 'SubscriptionId', 'EntitlementId', 'PurchaseCommitment'],
});
for (const term of reservationTerms) {
  addAvailability(savingsPlan.productId, savingsPlan.skuId, term, ['one_time', 'monthly']);
}

export type LicenceKey = (typeof licenceOffers)[number]['key'];

// Seat-based new-commerce offers carry the CFQ7TTC0 prefix in partner center.
export const licenceProductIds = Object.fromEntries(
  licenceOffers.map((o) => [o.key, hashedId('CFQ7TTC0', `product:licence:${o.key}`, 4, takenIds)]),
) as Record<LicenceKey, string>;

for (const offer of licenceOffers) {
  const productId = licenceProductIds[offer.key];
  products.push({
    id: productId,
    title: offer.title,
    description: `${offer.title}, per user. Seat-based licence: does not qualify for Azure reservations or savings plans.`,
    productType: 'license',
    targetView: 'OnlineServices',
    reservationType: null,
  });
  skus.push({
    productId,
    id: '0001',
    title: offer.title,
    description: `${offer.title}, per user licence.`,
    ...plainSku,
    minimumQuantity: 1,
    maximumQuantity: offer.maximumQuantity,
    provisioningVariables: [],
  });
  addAvailability(productId, '0001', 'P1M', ['monthly'], 'CFQ7TTC0');
  addAvailability(productId, '0001', 'P1Y', ['monthly', 'annual'], 'CFQ7TTC0');
}

export const catalog = { products, skus, availabilities } as const;

const productById = new Map(products.map((p) => [p.id, p]));
const skuByKey = new Map(skus.map((s) => [`${s.productId}:${s.id}`, s]));
const availabilityByItemId = new Map(availabilities.map((a) => [a.catalogItemId, a]));
const reservationSkuByKey = new Map(
  skus.filter((s) => s.armSkuName !== null).map((s) => [`${s.armSkuName}@${s.region}`, s]),
);

export function findAvailability(catalogItemId: string): CatalogAvailability | undefined {
  return availabilityByItemId.get(catalogItemId);
}

export function productOf(availability: CatalogAvailability): CatalogProduct {
  return productById.get(availability.productId)!;
}

export function skuOf(availability: CatalogAvailability): CatalogSku {
  return skuByKey.get(`${availability.productId}:${availability.skuId}`)!;
}

/** The reservation SKU for a VM size in a region, the way a purchase picks it. */
export function reservationSku(armSkuName: string, region: string): CatalogSku | undefined {
  return reservationSkuByKey.get(`${armSkuName}@${region}`);
}
