import { fnv1a } from '../demo/catalog.ts';
import { mulberry32 } from '../demo/usage.ts';
import { allocateUsage, type CommitmentSpec, type CustomerBatch, sliceUsage } from './columnar.ts';
import {
  APP_PRICE,
  APP_SKU,
  BANDWIDTH_PRICE,
  BANDWIDTH_SKU,
  DISK_PRICE_PER_MONTH,
  DISK_SKU,
  groupOf,
  LICENCE_PRICE,
  LICENCE_SKU,
  LICENCE_VCPUS,
  PAYG,
  REGION_UTC_OFFSET,
  REGIONS,
  RESOURCE_GROUPS,
  SP1,
  SP3,
  VM_SKUS,
} from './generate-catalog.ts';
import { generateCommitments } from './generate-commitments.ts';
import { MS_PER_HOUR, parseInstant } from './time.ts';
import type { CommitmentInput } from './types.ts';

/**
 * Realistic synthetic usage for tests and benchmarks: customers with a few subscriptions,
 * resource groups in one or two regions, VMs across flexibility groups running 24/7, office
 * hours, nightly batches or afternoon bursts (so first and last hours are partial), Windows
 * licence rows, disks, bandwidth and App Service plans, plus the customer's reservations and
 * savings plans. Straight into columns, in the order the engine wants, without row objects:
 * 100 million rows are generated one customer at a time.
 *
 * Everything derives from (seed, customer index): a worker can generate its share alone.
 */

export interface GeneratorOptions {
  seed: number;
  /** First hour, UTC; default 2025-03-01. */
  from?: string;
  /** Default 720 (30 days). */
  hours?: number;
}

export type Schedule = 'always' | 'business' | 'batch' | 'burst';

export interface GenVm {
  sub: number;
  rg: number;
  region: number;
  sku: number;
  instances: number;
  windows: boolean;
  schedule: Schedule;
  /** Cached plan of the last day asked for: minutes [start, end) of the local day. */
  day: number;
  start: number;
  end: number;
}

export interface GenSubscription {
  name: string;
  region: number;
  /** Resource group codes (indexes into RESOURCE_GROUPS), ascending: the tie-break order. */
  rgs: number[];
  /** Resource groups that run an App Service plan (savings plan eligible, not reservable). */
  apps: Set<number>;
}

export interface GeneratedCustomer {
  name: string;
  index: number;
  fromHour: number;
  hours: number;
  subs: GenSubscription[];
  vms: GenVm[];
  managementGroups: Record<string, string[]>;
  commitments: CommitmentInput[];
  /** Columnar form of `commitments`, codes as in `batch.usage`. */
  specs: CommitmentSpec[];
  batch: CustomerBatch;
}

/** A stateless 32-bit mix: day plans need random access by (vm, day), not a stream. */
function hash01(a: number, b: number, c: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16) ^ (c + 0x165667b1), 0x27d4eb2f);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  h = Math.imul(h, 0x297a2d39);
  h ^= h >>> 15;
  return (h >>> 0) / 4294967296;
}

function planDay(vm: GenVm, key: number, day: number): void {
  const r1 = hash01(key, day, 1);
  const r2 = hash01(key, day, 2);
  const r3 = hash01(key, day, 3);
  const weekday = (((day + 4) % 7) + 7) % 7;
  const weekend = weekday === 0 || weekday === 6;
  let start = 0;
  let end = 0;
  switch (vm.schedule) {
    case 'always':
      // An occasional maintenance stop: the day ends early, leaving a partial hour.
      end = r1 < 0.04 ? 60 + Math.floor(r2 * 1380) : 1440;
      break;
    case 'business':
      if (!weekend && r1 >= 0.1) {
        start = 450 + Math.floor(r2 * 90);
        end = 1050 + Math.floor(r3 * 150);
      }
      break;
    case 'batch':
      start = 60 + Math.floor(r2 * 10);
      end = start + 70 + Math.floor(r3 * 200);
      break;
    case 'burst':
      if (r1 < (weekend ? 0.15 : 0.65)) {
        start = 600 + Math.floor(r2 * 150);
        end = start + 45 + Math.floor(r3 * 315);
      }
      break;
  }
  vm.day = day;
  vm.start = start;
  vm.end = end;
}

const pickWeighted = <T>(r: () => number, items: readonly [T, number][]): T => {
  let x = r() * items.reduce((s, [, w]) => s + w, 0);
  for (const [item, w] of items) {
    x -= w;
    if (x < 0) return item;
  }
  return items[items.length - 1][0];
};

const FAMILY_WEIGHTS: [string, number][] = [
  ['DSv3 Series', 30],
  ['Dv3 Series', 8],
  ['ESv3 Series', 14],
  ['Ev3 Series', 5],
  ['FSv2 Series', 8],
  ['B Series High Memory', 12],
  ['DSv2 Series', 6],
  ['LSv2 Series', 3],
  ['DSv5 Series', 10],
  ['Fractional Series', 4],
];

export function customerName(index: number): string {
  return `cust-${String(index).padStart(6, '0')}`;
}

export function generateCustomer(options: GeneratorOptions, index: number): GeneratedCustomer {
  const name = customerName(index);
  const r = mulberry32(fnv1a(`${options.seed}|${index}`));
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const fromHour = Math.floor(parseInstant(options.from ?? '2025-03-01T00:00:00Z') / MS_PER_HOUR);
  const hours = options.hours ?? 720;

  const subs: GenSubscription[] = [];
  const vms: GenVm[] = [];
  const nSubs = pickWeighted(r, [
    [1, 45],
    [2, 35],
    [3, 15],
    [4, 5],
  ]);
  for (let s = 0; s < nSubs; s++) {
    const region = Math.floor(r() * REGIONS.length);
    const pool = [...RESOURCE_GROUPS.keys()];
    const rgs = Array.from(
      { length: int(2, 4) },
      () => pool.splice(Math.floor(r() * pool.length), 1)[0],
    ).sort((a, b) => a - b);
    const apps = new Set(rgs.filter(() => r() < 0.12));
    subs.push({ name: `${name}-sub-${s}`, region, rgs, apps });
    const secondary = (region + 1 + Math.floor(r() * (REGIONS.length - 1))) % REGIONS.length;
    for (let v = int(3, 12); v > 0; v--) {
      const group = pickWeighted(r, FAMILY_WEIGHTS);
      const sizes = VM_SKUS.map((x, k) => [k, x] as const).filter(([, x]) => x.group === group);
      // Smaller sizes are the common ones.
      const sku = sizes[Math.floor(r() * r() * sizes.length)][0];
      vms.push({
        sub: s,
        rg: rgs[Math.floor(r() * rgs.length)],
        region: r() < 0.85 ? region : secondary,
        sku,
        instances: r() < 0.1 ? int(2, 4) : 1,
        windows: r() < 0.35,
        schedule: pickWeighted(r, [
          ['always', 45],
          ['business', 30],
          ['batch', 10],
          ['burst', 15],
        ]),
        day: Number.NaN,
        start: 0,
        end: 0,
      });
    }
  }
  // Within a resource group, VMs in a fixed order: rows come out in tie-break order.
  vms.sort((a, b) => a.sub - b.sub || a.rg - b.rg);

  const managementGroups: Record<string, string[]> = {};
  if (nSubs >= 2) {
    const members = subs.filter((_, s) => s === 0 || r() < 0.5).map((s) => s.name);
    managementGroups[`mg-${name}`] = members;
  }
  const { commitments, specs } = generateCommitments({
    name,
    r,
    subs,
    vms,
    managementGroups,
    fromHour,
    hours,
  });
  const batch: CustomerBatch = {
    usage: generateRows(index, subs, vms, fromHour, hours),
    commitments: specs,
    hours: Int32Array.from({ length: hours }, (_, t) => fromHour + t),
  };
  return { name, index, fromHour, hours, subs, vms, managementGroups, commitments, specs, batch };
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

function generateRows(
  index: number,
  subs: GenSubscription[],
  vms: GenVm[],
  fromHour: number,
  hours: number,
): CustomerBatch['usage'] {
  const rgCount = subs.reduce((n, s) => n + s.rgs.length, 0);
  const perHour = 2 * vms.length + 2 * rgCount + subs.length;
  const u = allocateUsage(perHour * hours);
  const nR = REGIONS.length;
  const diskQuantity = subs.map((_, s) => vms.filter((v) => v.sub === s).length);
  let n = 0;
  const emit = (sub: number, rg: number, region: number, sku: number, q: number, payg: number) => {
    u.hour[n] = 0;
    u.sub[n] = sub;
    u.rg[n] = rg;
    u.region[n] = region;
    u.rtype[n] = -1;
    u.sku[n] = sku;
    u.group[n] = -1;
    u.ratio[n] = Number.NaN;
    u.quantity[n] = q;
    u.payg[n] = payg;
    u.sp1[n] = Number.NaN;
    u.sp3[n] = Number.NaN;
    u.eligible[n] = 0;
    return n++;
  };
  for (let t = 0; t < hours; t++) {
    const h = fromHour + t;
    const first = n;
    let v = 0;
    for (let s = 0; s < subs.length; s++) {
      const sub = subs[s];
      for (const rg of sub.rgs) {
        for (; v < vms.length && vms[v].sub === s && vms[v].rg === rg; v++) {
          const vm = vms[v];
          const local = h + REGION_UTC_OFFSET[vm.region];
          const day = Math.floor(local / 24);
          if (vm.day !== day) planDay(vm, index * 4096 + v, day);
          const from = (local - day * 24) * 60;
          const minutes = Math.max(0, Math.min(vm.end, from + 60) - Math.max(vm.start, from));
          if (minutes === 0) continue;
          const q = round6((minutes / 60) * vm.instances);
          const p = vm.sku * nR + vm.region;
          const i = emit(s, rg, vm.region, vm.sku, q, PAYG[p]);
          u.rtype[i] = 0;
          u.group[i] = groupOf(vm.sku);
          u.ratio[i] = VM_SKUS[vm.sku].ratio;
          u.sp1[i] = SP1[p];
          u.sp3[i] = SP3[p];
          u.eligible[i] = 1;
          if (vm.windows) {
            const cores = VM_SKUS[vm.sku].vCpus;
            emit(s, rg, vm.region, LICENCE_SKU(cores), q, LICENCE_PRICE[LICENCE_VCPUS.indexOf(cores)]);
          }
        }
        if (sub.apps.has(rg)) {
          const i = emit(s, rg, sub.region, APP_SKU, 1, APP_PRICE[0]);
          u.sp1[i] = APP_PRICE[1];
          u.sp3[i] = APP_PRICE[2];
          u.eligible[i] = 1;
        }
        emit(s, rg, sub.region, DISK_SKU, round6(diskQuantity[s] / 730), DISK_PRICE_PER_MONTH);
        if (rg === sub.rgs[0]) {
          const busy = ((h % 24) + 24) % 24 >= 8 && ((h % 24) + 24) % 24 < 20;
          const gb = round6((busy ? 1.5 : 0.1) + hash01(index, h, s) * (busy ? 6.5 : 1.1));
          emit(s, rg, sub.region, BANDWIDTH_SKU, gb, BANDWIDTH_PRICE);
        }
      }
    }
    u.hour.fill(h, first, n);
  }
  return sliceUsage(u, n);
}
