import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { vmSizes } from '../../src/demo/catalog.ts';
import { bundledRatiosPath, loadRatioTable, ratiosPath } from '../../src/engine/ratio-file.ts';
import { parseRatioTable } from '../../src/engine/ratios.ts';

describe('the instance size flexibility ratio table', () => {
  it('has the documented shape: 164 SKUs, decimal ratios, keyed case-insensitively', () => {
    const table = loadRatioTable();
    expect(table.size).toBe(164);
    expect(table.get('standard_e64s_v3')).toEqual({ group: 'ESv3 Series', ratio: 28.8 });
    expect(table.get('standard_ds4_v2')).toEqual({ group: 'DSv2 Series', ratio: 8 });
  });

  it("agrees with the demo catalog's ratios, which the generator uses", () => {
    const table = loadRatioTable();
    for (const s of vmSizes) {
      expect(table.get(s.armSkuName.toLowerCase()), s.armSkuName).toEqual({
        group: s.isfGroup,
        ratio: Number(s.isfRatio),
      });
    }
  });

  it('is found through MITRA_ISF_RATIOS, else the bundled copy', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mitra-ratios-'));
    try {
      const custom = join(dir, 'ratios.csv');
      writeFileSync(custom, 'InstanceSizeFlexibilityGroup,ArmSkuName,Ratio\nX Series,Standard_X1,0.25\n');
      expect(ratiosPath({ MITRA_ISF_RATIOS: custom })).toBe(custom);
      expect(loadRatioTable(ratiosPath({ MITRA_ISF_RATIOS: custom })).get('standard_x1')?.ratio).toBe(0.25);
      expect(() => ratiosPath({ MITRA_ISF_RATIOS: join(dir, 'missing.csv') })).toThrow(/MITRA_ISF_RATIOS/);
      expect(ratiosPath({})).toBe(bundledRatiosPath);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a malformed table, naming the line', () => {
    expect(() => parseRatioTable('Group,Sku,Ratio\n')).toThrow(/header/);
    expect(() => parseRatioTable('InstanceSizeFlexibilityGroup,ArmSkuName,Ratio\nA,B,zero\n')).toThrow(
      /line 2/,
    );
    expect(() => parseRatioTable('InstanceSizeFlexibilityGroup,ArmSkuName,Ratio\nA,B,1\nA,b,2\n')).toThrow(
      /twice/,
    );
  });
});
