import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Actor } from '../domain/actor.ts';
import { MitraError } from '../domain/errors.ts';
import { isUuid } from '../domain/ids.ts';
import { authorize } from '../domain/policies.ts';
import type { Db } from '../store/db.ts';
import { writeAudit } from './audit-log.ts';
import { type Call, inTransaction } from './call.ts';
import { hashPassword, verifyPassword } from './passwords.ts';

const sessionTtlMs = 12 * 3600 * 1000;

/** One answer for a wrong e-mail and a wrong password: nothing tells which half was wrong. */
export const invalidCredentials = () =>
  new MitraError(
    'unauthenticated',
    'invalid-credentials',
    'The e-mail address or password is not correct; try again.',
    401,
  );

export async function authenticateUser(db: Db, email: string, password: string): Promise<Actor> {
  const normalized = email.trim().toLowerCase();
  // No stored e-mail holds a NUL (the database cannot); answer as for any unknown user.
  if (normalized.includes('\u0000')) {
    await verifyPassword(undefined, password);
    throw invalidCredentials();
  }
  const partnerUser = await db
    .selectFrom('partner_users')
    .select(['id', 'partner_id', 'email', 'role', 'password_hash'])
    .where('email', '=', normalized)
    .executeTakeFirst();
  if (partnerUser) {
    if (!(await verifyPassword(partnerUser.password_hash, password))) throw invalidCredentials();
    return {
      kind: 'partner_user',
      userId: partnerUser.id,
      partnerId: partnerUser.partner_id,
      email: partnerUser.email,
      roles: [partnerUser.role],
      applicationId: null,
    };
  }
  const customerUser = await db
    .selectFrom('customer_users')
    .innerJoin('customers', 'customers.id', 'customer_users.customer_id')
    .select([
      'customer_users.id',
      'customer_users.email',
      'customer_users.password_hash',
      'customers.id as customer_id',
      'customers.partner_id',
    ])
    .where('customer_users.email', '=', normalized)
    .executeTakeFirst();
  if (!(await verifyPassword(customerUser?.password_hash, password)) || !customerUser)
    throw invalidCredentials();
  return {
    kind: 'customer_user',
    userId: customerUser.id,
    customerId: customerUser.customer_id,
    partnerId: customerUser.partner_id,
    email: customerUser.email,
  };
}

export const invalidClient = () =>
  new MitraError('unauthenticated', 'invalid-client', 'The client id or client secret is not correct.', 401);

export async function authenticateApplication(
  db: Db,
  clientId: string,
  clientSecret: string,
): Promise<Actor> {
  const uuidLike = isUuid(clientId);
  const app = uuidLike
    ? await db
        .selectFrom('applications')
        .select(['id', 'partner_id', 'secret_hash'])
        .where('id', '=', clientId)
        .executeTakeFirst()
    : undefined;
  if (!(await verifyPassword(app?.secret_hash, clientSecret)) || !app) throw invalidClient();
  // A partner's registered application acts with an Admin agent's reach, as partner center's
  // app-only access does; operations that need a user (App+User) refuse it by policy.
  return { kind: 'application', applicationId: app.id, partnerId: app.partner_id, roles: ['admin_agent'] };
}

const sessionKey = (token: string) => createHash('sha256').update(token).digest('hex');

export async function openSession(db: Db, actor: Actor): Promise<string> {
  if (actor.kind !== 'partner_user' && actor.kind !== 'customer_user')
    throw new Error('only users have sessions');
  const token = randomBytes(32).toString('base64url');
  await db
    .insertInto('sessions')
    .values({
      id: sessionKey(token),
      principal_kind: actor.kind,
      principal_id: actor.userId,
      expires_at: new Date(Date.now() + sessionTtlMs),
    })
    .execute();
  return token;
}

export async function closeSession(db: Db, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionKey(token)).execute();
}

/** Resolves a session cookie to its user, reading the role afresh so a role change applies at once. */
export async function actorFromSession(db: Db, token: string): Promise<Actor | null> {
  const session = await db
    .selectFrom('sessions')
    .select(['principal_kind', 'principal_id'])
    .where('id', '=', sessionKey(token))
    .where('expires_at', '>', new Date())
    .executeTakeFirst();
  if (!session) return null;
  if (session.principal_kind === 'partner_user') {
    const u = await db
      .selectFrom('partner_users')
      .select(['id', 'partner_id', 'email', 'role'])
      .where('id', '=', session.principal_id)
      .executeTakeFirst();
    return u
      ? {
          kind: 'partner_user',
          userId: u.id,
          partnerId: u.partner_id,
          email: u.email,
          roles: [u.role],
          applicationId: null,
        }
      : null;
  }
  const c = await db
    .selectFrom('customer_users')
    .innerJoin('customers', 'customers.id', 'customer_users.customer_id')
    .select([
      'customer_users.id',
      'customer_users.email',
      'customers.id as customer_id',
      'customers.partner_id',
    ])
    .where('customer_users.id', '=', session.principal_id)
    .executeTakeFirst();
  return c
    ? {
        kind: 'customer_user',
        userId: c.id,
        customerId: c.customer_id,
        partnerId: c.partner_id,
        email: c.email,
      }
    : null;
}

export interface Me {
  id: string;
  email: string;
  displayName: string;
  kind: 'partner' | 'customer' | 'application';
  roles: string[];
  tenant: { id: string; name: string };
}

export async function describeActor(db: Db, actor: Actor): Promise<Me> {
  if (actor.kind === 'partner_user') {
    const row = await db
      .selectFrom('partner_users')
      .innerJoin('partners', 'partners.id', 'partner_users.partner_id')
      .select(['partner_users.display_name', 'partners.name'])
      .where('partner_users.id', '=', actor.userId)
      .executeTakeFirstOrThrow();
    return {
      id: actor.userId,
      email: actor.email,
      displayName: row.display_name,
      kind: 'partner',
      roles: actor.roles,
      tenant: { id: actor.partnerId, name: row.name },
    };
  }
  if (actor.kind === 'customer_user') {
    const row = await db
      .selectFrom('customer_users')
      .innerJoin('customers', 'customers.id', 'customer_users.customer_id')
      .select(['customer_users.display_name', 'customers.company_name'])
      .where('customer_users.id', '=', actor.userId)
      .executeTakeFirstOrThrow();
    return {
      id: actor.userId,
      email: actor.email,
      displayName: row.display_name,
      kind: 'customer',
      roles: [],
      tenant: { id: actor.customerId, name: row.company_name },
    };
  }
  if (actor.kind === 'application') {
    const row = await db
      .selectFrom('applications')
      .innerJoin('partners', 'partners.id', 'applications.partner_id')
      .select(['applications.display_name', 'partners.name'])
      .where('applications.id', '=', actor.applicationId)
      .executeTakeFirstOrThrow();
    return {
      id: actor.applicationId,
      email: '',
      displayName: row.display_name,
      kind: 'application',
      roles: actor.roles,
      tenant: { id: actor.partnerId, name: row.name },
    };
  }
  throw new Error('system actors have no profile');
}

/** An Admin agent registers an application; its secret is shown once and kept only as a hash. */
export async function registerApplication(db: Db, call: Call, displayName: string) {
  authorize(call.actor, 'applicationsManage');
  const actor = call.actor as Extract<Actor, { kind: 'partner_user' }>;
  const clientSecret = randomBytes(32).toString('base64url');
  const secretHash = await hashPassword(clientSecret);
  const id = randomUUID();
  await inTransaction(db, async (trx) => {
    await trx
      .insertInto('applications')
      .values({
        id,
        partner_id: actor.partnerId,
        display_name: displayName,
        secret_hash: secretHash,
        created_by: actor.userId,
      })
      .execute();
    await writeAudit(trx, call, {
      partnerId: actor.partnerId,
      resourceType: 'application',
      operationType: 'register_application',
      newValue: { id, displayName },
    });
  });
  return { clientId: id, clientSecret, displayName };
}
