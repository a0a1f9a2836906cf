import { RESERVATION, SAVINGS_PLAN, SCOPE_LEVELS } from './columnar.ts';
import { BenefitInputError } from './errors.ts';
import { fold, type Locate, numberField, stringField } from './fields.ts';
import type { RatioTable } from './ratios.ts';
import { hourOf, parseInstant, termEndHour, termYears } from './time.ts';

/** A validated commitment; strings folded, defaults applied, group and ratio resolved. */
export interface ParsedCommitment {
  /** Position in the input's commitments list: output order. */
  index: number;
  id: string;
  customer: string;
  kind: typeof RESERVATION | typeof SAVINGS_PLAN;
  level: number;
  scopeSub: string | null;
  scopeRg: string | null;
  /** ManagementGroup scope: the member subscriptions (folded). */
  mgSubs: string[] | null;
  startHour: number;
  endHour: number;
  purchaseMs: number;
  rtype: string;
  region: string;
  sku: string;
  group: string | null;
  flexible: boolean;
  /** Normalized units per reserved instance: the SKU's ratio with flexibility, else 1. */
  ratio: number;
  quantity: number;
  amortizedHourlyCost: number;
  years: number;
  hourlyCommitment: number;
}

export type ManagementGroups = ReadonlyMap<string, readonly string[]>;

export function parseContext(context: unknown): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  if (context === undefined || context === null) return groups;
  if (typeof context !== 'object' || Array.isArray(context)) {
    throw new BenefitInputError('context', '', 'must be an object');
  }
  const mgs = (context as { managementGroups?: unknown }).managementGroups;
  if (mgs === undefined || mgs === null) return groups;
  if (typeof mgs !== 'object' || Array.isArray(mgs)) {
    throw new BenefitInputError('context', 'managementGroups', 'must map group ids to subscription lists');
  }
  for (const [mg, subs] of Object.entries(mgs)) {
    if (!Array.isArray(subs) || subs.some((s) => typeof s !== 'string')) {
      throw new BenefitInputError('context', `managementGroups.${mg}`, 'must be a list of subscription ids');
    }
    groups.set(fold(mg), subs.map(fold));
  }
  return groups;
}

function scopeLevel(type: unknown, locate: Locate): number {
  const level =
    typeof type === 'string' ? SCOPE_LEVELS.findIndex((s) => s.toLowerCase() === type.toLowerCase()) : -1;
  if (level < 0) {
    throw new BenefitInputError(
      locate(),
      'scope.type',
      `unknown scope type ${JSON.stringify(type)}; one of ${SCOPE_LEVELS.join(', ')}`,
    );
  }
  return level;
}

function parseOne(raw: unknown, index: number, ratios: RatioTable, mgs: ManagementGroups): ParsedCommitment {
  let locate: Locate = () => `commitments[${index}]`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new BenefitInputError(locate(), '', 'must be an object');
  }
  const c = raw as Record<string, unknown>;
  const id = stringField(c.id, locate, 'id', true)!;
  locate = () => `commitments[${index}] (id ${JSON.stringify(id)})`;
  const kind = c.type === 'reservation' ? RESERVATION : c.type === 'savingsPlan' ? SAVINGS_PLAN : -1;
  if (kind < 0) {
    throw new BenefitInputError(
      locate(),
      'type',
      `unknown commitment type ${JSON.stringify(c.type)}; "reservation" or "savingsPlan"`,
    );
  }
  const scope = c.scope;
  if (typeof scope !== 'object' || scope === null || Array.isArray(scope)) {
    throw new BenefitInputError(locate(), 'scope', 'is required: an object with a type');
  }
  const sc = scope as Record<string, unknown>;
  const level = scopeLevel(sc.type, locate);
  let scopeSub: string | null = null;
  let scopeRg: string | null = null;
  let mgSubs: string[] | null = null;
  if (level <= 1) scopeSub = fold(stringField(sc.subscription, locate, 'scope.subscription', true)!);
  if (level === 0) scopeRg = fold(stringField(sc.resourceGroup, locate, 'scope.resourceGroup', true)!);
  if (level === 2) {
    const field = sc.managementGroup === undefined ? 'managementGroupId' : 'managementGroup';
    const mg = stringField(sc[field], locate, `scope.${field}`, true)!;
    const members = mgs.get(fold(mg));
    if (!members) {
      throw new BenefitInputError(
        locate(),
        `scope.${field}`,
        `unknown management group ${JSON.stringify(mg)}: not in context.managementGroups`,
      );
    }
    mgSubs = [...members];
  }

  const years = termYears(c.term);
  if (Number.isNaN(years) || (kind === SAVINGS_PLAN && years !== 1 && years !== 3)) {
    const allowed = kind === SAVINGS_PLAN ? 'P1Y or P3Y' : 'a whole number of years such as P1Y or P3Y';
    throw new BenefitInputError(locate(), 'term', `must be ${allowed}: ${JSON.stringify(c.term)}`);
  }
  const purchase = stringField(c.purchaseDate, locate, 'purchaseDate', false);
  let purchaseMs = Number.NEGATIVE_INFINITY;
  let startHour = Number.NEGATIVE_INFINITY;
  let endHour = Number.POSITIVE_INFINITY;
  if (purchase !== null) {
    purchaseMs = parseInstant(purchase);
    if (Number.isNaN(purchaseMs)) {
      throw new BenefitInputError(locate(), 'purchaseDate', `not a date: ${JSON.stringify(purchase)}`);
    }
    startHour = hourOf(purchaseMs);
    endHour = termEndHour(startHour, years);
  }
  const parsed: ParsedCommitment = {
    index,
    id,
    customer: stringField(c.customer, locate, 'customer', false) ?? '',
    kind: kind as ParsedCommitment['kind'],
    level,
    scopeSub,
    scopeRg,
    mgSubs,
    startHour,
    endHour,
    purchaseMs,
    rtype: '',
    region: '',
    sku: '',
    group: null,
    flexible: false,
    ratio: 1,
    quantity: 0,
    amortizedHourlyCost: 0,
    years,
    hourlyCommitment: 0,
  };
  if (kind === SAVINGS_PLAN) {
    parsed.hourlyCommitment = numberField(c.hourlyCommitment, locate, 'hourlyCommitment', 'positive', true);
    stringField(c.currency, locate, 'currency', false);
    return parsed;
  }

  parsed.rtype = fold(stringField(c.reservedResourceType, locate, 'reservedResourceType', true)!);
  parsed.sku = fold(stringField(c.sku, locate, 'sku', true)!);
  parsed.region = fold(stringField(c.region, locate, 'region', true)!);
  parsed.quantity = numberField(c.quantity, locate, 'quantity', 'positive', true);
  parsed.amortizedHourlyCost = numberField(
    c.amortizedHourlyCost,
    locate,
    'amortizedHourlyCost',
    'nonNegative',
    true,
  );
  const isf = stringField(c.instanceFlexibility, locate, 'instanceFlexibility', false);
  if (isf !== null && isf.toLowerCase() !== 'on' && isf.toLowerCase() !== 'off') {
    throw new BenefitInputError(
      locate(),
      'instanceFlexibility',
      `must be "On" or "Off": ${JSON.stringify(isf)}`,
    );
  }
  parsed.flexible = isf === null ? parsed.rtype === 'virtualmachines' : isf.toLowerCase() === 'on';
  const entry = ratios.get(parsed.sku);
  const group = stringField(c.isfGroup, locate, 'isfGroup', false);
  parsed.group = group !== null ? fold(group) : entry ? fold(entry.group) : null;
  const ratio = numberField(c.skuRatio, locate, 'skuRatio', 'positive', false);
  if (parsed.flexible) {
    if (parsed.group === null) {
      throw new BenefitInputError(
        locate(),
        'isfGroup',
        `instance size flexibility is On but ${c.sku} is not in the ratio table and no isfGroup is given`,
      );
    }
    parsed.ratio = Number.isNaN(ratio) ? (entry?.ratio ?? Number.NaN) : ratio;
    if (Number.isNaN(parsed.ratio)) {
      throw new BenefitInputError(
        locate(),
        'skuRatio',
        `instance size flexibility is On but ${c.sku} is not in the ratio table and no skuRatio is given`,
      );
    }
  }
  return parsed;
}

export function parseCommitments(
  list: unknown,
  ratios: RatioTable,
  mgs: ManagementGroups,
): ParsedCommitment[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new BenefitInputError('commitments', '', 'must be an array');
  const seen = new Set<string>();
  return list.map((raw, i) => {
    const c = parseOne(raw, i, ratios, mgs);
    if (seen.has(c.id)) {
      throw new BenefitInputError(`commitments[${i}] (id ${JSON.stringify(c.id)})`, 'id', 'appears twice');
    }
    seen.add(c.id);
    return c;
  });
}
