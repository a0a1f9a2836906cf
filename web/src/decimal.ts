// Exact decimal arithmetic on the API's money strings, for the few estimates the portal shows before
// the server has priced something (an exchange). Totals the server sends are always shown as sent.

const pattern = /^([+-]?)(\d+)(?:\.(\d+))?$/;

interface Scaled {
  value: bigint;
  scale: number;
}

function parse(text: string): Scaled | null {
  const match = pattern.exec(text.trim());
  if (!match) return null;
  const fraction = match[3] ?? '';
  const value = BigInt(`${match[2]}${fraction}`) * (match[1] === '-' ? -1n : 1n);
  return { value, scale: fraction.length };
}

function format({ value, scale }: Scaled): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const text = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return negative ? `-${text}` : text;
}

const align = (a: Scaled, b: Scaled): [bigint, bigint, number] => {
  const scale = Math.max(a.scale, b.scale);
  return [a.value * 10n ** BigInt(scale - a.scale), b.value * 10n ** BigInt(scale - b.scale), scale];
};

/** a × b (decimal strings or integers), exactly; null when either is not a decimal. */
export function multiply(a: string, b: string | number): string | null {
  const x = parse(a);
  const y = parse(String(b));
  if (!x || !y) return null;
  return format({ value: x.value * y.value, scale: x.scale + y.scale });
}

/** a − b, exactly; null when either is not a decimal. */
export function subtract(a: string, b: string): string | null {
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return null;
  const [p, q, scale] = align(x, y);
  return format({ value: p - q, scale });
}

/** Sign of a − b: -1, 0 or 1; null when either is not a decimal. */
export function compare(a: string, b: string): -1 | 0 | 1 | null {
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return null;
  const [p, q] = align(x, y);
  return p < q ? -1 : p > q ? 1 : 0;
}
