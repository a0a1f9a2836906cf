// Azure region codes ("southeastasia") in words. The reservation catalog carries titles too; the
// commitment views only get codes; the names are the server's own table (src/domain/regions.ts).
import { regionNameOf } from '../../src/domain/regions.ts';

export function regionName(code: string | null | undefined): string {
  if (!code) return '';
  return regionNameOf(code);
}
