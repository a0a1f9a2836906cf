import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { migrationNames } from '../../store/migrate.ts';
import { cliSchema, operatorRoute } from './route-options.ts';
import { ServerStatus } from './schemas.ts';

export const statusRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // No database access: the command asks this to know the server is alive, even while a long
  // import holds the embedded database's one connection.
  app.get(
    '/status',
    {
      ...operatorRoute,
      schema: { ...cliSchema, summary: 'The server the command talks to', response: { 200: ServerStatus } },
    },
    async (request) => {
      request.operatorCall();
      return {
        pid: process.pid,
        migrations: migrationNames(),
        benefitWorker: app.deps.benefitWorker ?? null,
      };
    },
  );
};
