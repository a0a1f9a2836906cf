// `mitra benefits apply` starts from one JavaScript file bundling src/engine/cli.ts and what it
// imports (node built-ins only), and a second one for its worker threads (partition-worker.ts): about 30 ms to start instead of about 0.4 s for tsx to load and
// compile the TypeScript. The bundle is built with esbuild (tsx's own compiler) on first use and
// kept inside the checkout, in node_modules/.cache/mitra/ (the repository reads nothing outside
// its own tree), next to the size and modification time of every source file it was built from;
// any change to them rebuilds it. Without esbuild, or if the
// cache folder cannot be written, the command runs through tsx as before.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const FORMAT = 2;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const engine = join(root, 'src', 'engine');
const entries = { bundle: join(engine, 'cli.ts'), worker: join(engine, 'partition-worker.ts') };

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
    for (const name of Object.keys(entries)) statSync(join(dir, `${name}.mjs`));
    return dir;
  } catch {
    return null;
  }
}

async function build(dir) {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: entries,
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outdir: dir,
    outExtension: { '.js': '.mjs' },
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
  const tmp = `.${process.pid}.tmp`;
  for (const out of result.outputFiles) {
    writeFileSync(out.path + tmp, out.contents);
    renameSync(out.path + tmp, out.path);
  }
  writeFileSync(join(dir, 'manifest.json') + tmp, JSON.stringify({ format: FORMAT, root, inputs }));
  renameSync(join(dir, 'manifest.json') + tmp, join(dir, 'manifest.json'));
  return dir;
}

async function load() {
  if (process.env.MITRA_NO_BUNDLE !== '1') {
    const dir = cacheDir();
    try {
      const built = fresh(dir) ?? (await build(dir));
      const cli = await import(pathToFileURL(join(built, 'bundle.mjs')).href);
      return { cli, workerScript: pathToFileURL(join(built, 'worker.mjs')) };
    } catch {
      // No esbuild or no writable cache: the sources through tsx, as every other command runs.
    }
  }
  const { register } = await import('tsx/esm/api');
  register();
  return { cli: await import('../src/engine/cli.ts'), workerScript: undefined };
}

export async function benefitsApply(args) {
  const { cli, workerScript } = await load();
  return cli.runBenefitsApplyCli(args, process, workerScript);
}
