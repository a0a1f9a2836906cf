import { randomUUID } from 'node:crypto';
import { normalizeEmail } from '../domain/billing-profile.ts';
import { conflict, invalid } from '../domain/errors.ts';
import type { Db } from '../store/db.ts';
import type { Customer } from '../store/schema.ts';
import { writeAudit } from './audit-log.ts';
import type { Call } from './call.ts';
import { generatePassword, hashPassword } from './passwords.ts';

export interface NewCustomerUser {
  email: string;
  displayName: string;
}

/** A user ready to be stored: its initial password in clear (for the answer only) and its hash. */
export interface PreparedCustomerUser {
  email: string;
  displayName: string;
  initialPassword: string;
  passwordHash: string;
}

export interface CreatedCustomerUser {
  id: string;
  email: string;
  displayName: string;
  createdAt: Date;
  /** Shown once, in the answer to the request that created the user; never stored in clear. */
  initialPassword: string;
}

/**
 * Checks the new user and makes its initial password. Hashing (argon2id, tens of milliseconds)
 * happens here, before any transaction opens, so no row lock is held while it runs.
 */
export async function prepareCustomerUser(
  input: NewCustomerUser,
  /** Where the user sits in the request body, for `details.field` of a refusal ("user." in a new customer). */
  fieldPrefix = '',
): Promise<PreparedCustomerUser> {
  const email = normalizeEmail(input.email, `${fieldPrefix}email`);
  const displayName = input.displayName.trim();
  if (!displayName || displayName.length > 200) {
    throw invalid(
      'invalid-display-name',
      "The user's display name must be 1 to 200 characters, for example Dewi Kusuma.",
      { field: `${fieldPrefix}displayName` },
    );
  }
  const initialPassword = generatePassword();
  return { email, displayName, initialPassword, passwordHash: await hashPassword(initialPassword) };
}

export const emailTaken = (email: string) =>
  conflict(
    'user-email-taken',
    `${email} is already someone's sign-in name in Mitra; choose another e-mail address for this user.`,
  );

// PostgreSQL's unique_violation: two requests for the same new e-mail raced past the check below.
const isUniqueViolation = (error: unknown) => (error as { code?: string })?.code === '23505';

/**
 * Stores a customer user and its activity record ("Create customer user") through the caller's
 * transaction. E-mail addresses are sign-in names shared by partner and customer users, so one
 * that either kind already has is refused.
 */
export async function insertCustomerUser(
  trx: Db,
  call: Call,
  customer: Customer,
  user: PreparedCustomerUser,
): Promise<CreatedCustomerUser> {
  const taken = await trx
    .selectFrom('customer_users')
    .select('id')
    .where('email', '=', user.email)
    .unionAll(trx.selectFrom('partner_users').select('id').where('email', '=', user.email))
    .executeTakeFirst();
  if (taken) throw emailTaken(user.email);
  const id = randomUUID();
  let row: { created_at: Date };
  try {
    row = await trx
      .insertInto('customer_users')
      .values({
        id,
        customer_id: customer.id,
        email: user.email,
        display_name: user.displayName,
        password_hash: user.passwordHash,
      })
      .returning('created_at')
      .executeTakeFirstOrThrow();
  } catch (error) {
    if (isUniqueViolation(error)) throw emailTaken(user.email);
    throw error;
  }
  await writeAudit(trx, call, {
    partnerId: customer.partner_id,
    customer: { id: customer.id, name: customer.company_name },
    resourceType: 'customer_user',
    operationType: 'create_customer_user',
    // Never the password, not even its hash.
    newValue: { id, email: user.email, displayName: user.displayName },
  });
  return {
    id,
    email: user.email,
    displayName: user.displayName,
    createdAt: row.created_at,
    initialPassword: user.initialPassword,
  };
}
