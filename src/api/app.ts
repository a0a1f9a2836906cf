import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { invalid, MitraError } from '../domain/errors.ts';
import { approvalOperationRoutes } from './arm/approval-operations.ts';
import { authorizationRoutes } from './arm/authorization.ts';
import { billingRoutes } from './arm/billing.ts';
import { billingBenefitsRoutes } from './arm/billing-benefits.ts';
import { capacityRoutes } from './arm/capacity.ts';
import { costManagementQueryRoutes } from './arm/cost-management.ts';
import { oauthRoutes } from './auth/oauth.ts';
import authPlugin from './auth-plugin.ts';
import { cliRoutes } from './cli/index.ts';
import { dialectOf, sendError } from './errors.ts';
import { alertSettingsRoutes } from './mitra/alert-settings.ts';
import { costManagementRoutes } from './mitra/cost-management.ts';
import { customerAccountRoutes } from './mitra/customer-accounts.ts';
import { customerCommitmentRoutes } from './mitra/customer-commitments.ts';
import { focusExportRoutes } from './mitra/focus-exports.ts';
import { guardrailRoutes } from './mitra/guardrails.ts';
import { invoiceRoutes } from './mitra/invoices.ts';
import { myCommitmentRoutes } from './mitra/my-commitments.ts';
import { myCostRoutes } from './mitra/my-costs.ts';
import { notificationRoutes } from './mitra/notifications.ts';
import { partnerCostRoutes } from './mitra/partner-costs.ts';
import { partnerPurchaseRoutes } from './mitra/partner-purchases.ts';
import { permissionRoutes } from './mitra/permissions.ts';
import { priceListRoutes } from './mitra/price-lists.ts';
import { roleAssignmentRoutes } from './mitra/role-assignments.ts';
import { mitraRoutes } from './mitra/routes.ts';
import { usageImportRoutes } from './mitra/usage-imports.ts';
import { openApiWebhooks, webhookRoutes } from './mitra/webhooks.ts';
import { whatIfRoutes } from './mitra/what-if.ts';
import { metricsPlugin, opsRoutes } from './ops.ts';
import { entitlementRoutes } from './partner-center/entitlements.ts';
import { partnerCenterRoutes } from './partner-center/routes.ts';
import { selfServePolicyRoutes } from './partner-center/self-serve-policy.ts';
import type { AppDeps } from './types.ts';

const webDist = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web', 'dist');

export interface AppOptions {
  logger?: boolean | FastifyBaseLogger | Record<string, unknown>;
  serveWeb?: boolean;
}

export async function buildApp(deps: AppDeps, options: AppOptions = {}) {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 5 * 1024 * 1024,
    // Partner-center clients use PascalCase paths (/v1/SelfServePolicy); match paths as they do.
    routerOptions: { caseSensitive: false, ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false } },
    // Malformed URLs and over-long parameters answer in the caller's dialect like every other error.
    frameworkErrors: (error, request, reply) => sendError(request, reply, error),
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.decorate('deps', deps);

  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);
  await app.register(authPlugin);
  await app.register(metricsPlugin);

  app.setErrorHandler((error, request, reply) => sendError(request, reply, error));

  // Partner-center SDKs send `Content-Type: application/json` with an empty body (checkout):
  // an empty body is no body, not an error.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    if (body === '') return done(null, undefined);
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(invalid('invalid-request', 'The body is not valid JSON; fix it and send again.'), undefined);
    }
  });

  // PostgreSQL cannot store NUL characters: refuse them in queries and bodies up front instead of
  // failing deep inside. Path ids are checked by their services (a bad id is simply not found);
  // sign-in routes answer with their own invalid-credentials error.
  app.addHook('preValidation', async (request) => {
    if (request.routeOptions.config?.policy === 'public') return;
    const query = request.raw.url?.split('?')[1] ?? '';
    if (
      /%00/.test(query) ||
      (request.body !== undefined && JSON.stringify(request.body).includes('\\u0000'))
    ) {
      throw invalid('invalid-characters', 'The request contains a NUL character; remove it and send again.');
    }
  });

  // After the auth plugin, so its onRoute hook sees (and declares public) the reference's routes.
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Mitra API',
        version: '0.1.0',
        description:
          'Partner-center dialect (/v1), Mitra API (/api) and the OAuth2 token endpoint. Errors carry a stable code and a sentence that says what to do.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'mitra_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
      // What Mitra sends to partners' webhook endpoints (B1), one entry per event type.
      webhooks: openApiWebhooks(),
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  await app.register(opsRoutes);
  await app.register(oauthRoutes);
  await app.register(mitraRoutes, { prefix: '/api' });
  await app.register(partnerCenterRoutes, { prefix: '/v1' });
  await app.register(permissionRoutes, { prefix: '/api' });
  await app.register(selfServePolicyRoutes, { prefix: '/v1' });
  await app.register(entitlementRoutes, { prefix: '/v1' });
  await app.register(roleAssignmentRoutes, { prefix: '/api' });
  await app.register(authorizationRoutes);
  await app.register(capacityRoutes);
  await app.register(billingBenefitsRoutes);
  await app.register(approvalOperationRoutes);
  await app.register(billingRoutes);
  await app.register(myCommitmentRoutes, { prefix: '/api' });
  await app.register(customerCommitmentRoutes, { prefix: '/api' });
  await app.register(invoiceRoutes, { prefix: '/api' });
  await app.register(customerAccountRoutes, { prefix: '/api' });
  await app.register(partnerPurchaseRoutes, { prefix: '/api' });
  await app.register(priceListRoutes, { prefix: '/api' });
  await app.register(costManagementRoutes, { prefix: '/api' });
  await app.register(guardrailRoutes, { prefix: '/api' });
  await app.register(focusExportRoutes, { prefix: '/api' });
  await app.register(usageImportRoutes, { prefix: '/api' });
  await app.register(partnerCostRoutes, { prefix: '/api' });
  await app.register(myCostRoutes, { prefix: '/api' });
  await app.register(notificationRoutes, { prefix: '/api' });
  await app.register(alertSettingsRoutes, { prefix: '/api' });
  await app.register(webhookRoutes, { prefix: '/api' });
  await app.register(whatIfRoutes, { prefix: '/api' });
  await app.register(costManagementQueryRoutes);
  await app.register(cliRoutes, { prefix: '/api/cli' });

  const hasWeb = (options.serveWeb ?? true) && existsSync(join(webDist, 'index.html'));
  if (hasWeb) {
    // Vite puts every hashed asset under /assets/; index.html is answered for every portal path.
    await app.register(fastifyStatic, {
      root: join(webDist, 'assets'),
      prefix: '/assets/',
      index: false,
      maxAge: '1y',
      immutable: true,
    });
  }
  app.get('/openapi.json', { config: { policy: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  app.setNotFoundHandler((request, reply) => {
    const api = dialectOf(request.url) !== 'mitra' || request.url.startsWith('/api/');
    if (!api && request.method === 'GET' && hasWeb)
      return reply.header('Cache-Control', 'no-cache').sendFile('index.html', webDist);
    return sendError(
      request,
      reply,
      new MitraError(
        'not-found',
        'route-not-found',
        `There is no ${request.method} ${request.url.split('?')[0]}; see the API reference at /docs.`,
        404,
      ),
    );
  });
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
