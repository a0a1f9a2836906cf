// Worker threads do not inherit the main thread's TypeScript loader: register tsx, then load the
// worker itself. The bundled command (bin/benefits-apply.mjs) starts its bundled worker instead.
import { register } from 'tsx/esm/api';

register();
await import('./partition-worker.ts');
