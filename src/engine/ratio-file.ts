import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseRatioTable, type RatioTable } from './ratios.ts';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The table shipped with the engine (a copy of the public instance size flexibility table): the
 * repository reads nothing outside its own tree.
 */
export const bundledRatiosPath = join(here, 'isf-ratios.csv');

/** `MITRA_ISF_RATIOS` if set (and then it must exist), else the bundled table. */
export function ratiosPath(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.MITRA_ISF_RATIOS;
  if (configured) {
    if (!existsSync(configured)) throw new Error(`MITRA_ISF_RATIOS: no such file ${configured}`);
    return configured;
  }
  return bundledRatiosPath;
}

export function loadRatioTable(path = ratiosPath()): RatioTable {
  return parseRatioTable(readFileSync(path, 'utf8'), path);
}
