#!/usr/bin/env node
// The `mitra` command. Runs the TypeScript sources directly through tsx, so a fresh clone needs
// nothing but `npm ci` before it starts.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
