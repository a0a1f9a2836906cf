import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = dirname(fileURLToPath(import.meta.url));
const apiServer = process.env.MITRA_DEV_API ?? 'http://localhost:4280';

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  build: {
    outDir: resolve(webRoot, 'dist'),
    emptyOutDir: true,
    // Fluent UI is one large, cohesive chunk; splitting it buys nothing for an intranet-style portal.
    chunkSizeWarningLimit: 2000,
  },
  server: {
    proxy: {
      '/api': apiServer,
      '/v1': apiServer,
      '/oauth2': apiServer,
    },
  },
});
