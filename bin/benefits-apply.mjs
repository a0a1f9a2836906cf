// `mitra benefits apply` starts from one JavaScript file bundling src/engine/cli.ts and what it
// imports (node built-ins only): about 30 ms to start instead of about 0.4 s for tsx to load and
// compile the TypeScript. The bundle is built with esbuild (tsx's own compiler) on first use and
// kept inside the checkout, in node_modules/.cache/mitra/ (the repository reads nothing outside
// its own tree), next to the size and modification time of every source file it was built from;
// any change to them rebuilds it. Without esbuild, or if the
// cache folder cannot be written, the command runs through tsx as before.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const FORMAT = 1;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'src', 'engine', 'cli.ts');

function cacheDir() {
  return join(root, 'node_modules', '.cache', 'mitra', 'benefits-apply');
}

/** The bundle's path when its manifest still matches every source file, else null. */
function fresh(dir) {
  try {
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    if (manifest.format !== FORMAT || manifest.root !== root) return null;
    for (const [path, size, mtimeMs] of manifest.inputs) {
      const s = statSync(path);
      if (s.size !== size || s.mtimeMs !== mtimeMs) return null;
    }
    return join(dir, 'bundle.mjs');
  } catch {
    return null;
  }
}

async function build(dir) {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [entry],
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'silent',
    // ratio-file.ts finds the ratio table next to itself: keep its own address.
    define: { 'import.meta.url': JSON.stringify(pathToFileURL(join(root, 'src', 'engine', 'ratio-file.ts')).href) },
  });
  const inputs = Object.keys(result.metafile.inputs).map((p) => {
    const path = resolve(root, p);
    const s = statSync(path);
    return [path, s.size, s.mtimeMs];
  });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const bundle = join(dir, 'bundle.mjs');
  const tmp = `.${process.pid}.tmp`;
  writeFileSync(bundle + tmp, result.outputFiles[0].contents);
  renameSync(bundle + tmp, bundle);
  writeFileSync(join(dir, 'manifest.json') + tmp, JSON.stringify({ format: FORMAT, root, inputs }));
  renameSync(join(dir, 'manifest.json') + tmp, join(dir, 'manifest.json'));
  return bundle;
}

async function load() {
  if (process.env.MITRA_NO_BUNDLE !== '1') {
    const dir = cacheDir();
    try {
      return await import(pathToFileURL(fresh(dir) ?? (await build(dir))).href);
    } catch {
      // No esbuild or no writable cache: the sources through tsx, as every other command runs.
    }
  }
  const { register } = await import('tsx/esm/api');
  register();
  return import('../src/engine/cli.ts');
}

export async function benefitsApply(args) {
  const { runBenefitsApplyCli } = await load();
  return runBenefitsApplyCli(args, process);
}
