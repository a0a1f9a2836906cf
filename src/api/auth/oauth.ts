import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Actor } from '../../domain/actor.ts';
import { MitraError } from '../../domain/errors.ts';
import { authenticateApplication, authenticateUser } from '../../services/identity.ts';
import { issueToken } from '../../services/tokens.ts';

const TokenRequest = Type.Object({
  grant_type: Type.String({
    description: '`password` for a user, `client_credentials` for a registered application',
  }),
  username: Type.Optional(Type.String()),
  password: Type.Optional(Type.String()),
  client_id: Type.Optional(Type.String()),
  client_secret: Type.Optional(Type.String()),
  scope: Type.Optional(Type.String()),
  resource: Type.Optional(Type.String()),
});

const TokenResponse = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer(),
});

const missing = (field: string) =>
  new MitraError(
    'invalid',
    'invalid-request',
    `The token request needs ${field}; send it form-encoded.`,
    400,
  );

/** OAuth2 token endpoint (RFC 6749): resource-owner password and client-credentials grants. */
export async function oauthRoutes(app: FastifyInstance) {
  app.post(
    '/oauth2/token',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Issue an access token',
        consumes: ['application/x-www-form-urlencoded'],
        body: TokenRequest,
        response: { 200: TokenResponse },
      },
    },
    async (request, reply) => {
      const body = request.body as typeof TokenRequest.static;
      reply.header('Cache-Control', 'no-store');
      let actor: Actor;
      if (body.grant_type === 'password') {
        if (!body.username) throw missing('username');
        if (!body.password) throw missing('password');
        actor = await authenticateUser(app.deps.db, body.username, body.password);
        // A user token obtained through a registered app carries that app: App+User.
        if (body.client_id && actor.kind === 'partner_user') {
          const app_ = await authenticateApplication(app.deps.db, body.client_id, body.client_secret ?? '');
          if (app_.partnerId !== actor.partnerId)
            throw new MitraError(
              'unauthenticated',
              'invalid-client',
              'The client id or client secret is not correct.',
              401,
            );
          actor = { ...actor, applicationId: body.client_id };
        }
      } else if (body.grant_type === 'client_credentials') {
        if (!body.client_id) throw missing('client_id');
        if (!body.client_secret) throw missing('client_secret');
        actor = await authenticateApplication(app.deps.db, body.client_id, body.client_secret);
      } else {
        throw new MitraError(
          'invalid',
          'unsupported-grant-type',
          `grant_type "${body.grant_type}" is not supported; use password or client_credentials.`,
          400,
        );
      }
      const { token, expiresIn } = await issueToken(app.deps.tokens, actor);
      return { access_token: token, token_type: 'Bearer' as const, expires_in: expiresIn };
    },
  );
}
