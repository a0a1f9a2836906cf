import { invalid } from '../domain/errors.ts';
import { isUuid } from '../domain/ids.ts';

/**
 * Continuation tokens are opaque to clients: the keyset position of the last item served, so a page
 * never skips or repeats a row when others are inserted meanwhile.
 */
export function encodeContinuation(position: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

type PositionType = 'string' | 'uuid' | 'integer';

export function decodeContinuation<T extends Record<string, string | number>>(
  token: string,
  shape: Record<keyof T, PositionType>,
): T {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    const fits = (v: unknown, t: PositionType) =>
      t === 'integer'
        ? Number.isSafeInteger(v)
        : t === 'uuid'
          ? isUuid(v)
          : typeof v === 'string' && !v.includes('\u0000');
    if (
      value &&
      typeof value === 'object' &&
      Object.entries(shape).every(([k, t]) => fits(value[k], t as PositionType))
    )
      return value as T;
  } catch {
    // fall through to the refusal below
  }
  throw invalid(
    'invalid-continuation-token',
    'The continuation token is not one this server issued; start again from the first page.',
  );
}

export function pageSize(requested: number | undefined, fallback: number, max: number): number {
  if (requested === undefined) return fallback;
  if (!Number.isInteger(requested) || requested < 1 || requested > max) {
    throw invalid('invalid-page-size', `The page size must be a whole number from 1 to ${max}.`);
  }
  return requested;
}
