import { randomBytes } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { Actor } from '../domain/actor.ts';
import { MitraError } from '../domain/errors.ts';
import type { Db } from '../store/db.ts';
import type { PartnerRole } from '../store/schema.ts';

const issuer = 'mitra';
const audience = 'mitra-api';

export interface TokenKeys {
  secret: Uint8Array;
  ttlSeconds: number;
}

/**
 * The HMAC key lives in the database, so every API node behind a load balancer signs and checks
 * with the same key and tokens survive a restart. MITRA_TOKEN_SECRET overrides it.
 */
export async function loadTokenKeys(
  db: Db,
  options: { secret?: string; ttlSeconds?: number },
): Promise<TokenKeys> {
  const ttlSeconds = options.ttlSeconds ?? 3600;
  if (options.secret) return { secret: new TextEncoder().encode(options.secret), ttlSeconds };
  await db
    .insertInto('signing_keys')
    .values({ id: 'token-hmac', secret: randomBytes(48).toString('base64url') })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const row = await db
    .selectFrom('signing_keys')
    .select('secret')
    .where('id', '=', 'token-hmac')
    .executeTakeFirstOrThrow();
  return { secret: new TextEncoder().encode(row.secret), ttlSeconds };
}

interface Claims {
  kind: 'partner_user' | 'customer_user' | 'application';
  tid: string;
  pid: string;
  roles: string[];
  appid?: string;
  upn?: string;
}

export async function issueToken(
  keys: TokenKeys,
  actor: Actor,
): Promise<{ token: string; expiresIn: number }> {
  let subject: string;
  let claims: Claims;
  switch (actor.kind) {
    case 'partner_user':
      subject = actor.userId;
      claims = {
        kind: actor.kind,
        tid: actor.partnerId,
        pid: actor.partnerId,
        roles: actor.roles,
        upn: actor.email,
      };
      if (actor.applicationId) claims.appid = actor.applicationId;
      break;
    case 'customer_user':
      subject = actor.userId;
      claims = { kind: actor.kind, tid: actor.customerId, pid: actor.partnerId, roles: [], upn: actor.email };
      break;
    case 'application':
      subject = actor.applicationId;
      claims = {
        kind: actor.kind,
        tid: actor.partnerId,
        pid: actor.partnerId,
        roles: actor.roles,
        appid: actor.applicationId,
      };
      break;
    default:
      throw new Error('system actors do not get tokens');
  }
  const token = await new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(subject)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + keys.ttlSeconds)
    .sign(keys.secret);
  return { token, expiresIn: keys.ttlSeconds };
}

export async function actorFromToken(keys: TokenKeys, token: string): Promise<Actor> {
  try {
    const { payload } = await jwtVerify(token, keys.secret, { issuer, audience, algorithms: ['HS256'] });
    const c = payload as unknown as Claims & { sub: string };
    if (c.kind === 'partner_user') {
      return {
        kind: 'partner_user',
        userId: c.sub,
        partnerId: c.pid,
        email: c.upn ?? '',
        roles: c.roles as PartnerRole[],
        applicationId: c.appid ?? null,
      };
    }
    if (c.kind === 'customer_user') {
      return {
        kind: 'customer_user',
        userId: c.sub,
        customerId: c.tid,
        partnerId: c.pid,
        email: c.upn ?? '',
      };
    }
    if (c.kind === 'application') {
      return { kind: 'application', applicationId: c.sub, partnerId: c.pid, roles: c.roles as PartnerRole[] };
    }
    throw new Error('unknown principal kind');
  } catch (error) {
    const expired = error instanceof joseErrors.JWTExpired;
    throw new MitraError(
      'unauthenticated',
      expired ? 'token-expired' : 'invalid-token',
      expired
        ? 'The access token has expired; request a new one from POST /oauth2/token.'
        : 'The access token is not valid; request a new one from POST /oauth2/token.',
      401,
    );
  }
}
