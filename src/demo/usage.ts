import Big from 'big.js';
import { fnv1a, vmSize } from './catalog.ts';
import {
  bandwidthPerGb,
  HOURS_PER_MONTH,
  meterPrice,
  payAsYouGoHourly,
  windowsLicenceHourly,
} from './prices.ts';

/**
 * Synthetic hourly usage for the demo: the rows of `usage_records`, in camelCase.
 *
 * Every random choice is keyed by (seed, subscription seed, resource, absolute day or hour), never
 * by position in the output, so an hour's usage is the same whatever window it is generated in:
 * March alone and March as part of a quarter give identical rows for March.
 */

export interface UsageRow {
  customerId: string;
  subscriptionId: string;
  hour: Date;
  resourceGroup: string;
  region: string;
  meterCategory: string;
  reservedResourceType: string | null;
  sku: string;
  /** Decimal strings with 6 decimals, as PostgreSQL returns numeric(20, 6). */
  quantity: string;
  paygUnitPrice: string;
  benefitEligible: boolean;
  /** The resource inside its group, as `{provider}/{type}/{name}`; null for meters of no resource (egress). */
  resource: string | null;
}

/** The ARM id of a usage row's resource, given the Azure subscription id. */
export const resourceIdOf = (azureSubscriptionId: string, r: Pick<UsageRow, 'resourceGroup' | 'resource'>) =>
  r.resource
    ? `/subscriptions/${azureSubscriptionId}/resourceGroups/${r.resourceGroup}/providers/${r.resource}`
    : null;

export interface UsageInput {
  customerId: string;
  subscriptions: { id: string; seed: string }[];
  /** Floored to the UTC hour. */
  from: Date;
  hours: number;
  seed: number;
}

/** mulberry32: a tiny, well-mixed 32-bit generator; plenty for demo data, not for secrets. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rngFor = (...key: (string | number)[]) => mulberry32(fnv1a(key.join('|')));

/** Office hours follow the customer's clock; daylight saving is ignored. */
const utcOffsetHours: Record<string, number> = {
  eastus: -5,
  westus2: -8,
  westeurope: 1,
  southeastasia: 8,
  australiaeast: 10,
  indonesiacentral: 7,
};

export type VmSchedule =
  /** 24/7, with an occasional maintenance gap */
  | 'always'
  /** local office hours on weekdays, switched on and off by hand, so partial first and last hours */
  | 'business'
  /** a nightly job of varying length */
  | 'batch'
  /** autoscale-out instances on busy weekday afternoons */
  | 'burst'
  /** a temporary environment that runs 24/7 in some weeks only */
  | 'project';

export interface DemoVm {
  name: string;
  resourceGroup: string;
  region: string;
  armSkuName: string;
  os: 'linux' | 'windows';
  schedule: VmSchedule;
}

export interface DemoStorage {
  resourceGroup: string;
  region: string;
  sku: string;
  /** Billed per month (disk-months, GB-months), so each hour carries 1/730 of it. */
  monthlyQuantity: number;
  paygUnitPrice: string;
  /** `{provider}/{type}/{name}` inside the resource group. */
  resource: string;
}

export interface DemoFleet {
  region: string;
  secondaryRegion: string;
  utcOffsetHours: number;
  resourceGroups: string[];
  vms: DemoVm[];
  storage: DemoStorage[];
}

/**
 * The resources of one subscription. Most compute sits in one flexibility group (DSv3) in one
 * region, so a single flexible reservation can cover a mixed fleet; memory, compute-optimised and
 * burstable VMs and a second region give reservations something to miss.
 */
export function demoFleet(seed: number, subscriptionSeed: string): DemoFleet {
  const r = rngFor('fleet', seed, subscriptionSeed);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

  // Weighted towards Asia-Pacific, the market of the seed document's partners.
  const region = pick([
    'southeastasia',
    'indonesiacentral',
    'southeastasia',
    'australiaeast',
    'eastus',
    'westeurope',
  ]);
  const secondaryRegion = pick(
    ['southeastasia', 'indonesiacentral', 'australiaeast', 'eastus'].filter((x) => x !== region),
  );
  const web = 'rg-prod-web';
  const data = 'rg-prod-data';
  const dev = pick(['rg-dev', 'rg-dev-test', 'rg-sandbox']);
  const batch = pick(['rg-batch', 'rg-analytics', 'rg-reporting']);
  const dr = 'rg-dr';

  const vms: DemoVm[] = [];
  const add = (count: number, prefix: string, vm: Omit<DemoVm, 'name'>) => {
    for (let i = 1; i <= count; i++) vms.push({ name: `${prefix}-${String(i).padStart(2, '0')}`, ...vm });
  };
  add(int(2, 4), 'vm-web', {
    resourceGroup: web,
    region,
    armSkuName: 'Standard_D4s_v3',
    os: 'linux',
    schedule: 'always',
  });
  add(int(1, 3), 'vm-web-scale', {
    resourceGroup: web,
    region,
    armSkuName: 'Standard_D2s_v3',
    os: 'linux',
    schedule: 'burst',
  });
  add(int(1, 2), 'vm-api', {
    resourceGroup: web,
    region,
    armSkuName: pick(['Standard_D8s_v3', 'Standard_D4s_v3']),
    os: 'windows',
    schedule: 'always',
  });
  add(int(1, 2), 'vm-sql', {
    resourceGroup: data,
    region,
    armSkuName: pick(['Standard_E4s_v3', 'Standard_E8s_v3', 'Standard_E16s_v3']),
    os: 'windows',
    schedule: 'always',
  });
  add(1, 'vm-etl', {
    resourceGroup: batch,
    region,
    armSkuName: pick(['Standard_F8s_v2', 'Standard_F16s_v2']),
    os: 'linux',
    schedule: 'batch',
  });
  add(int(2, 4), 'vm-devbox', {
    resourceGroup: dev,
    region,
    armSkuName: pick(['Standard_B2ms', 'Standard_B4ms']),
    os: 'windows',
    schedule: 'business',
  });
  add(int(1, 2), 'vm-devsrv', {
    resourceGroup: dev,
    region,
    armSkuName: 'Standard_D2s_v3',
    os: 'linux',
    schedule: 'business',
  });
  add(1, 'vm-dr', {
    resourceGroup: dr,
    region: secondaryRegion,
    armSkuName: pick(['Standard_D8s_v3', 'Standard_D16s_v3']),
    os: 'linux',
    schedule: 'project',
  });

  // Disks outlive deallocation, so storage is billed every hour whatever the VMs do.
  const storage: DemoStorage[] = [];
  for (const rg of [web, data, batch, dev, dr]) {
    const inRg = vms.filter((v) => v.resourceGroup === rg);
    const rgRegion = inRg[0].region;
    if (rg === dev) {
      storage.push(disk(rg, rgRegion, 'standardHddS10', 'Standard HDD Managed Disks S10 LRS', inRg.length));
    } else {
      storage.push(disk(rg, rgRegion, 'premiumSsdP10', 'Premium SSD Managed Disks P10 LRS', inRg.length));
    }
    if (rg === data) {
      storage.push(disk(rg, rgRegion, 'premiumSsdP30', 'Premium SSD Managed Disks P30 LRS', 2 * inRg.length));
      storage.push(disk(rg, rgRegion, 'blobHotLrs', 'Blob Storage Hot LRS Data Stored', int(800, 6000)));
    }
  }

  return {
    region,
    secondaryRegion,
    utcOffsetHours: utcOffsetHours[region],
    resourceGroups: [web, data, batch, dev, dr],
    vms,
    storage,
  };
}

function disk(
  resourceGroup: string,
  region: string,
  meter: Parameters<typeof meterPrice>[0],
  sku: string,
  monthlyQuantity: number,
): DemoStorage {
  const short = resourceGroup.replace(/^rg-/, '');
  const resource =
    meter === 'blobHotLrs'
      ? `Microsoft.Storage/storageAccounts/st${short.replace(/[^a-z0-9]/g, '')}`
      : `Microsoft.Compute/disks/disks-${short}-${meter.replace(/^(premiumSsd|standardHdd)/, '').toLowerCase()}`;
  return { resourceGroup, region, sku, monthlyQuantity, paygUnitPrice: meterPrice(meter, region), resource };
}

/** Minutes of a local day, [start, end), during which a VM runs. */
type DayPlan = [number, number][];

function dayPlan(schedule: VmSchedule, r: () => number, weekday: number, weekKeyRandom: number): DayPlan {
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const weekend = weekday === 0 || weekday === 6;
  switch (schedule) {
    case 'always': {
      if (r() >= 0.04) return [[0, 1440]];
      const gapStart = int(60, 1380);
      return [
        [0, gapStart],
        [gapStart + int(5, 45), 1440],
      ];
    }
    case 'business': {
      if (weekend) {
        if (r() >= 0.05) return [];
        const start = int(600, 720);
        return [[start, start + int(60, 240)]];
      }
      if (r() < 0.1) return []; // leave, holidays, a forgotten start
      return [[int(450, 540), int(1050, 1200)]];
    }
    case 'batch': {
      const start = 60 + int(0, 10);
      return [[start, start + int(70, 270)]];
    }
    case 'burst': {
      if (r() >= (weekend ? 0.15 : 0.65)) return [];
      const start = int(600, 750);
      return [[start, start + int(45, 360)]];
    }
    case 'project':
      return weekKeyRandom < 0.5 ? [[0, 1440]] : [];
  }
}

function minutesRunning(plan: DayPlan, hourOfDay: number): number {
  const from = hourOfDay * 60;
  const to = from + 60;
  let minutes = 0;
  for (const [start, end] of plan) minutes += Math.max(0, Math.min(end, to) - Math.max(start, from));
  return minutes;
}

const MS_PER_HOUR = 3_600_000;
const QUANTITY_DP = 6;
const quantityOfMinutes = Array.from({ length: 61 }, (_, m) =>
  new Big(m).div(60).round(QUANTITY_DP, Big.roundHalfUp).toFixed(QUANTITY_DP),
);
const perHourOfMonth = (monthly: number) =>
  new Big(monthly).div(HOURS_PER_MONTH).round(QUANTITY_DP, Big.roundHalfUp).toFixed(QUANTITY_DP);

interface PreparedVm extends DemoVm {
  paygUnitPrice: string;
  licenceSku: string;
  licencePrice: string;
  planDay: number;
  plan: DayPlan;
}

interface PreparedSubscription {
  id: string;
  seed: string;
  fleet: DemoFleet;
  vms: PreparedVm[];
  storageQuantity: string[];
  bandwidthPrice: string;
}

function prepare(seed: number, subscription: { id: string; seed: string }): PreparedSubscription {
  const fleet = demoFleet(seed, subscription.seed);
  const vms = fleet.vms.map((vm) => {
    const { vCpus } = vmSize(vm.armSkuName);
    return {
      ...vm,
      paygUnitPrice: payAsYouGoHourly(vm.armSkuName, vm.region),
      licenceSku: `Windows Server ${vCpus} vCPU VM License`,
      licencePrice: windowsLicenceHourly(vCpus),
      planDay: Number.NaN,
      plan: [],
    };
  });
  return {
    ...subscription,
    fleet,
    vms,
    storageQuantity: fleet.storage.map((s) => perHourOfMonth(s.monthlyQuantity)),
    bandwidthPrice: bandwidthPerGb(fleet.region),
  };
}

/** Thursday 1 January 1970 is day 0. */
const weekdayOf = (day: number) => (((day + 4) % 7) + 7) % 7;

export function* generateHourlyUsage(input: UsageInput): Generator<UsageRow, void, undefined> {
  if (!Number.isInteger(input.hours) || input.hours < 0) throw new Error('hours must be a whole number ≥ 0');
  const firstHour = Math.floor(input.from.getTime() / MS_PER_HOUR);
  if (!Number.isFinite(firstHour)) throw new Error('from must be a valid date');
  const subscriptions = input.subscriptions.map((s) => prepare(input.seed, s));

  for (let h = firstHour; h < firstHour + input.hours; h++) {
    for (const sub of subscriptions) {
      const { fleet } = sub;
      const local = h + fleet.utcOffsetHours;
      const day = Math.floor(local / 24);
      const hourOfDay = local - day * 24;
      const common = { customerId: input.customerId, subscriptionId: sub.id };

      for (const vm of sub.vms) {
        if (vm.planDay !== day) {
          const weekRandom = rngFor('week', input.seed, sub.seed, vm.name, Math.floor((day + 3) / 7))();
          vm.plan = dayPlan(
            vm.schedule,
            rngFor('day', input.seed, sub.seed, vm.name, day),
            weekdayOf(day),
            weekRandom,
          );
          vm.planDay = day;
        }
        const minutes = minutesRunning(vm.plan, hourOfDay);
        if (minutes === 0) continue;
        const place = {
          ...common,
          hour: new Date(h * MS_PER_HOUR),
          resourceGroup: vm.resourceGroup,
          region: vm.region,
        };
        const resource = `Microsoft.Compute/virtualMachines/${vm.name}`;
        yield {
          ...place,
          resource,
          meterCategory: 'Virtual Machines',
          reservedResourceType: 'VirtualMachines',
          sku: vm.armSkuName,
          quantity: quantityOfMinutes[minutes],
          paygUnitPrice: vm.paygUnitPrice,
          benefitEligible: true,
        };
        if (vm.os === 'windows') {
          yield {
            ...place,
            resource,
            hour: new Date(h * MS_PER_HOUR),
            meterCategory: 'Virtual Machines Licenses',
            reservedResourceType: null,
            sku: vm.licenceSku,
            quantity: quantityOfMinutes[minutes],
            paygUnitPrice: vm.licencePrice,
            benefitEligible: false,
          };
        }
      }

      for (let i = 0; i < fleet.storage.length; i++) {
        const s = fleet.storage[i];
        yield {
          ...common,
          hour: new Date(h * MS_PER_HOUR),
          resourceGroup: s.resourceGroup,
          region: s.region,
          resource: s.resource,
          meterCategory: 'Storage',
          reservedResourceType: null,
          sku: s.sku,
          quantity: sub.storageQuantity[i],
          paygUnitPrice: s.paygUnitPrice,
          benefitEligible: false,
        };
      }

      const egress = rngFor('egress', input.seed, sub.seed, h)();
      const weekday = weekdayOf(day);
      const busy = hourOfDay >= 8 && hourOfDay < 20 && weekday !== 0 && weekday !== 6;
      const gigabytes = busy ? 1.5 + egress * 6.5 : 0.1 + egress * 1.1;
      yield {
        ...common,
        hour: new Date(h * MS_PER_HOUR),
        resourceGroup: fleet.resourceGroups[0],
        region: fleet.region,
        resource: null,
        meterCategory: 'Bandwidth',
        reservedResourceType: null,
        sku: 'Standard Data Transfer Out',
        quantity: (Math.round(gigabytes * 1000) / 1000).toFixed(QUANTITY_DP),
        paygUnitPrice: sub.bandwidthPrice,
        benefitEligible: false,
      };
    }
  }
}
