/**
 * Errors are values with a stable machine code and a sentence that says what to do next. They are
 * raised in the domain and the services and mapped once per API dialect at the edge
 * (src/api/errors.ts), so every dialect tells the same story in its own shape.
 */
export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'precondition-failed'
  | 'too-many';

export class MitraError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    /** The partner-center numeric code, where the reference documents one. */
    readonly partnerCenterCode?: number,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'MitraError';
  }
}

export const httpStatusOf: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'precondition-failed': 412,
  'too-many': 429,
};

export const invalid = (code: string, message: string, details?: Record<string, unknown>) =>
  new MitraError('invalid', code, message, 800002, details);

export const notFound = (code: string, message: string, partnerCenterCode = 1000) =>
  new MitraError('not-found', code, message, partnerCenterCode);

export const forbidden = (code: string, message: string) => new MitraError('forbidden', code, message, 2032);

export const conflict = (code: string, message: string, partnerCenterCode?: number) =>
  new MitraError('conflict', code, message, partnerCenterCode);

export const authenticationRequired = () =>
  new MitraError(
    'unauthenticated',
    'authentication-required',
    'Sign in first: send a bearer token from POST /oauth2/token or a portal session cookie.',
    401,
  );

export const customerNotFound = (id: string) =>
  notFound(
    'customer-not-found',
    `No customer with id ${id} exists among your customers. Check the id with GET /v1/customers.`,
    60003,
  );
