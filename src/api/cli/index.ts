import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { alertRoutes } from './alerts.ts';
import { benefitRunRoutes } from './benefit-runs.ts';
import { exportRoutes } from './exports.ts';
import { invoicingRoutes } from './invoicing.ts';
import { priceRoutes } from './prices.ts';
import { statusRoutes } from './status.ts';
import { usageRoutes } from './usage.ts';

/**
 * The `mitra` command's routes (/api/cli/…), used when a server holds the embedded database.
 * Every one declares the `localOperator` policy: only the operator credential from the data
 * folder's lock file, from this machine, passes (src/api/operator-auth.ts). They stay out of the
 * public API reference; docs/cli.md describes them and how to add one.
 */
export const cliRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(statusRoutes);
  await app.register(usageRoutes);
  await app.register(benefitRunRoutes);
  await app.register(invoicingRoutes);
  await app.register(priceRoutes);
  await app.register(exportRoutes);
  await app.register(alertRoutes);
};
