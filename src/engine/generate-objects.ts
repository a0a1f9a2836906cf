import { customerName, type GeneratedCustomer, type GeneratorOptions, generateCustomer } from './generate.ts';
import { GROUPS, REGIONS, RESOURCE_GROUPS, SKU_NAMES, VM_SKUS } from './generate-catalog.ts';
import { hourIso } from './time.ts';
import type { BenefitInput, UsageRowInput } from './types.ts';

/**
 * Generated customers as the contract's JSON objects, for tests, examples and CSV files. Rows
 * come out in the engine's order; row ids sort the same way within an hour.
 */
export function customerRows(g: GeneratedCustomer, withCustomer = false): UsageRowInput[] {
  const u = g.batch.usage;
  const rows: UsageRowInput[] = [];
  let seq = 0;
  for (let i = 0; i < u.length; i++) {
    if (i > 0 && u.hour[i] !== u.hour[i - 1]) seq = 0;
    const t = u.hour[i] - g.fromHour;
    const sku = u.sku[i];
    const row: UsageRowInput = {
      rowId: `${g.name}-${String(t).padStart(5, '0')}-${String(seq++).padStart(4, '0')}`,
      hour: hourIso(u.hour[i]),
      ...(withCustomer ? { customer: g.name } : {}),
      subscription: g.subs[u.sub[i]].name,
      resourceGroup: RESOURCE_GROUPS[u.rg[i]],
      region: REGIONS[u.region[i]],
      ...(u.rtype[i] === 0 ? { reservedResourceType: 'VirtualMachines' } : {}),
      sku: SKU_NAMES[sku],
      quantity: u.quantity[i],
      paygUnitPrice: u.payg[i],
    };
    // Only SKUs missing from the public ratio table carry their own group and ratio.
    if (u.rtype[i] === 0 && !VM_SKUS[sku].inTable) {
      row.isfGroup = GROUPS[u.group[i]];
      row.skuRatio = u.ratio[i];
    }
    if (!Number.isNaN(u.sp1[i]) || !Number.isNaN(u.sp3[i])) {
      row.spUnitPrice = {};
      if (!Number.isNaN(u.sp1[i])) row.spUnitPrice.P1Y = u.sp1[i];
      if (!Number.isNaN(u.sp3[i])) row.spUnitPrice.P3Y = u.sp3[i];
    }
    if (u.eligible[i] === 0) row.benefitEligible = false;
    rows.push(row);
  }
  return rows;
}

/** `customers` generated customers as one input; with more than one, rows and commitments name them. */
export function generateInput(
  options: GeneratorOptions & { customers: number; first?: number },
): BenefitInput {
  const input: Required<BenefitInput> = {
    context: { managementGroups: {} },
    hours: [],
    usage: [],
    commitments: [],
  };
  const many = options.customers > 1;
  for (let c = 0; c < options.customers; c++) {
    const g = generateCustomer(options, (options.first ?? 0) + c);
    input.usage.push(...customerRows(g, many));
    for (const commitment of g.commitments) {
      input.commitments.push(many ? { ...commitment, customer: customerName(g.index) } : commitment);
    }
    Object.assign(input.context.managementGroups!, g.managementGroups);
  }
  const { hours, ...rest } = input;
  return rest;
}
