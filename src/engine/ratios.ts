/**
 * The instance size flexibility table (`InstanceSizeFlexibilityGroup,ArmSkuName,Ratio`), keyed by
 * lower-cased SKU because usage exports spell SKUs in any case. Parsing is pure; reading the file
 * lives in `ratio-file.ts`.
 */
export interface RatioEntry {
  group: string;
  ratio: number;
}

export type RatioTable = ReadonlyMap<string, RatioEntry>;

export function parseRatioTable(text: string, source = 'isf-ratios.csv'): Map<string, RatioEntry> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = lines[0].split(',').map((h) => h.trim().toLowerCase());
  const gi = header.indexOf('instancesizeflexibilitygroup');
  const si = header.indexOf('armskuname');
  const ri = header.indexOf('ratio');
  if (gi < 0 || si < 0 || ri < 0) {
    throw new Error(`${source}: header must be InstanceSizeFlexibilityGroup,ArmSkuName,Ratio`);
  }
  const table = new Map<string, RatioEntry>();
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const cells = lines[i].split(',').map((c) => c.trim());
    const ratio = Number(cells[ri]);
    if (!cells[si] || !cells[gi] || !(ratio > 0) || !Number.isFinite(ratio)) {
      throw new Error(`${source} line ${i + 1}: needs a group, a SKU and a positive ratio`);
    }
    const key = cells[si].toLowerCase();
    if (table.has(key)) throw new Error(`${source} line ${i + 1}: ${cells[si]} appears twice`);
    table.set(key, { group: cells[gi], ratio });
  }
  return table;
}
