/**
 * Writes generated usage as the streaming mode's files, to try `mitra benefits apply --usage` at
 * scale:
 *
 *   npx tsx bench/engine-generate.ts --rows 1e7 --dir /tmp/usage [--seed 1] [--hours 720] [--progress]
 *
 * gives /tmp/usage/usage.csv (grouped by customer) and /tmp/usage/commitments.json. Customers are
 * generated and written one at a time; the progress bar shows on a terminal or with --progress.
 */
import { once } from 'node:events';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { usageCsvLines } from '../src/engine/csv.ts';
import { generateCustomer } from '../src/engine/generate.ts';
import { customerRows } from '../src/engine/generate-objects.ts';
import { Progress } from '../src/engine/progress.ts';
import type { CommitmentInput } from '../src/engine/types.ts';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1e6' },
    dir: { type: 'string', default: '.' },
    seed: { type: 'string', default: '1' },
    hours: { type: 'string', default: '720' },
    progress: { type: 'boolean', default: false },
  },
});
const target = Number(values.rows);
const options = { seed: Number(values.seed), hours: Number(values.hours) };
mkdirSync(values.dir, { recursive: true });
const out = createWriteStream(join(values.dir, 'usage.csv'));
const progress = new Progress({
  stream: process.stderr,
  label: 'generating',
  total: target,
  unit: ' rows',
  force: values.progress,
});
const commitments: CommitmentInput[] = [];
const managementGroups: Record<string, string[]> = {};
let rows = 0;
for (let c = 0; rows < target; c++) {
  const g = generateCustomer(options, c);
  const lines = usageCsvLines(customerRows(g, true));
  if (!out.write(`${(c === 0 ? lines : lines.slice(1)).join('\n')}\n`)) await once(out, 'drain');
  for (const x of g.commitments) commitments.push({ ...x, customer: g.name });
  Object.assign(managementGroups, g.managementGroups);
  rows += lines.length - 1;
  progress.add(lines.length - 1);
}
out.end();
await once(out, 'finish');
progress.finish();
writeFileSync(
  join(values.dir, 'commitments.json'),
  JSON.stringify({ context: { managementGroups }, commitments }),
);
console.log(`${rows} rows, ${commitments.length} commitments in ${values.dir}`);
