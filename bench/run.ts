/**
 * Benchmarks. `npm run bench -- [name…]` runs the named ones (default: all) and prints one table
 * each, with a baseline measured in the same run so numbers from different machines compare.
 */
import { api } from './api.ts';
import { permissions } from './permissions.ts';

const benches: Record<string, () => Promise<void>> = {
  api,
  permissions,
  engine: async () => (await import('./engine.ts')).engine(),
  'usage-path': async () => (await import('./usage-path.ts')).usagePath(),
  'engine-files': async () => (await import('./engine-files.ts')).engineFiles(),
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : Object.keys(benches);
for (const name of names) {
  const bench = benches[name];
  if (!bench) {
    console.error(`unknown benchmark "${name}"; known: ${Object.keys(benches).join(', ')}`);
    process.exit(2);
  }
  await bench();
}
