#!/usr/bin/env node
// The `mitra` command. Runs the TypeScript sources directly through tsx, so a fresh clone needs
// nothing but `npm ci` before it starts. `mitra benefits apply` is the exception: a command that
// runs in seconds on large files, so it starts from a prebuilt bundle of the engine alone
// (bin/benefits-apply.mjs), without tsx and without the server, database or demo code.
const [command, sub] = process.argv.slice(2);
if (command === 'benefits' && sub === 'apply') {
  const { benefitsApply } = await import('./benefits-apply.mjs');
  process.exitCode = await benefitsApply(process.argv.slice(4));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
