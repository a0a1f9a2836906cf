import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseRatioTable, type RatioTable } from './ratios.ts';

const here = dirname(fileURLToPath(import.meta.url));

/** The copy shipped with the engine, so an installed build works without the shared folder. */
export const bundledRatiosPath = join(here, 'isf-ratios.csv');

/** `../shared/data/isf-ratios.csv` next to the repository: the maintained source of the table. */
export const sharedRatiosPath = resolve(here, '..', '..', '..', 'shared', 'data', 'isf-ratios.csv');

/** `MITRA_ISF_RATIOS` if set (and then it must exist), else the shared table, else the bundled copy. */
export function ratiosPath(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.MITRA_ISF_RATIOS;
  if (configured) {
    if (!existsSync(configured)) throw new Error(`MITRA_ISF_RATIOS: no such file ${configured}`);
    return configured;
  }
  return existsSync(sharedRatiosPath) ? sharedRatiosPath : bundledRatiosPath;
}

export function loadRatioTable(path = ratiosPath()): RatioTable {
  return parseRatioTable(readFileSync(path, 'utf8'), path);
}
