import { describe, expect, it } from 'vitest';
import { applyCustomer } from '../../src/engine/core.ts';
import { generateCustomer } from '../../src/engine/generate.ts';
import { customerRows, generateInput } from '../../src/engine/generate-objects.ts';
import { applyBenefits } from '../../src/engine/index.ts';
import { tidy } from '../../src/engine/output.ts';
import { ratios } from './helpers.ts';

describe('the synthetic usage generator', () => {
  it('is deterministic for a seed, and the seed matters', () => {
    const a = generateCustomer({ seed: 5, hours: 48 }, 3);
    const b = generateCustomer({ seed: 5, hours: 48 }, 3);
    const c = generateCustomer({ seed: 6, hours: 48 }, 3);
    expect(a.batch.usage.quantity).toEqual(b.batch.usage.quantity);
    expect(a.commitments).toEqual(b.commitments);
    expect(customerRows(a)).toEqual(customerRows(b));
    expect(JSON.stringify(customerRows(c))).not.toBe(JSON.stringify(customerRows(a)));
  });

  it('produces realistic usage: groups, regions, partial hours, licences, storage, commitments of every scope', () => {
    const input = generateInput({ seed: 1, customers: 40, hours: 48 });
    const vms = input.usage.filter((r) => r.reservedResourceType === 'VirtualMachines');
    expect(new Set(vms.map((r) => r.sku)).size).toBeGreaterThan(15);
    expect(new Set(input.usage.map((r) => r.region)).size).toBe(6);
    expect(vms.some((r) => !Number.isInteger(r.quantity))).toBe(true);
    expect(vms.some((r) => r.skuRatio === 0.25)).toBe(true);
    expect(input.usage.some((r) => r.sku?.startsWith('Windows Server') && r.benefitEligible === false)).toBe(
      true,
    );
    expect(input.usage.some((r) => r.sku?.startsWith('App Service') && r.spUnitPrice)).toBe(true);
    const commitments = input.commitments!;
    expect(new Set(commitments.map((c) => c.scope.type))).toEqual(
      new Set(['ResourceGroup', 'Subscription', 'ManagementGroup', 'Shared']),
    );
    expect(new Set(commitments.map((c) => c.type))).toEqual(new Set(['reservation', 'savingsPlan']));
    expect(commitments.some((c) => c.type === 'reservation' && c.instanceFlexibility === 'Off')).toBe(true);
    const out = applyBenefits(input, ratios);
    const covered = out.rows.filter((r) => r.coverage.length).length;
    expect(covered / vms.length).toBeGreaterThan(0.2);
  });

  it('emits rows in the order the engine wants: by hour, then subscription, resource group and row id', () => {
    const g = generateCustomer({ seed: 2, hours: 24 }, 9);
    const rows = customerRows(g);
    const key = (r: (typeof rows)[number]) =>
      [r.hour, r.subscription, r.resourceGroup, r.rowId].join('\u0000');
    expect(rows.map(key)).toEqual([...rows.map(key)].sort());
  });

  it('the columnar batch and its JSON rows give the same results', () => {
    for (let c = 0; c < 6; c++) {
      const g = generateCustomer({ seed: 3, hours: 72 }, c);
      const direct = applyCustomer(g.batch);
      const viaJson = applyBenefits(
        {
          context: { managementGroups: g.managementGroups },
          usage: customerRows(g),
          commitments: g.commitments,
        },
        ratios,
      );
      expect(viaJson.rows.map((r) => r.paygQuantity)).toEqual(Array.from(direct.paygQuantity, tidy));
      expect(viaJson.rows.map((r) => r.amortizedCost)).toEqual(Array.from(direct.amortizedCost, tidy));
      expect(viaJson.commitments.map((x) => x.consumed)).toEqual(Array.from(direct.consumed, tidy));
    }
  });
});
