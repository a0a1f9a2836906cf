import { type CommitmentSpec, RESERVATION, SAVINGS_PLAN, SCOPE_LEVELS, type ScopeType } from './columnar.ts';
import type { GenSubscription, GenVm } from './generate.ts';
import {
  GROUPS,
  groupOf,
  PAYG,
  REGIONS,
  RESERVATION_DISCOUNT,
  RESOURCE_GROUPS,
  SP1,
  VM_SKUS,
} from './generate-catalog.ts';
import { hourOf, MS_PER_HOUR, parseInstant, termEndHour } from './time.ts';
import type { CommitmentInput, ScopeInput } from './types.ts';

/**
 * A customer's reservations and savings plans, sized against its own fleet so that some run
 * short and some run over, bought before the period, during it, ending in it, or undated.
 */

interface Fleet {
  name: string;
  r: () => number;
  subs: GenSubscription[];
  vms: GenVm[];
  managementGroups: Record<string, string[]>;
  fromHour: number;
  hours: number;
}

const DAY = 86_400_000;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function purchaseDate(f: Fleet, years: number): string | undefined {
  const x = f.r();
  const from = f.fromHour * MS_PER_HOUR;
  if (x < 0.6) return isoDate(from - (1 + Math.floor(f.r() * (years * 365 - 30))) * DAY);
  if (x < 0.75) {
    const at = from + Math.floor(f.r() * f.hours) * MS_PER_HOUR + Math.floor(f.r() * 60) * 60_000;
    return `${new Date(at).toISOString().slice(0, 19)}Z`;
  }
  if (x < 0.85) return isoDate(from - (years * 365 - 1 - Math.floor(f.r() * 25)) * DAY);
  if (x < 0.97) return undefined;
  return '2024-02-29';
}

function scopeFor(f: Fleet, vm: GenVm, weights: number[]): { scope: ScopeInput; level: number } {
  const mg = Object.keys(f.managementGroups)[0];
  let x = f.r() * weights.reduce((a, b) => a + b, 0);
  let level = 0;
  while (level < 3 && x >= weights[level]) x -= weights[level++];
  if (level === 2 && !mg) level = 3;
  const type: ScopeType = SCOPE_LEVELS[level];
  const sub = f.subs[vm.sub].name;
  const scope: ScopeInput =
    type === 'ResourceGroup'
      ? { type, subscription: sub, resourceGroup: RESOURCE_GROUPS[vm.rg] }
      : type === 'Subscription'
        ? { type, subscription: sub }
        : type === 'ManagementGroup'
          ? { type, managementGroup: mg }
          : { type: 'Shared' };
  return { scope, level };
}

function specOf(f: Fleet, c: CommitmentInput, level: number, vm: GenVm): CommitmentSpec {
  const years = c.term === 'P3Y' ? 3 : 1;
  const purchaseMs = c.purchaseDate ? parseInstant(c.purchaseDate) : Number.NEGATIVE_INFINITY;
  const startHour = c.purchaseDate ? hourOf(purchaseMs) : Number.NEGATIVE_INFINITY;
  let subsInScope: Uint8Array | null = null;
  if (level === 2) {
    const members = Object.values(f.managementGroups)[0];
    subsInScope = Uint8Array.from(f.subs, (s) => (members.includes(s.name) ? 1 : 0));
  }
  const spec: CommitmentSpec = {
    id: c.id,
    kind: c.type === 'reservation' ? RESERVATION : SAVINGS_PLAN,
    level,
    sub: level <= 1 ? vm.sub : -1,
    rg: level === 0 ? vm.rg : -1,
    subsInScope,
    startHour,
    endHour: c.purchaseDate ? termEndHour(startHour, years) : Number.POSITIVE_INFINITY,
    purchaseMs,
    rtype: -1,
    region: -1,
    sku: -1,
    group: -1,
    flexible: false,
    capacity: 0,
    amortizedHourlyCost: 0,
    years,
    hourlyCommitment: 0,
  };
  if (c.type === 'reservation') {
    const sku = VM_SKUS.findIndex((s) => s.name === c.sku);
    spec.rtype = 0;
    spec.region = REGIONS.indexOf(c.region);
    spec.sku = sku;
    spec.group = groupOf(sku);
    spec.flexible = c.instanceFlexibility !== 'Off';
    spec.capacity = c.quantity * (spec.flexible ? VM_SKUS[sku].ratio : 1);
    spec.amortizedHourlyCost = c.amortizedHourlyCost;
  } else {
    spec.hourlyCommitment = c.hourlyCommitment;
  }
  return spec;
}

const DUTY = { always: 0.97, business: 0.3, batch: 0.1, burst: 0.12 };

export function generateCommitments(f: Fleet): { commitments: CommitmentInput[]; specs: CommitmentSpec[] } {
  const { r, vms, name } = f;
  const commitments: CommitmentInput[] = [];
  const specs: CommitmentSpec[] = [];
  const nR = REGIONS.length;
  const reservations = r() < 0.15 ? 0 : 1 + Math.floor(r() * 5);
  // Steady workloads are what people reserve; now and then a reservation misses its target.
  const steady = vms.filter((v) => v.schedule === 'always');
  for (let k = 0; k < reservations && vms.length; k++) {
    const pool = steady.length && r() < 0.8 ? steady : vms;
    const vm = pool[Math.floor(r() * pool.length)];
    const group = VM_SKUS[vm.sku].group;
    const sizes = VM_SKUS.map((s, i) => [i, s] as const).filter(([, s]) => s.group === group);
    const sku = r() < 0.7 ? vm.sku : sizes[Math.floor(r() * sizes.length)][0];
    const term = r() < 0.6 ? 'P1Y' : 'P3Y';
    const quantity = 1 + Math.floor(r() * 3);
    const isf = r();
    const { scope, level } = scopeFor(f, vm, [25, 25, 15, 35]);
    const s = VM_SKUS[sku];
    const c: CommitmentInput = {
      id: `${name}-r${k}`,
      type: 'reservation',
      reservedResourceType: 'VirtualMachines',
      sku: s.name,
      region: REGIONS[vm.region],
      ...(s.inTable ? {} : { isfGroup: GROUPS[groupOf(sku)], skuRatio: s.ratio }),
      ...(isf < 0.15
        ? { instanceFlexibility: 'Off' as const }
        : isf < 0.5
          ? { instanceFlexibility: 'On' as const }
          : {}),
      quantity,
      term,
      purchaseDate: purchaseDate(f, term === 'P3Y' ? 3 : 1),
      scope,
      amortizedHourlyCost:
        Math.round(PAYG[sku * nR + vm.region] * (1 - RESERVATION_DISCOUNT[term]) * quantity * 1e6) / 1e6,
    };
    if (c.purchaseDate === undefined) delete c.purchaseDate;
    commitments.push(c);
    specs.push(specOf(f, c, level, vm));
  }
  const plans = Math.floor(r() * r() * 3);
  const spend = vms.reduce(
    (sum, vm) => sum + SP1[vm.sku * nR + vm.region] * vm.instances * DUTY[vm.schedule],
    0,
  );
  for (let k = 0; k < plans && vms.length; k++) {
    const vm = vms[Math.floor(r() * vms.length)];
    const term = r() < 0.5 ? 'P1Y' : 'P3Y';
    const { scope, level } = scopeFor(f, vm, [10, 25, 10, 55]);
    const c: CommitmentInput = {
      id: `${name}-sp${k}`,
      type: 'savingsPlan',
      term,
      hourlyCommitment: Math.max(0.01, Math.round(spend * (0.15 + 0.75 * r()) * 100) / 100),
      currency: 'USD',
      purchaseDate: purchaseDate(f, term === 'P3Y' ? 3 : 1),
      scope,
    };
    if (c.purchaseDate === undefined) delete c.purchaseDate;
    commitments.push(c);
    specs.push(specOf(f, c, level, vm));
  }
  return { commitments, specs };
}
