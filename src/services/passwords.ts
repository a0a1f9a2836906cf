import { randomInt } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

// OWASP's argon2id baseline (19 MiB, 2 passes); strong enough for agents' passwords and fast
// enough that logging in stays well under a tenth of a second.
// algorithm 2 is Argon2id (the package's const enum cannot be imported under isolatedModules).
const options = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

// Verifying against this when the user does not exist keeps the answer's timing from telling
// whether an e-mail address is registered.
let decoy: Promise<string> | undefined;

export async function verifyPassword(storedHash: string | undefined, password: string): Promise<boolean> {
  if (!storedHash) {
    decoy ??= hashPassword('decoy-password-that-never-matches');
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  return verify(storedHash, password).catch(() => false);
}

// No look-alikes (0/O, 1/l/I), so a password read off the screen and typed elsewhere works first time.
const passwordAlphabets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!#$%*+-=?@'];

/**
 * An initial password for a new user: 16 characters from a CSPRNG with at least one of each kind
 * (what directory password policies ask for), shown once and kept only as its argon2id hash.
 */
export function generatePassword(length = 16): string {
  const all = passwordAlphabets.join('');
  const pick = (alphabet: string) => alphabet[randomInt(alphabet.length)];
  const chars = [...passwordAlphabets.map(pick), ...Array.from({ length: length - 4 }, () => pick(all))];
  // Fisher–Yates, so the guaranteed characters are not always first.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}
