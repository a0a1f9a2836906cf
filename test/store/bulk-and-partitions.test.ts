import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyRows } from '../../src/store/bulk.ts';
import type { DatabaseHandle } from '../../src/store/db.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { ensureUsagePartitions, monthsOf } from '../../src/store/partitions.ts';
import { databaseKinds, freshDatabase } from '../support/db.ts';

describe.each(databaseKinds)('COPY and usage partitions on %s', (kind) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await freshDatabase(kind);
    await migrateToLatest(handle.db);
  });
  afterAll(() => handle.close());

  it('COPY keeps every value as written: quotes, commas, new lines, empty strings apart from NULL', async () => {
    const db = handle.db;
    await sql`create table bulk_probe (t text, n numeric(20, 6), b boolean, at timestamptz, j jsonb)`.execute(
      db,
    );
    const at = new Date('2026-11-03T10:00:00Z');
    const rows = [
      ['plain', '1.5', true, at, '{"a":1}'],
      ['with "quotes", a comma\nand a line', '0.000001', false, at, JSON.stringify([{ by: 'x"y', q: 0.5 }])],
      ['', null, null, null, null],
      [null, '0', true, at, '[]'],
    ];
    await db.transaction().execute((trx) => copyRows(trx, 'bulk_probe', ['t', 'n', 'b', 'at', 'j'], rows));
    const back = await sql<{
      t: string | null;
      n: string | null;
      b: boolean | null;
      at: Date | null;
      j: unknown;
    }>`
      select t, n::text as n, b, at, j from bulk_probe`.execute(db);
    expect(back.rows.map((r) => r.t)).toEqual(rows.map((r) => r[0]));
    expect(back.rows.map((r) => r.n)).toEqual(['1.500000', '0.000001', null, '0.000000']);
    expect(back.rows[1].j).toEqual([{ by: 'x"y', q: 0.5 }]);
    expect(new Date(back.rows[0].at as Date).toISOString()).toBe(at.toISOString());
  });

  it('a failed COPY rolls back with its transaction and leaves the connection usable', async () => {
    const db = handle.db;
    await expect(
      db.transaction().execute(async (trx) => {
        await copyRows(trx, 'bulk_probe', ['t'], [['kept only if committed']]);
        await copyRows(trx, 'bulk_probe', ['n'], [['not a number']]);
      }),
    ).rejects.toThrow();
    const n = await sql<{
      n: number;
    }>`select count(*)::int as n from bulk_probe where t = 'kept only if committed'`.execute(db);
    expect(n.rows[0].n).toBe(0);
  });

  it('makes the partitions of each month once, beside the default partition', async () => {
    const db = handle.db;
    const from = new Date('2026-10-15T00:00:00Z');
    const to = new Date('2027-01-02T00:00:00Z');
    expect(monthsOf(from, to).map((m) => m.toISOString().slice(0, 7))).toEqual([
      '2026-10',
      '2026-11',
      '2026-12',
      '2027-01',
    ]);
    expect(await ensureUsagePartitions(db, from, to)).toBe(8);
    expect(await ensureUsagePartitions(db, from, to)).toBe(0);
    const partitions = await sql<{ name: string; bound: string }>`
      select c.relname as name, pg_get_expr(c.relpartbound, c.oid) as bound from pg_inherits i
      join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
      where p.relname = 'usage_records' order by 1`.execute(db);
    expect(partitions.rows.map((p) => p.name)).toEqual([
      'usage_records_2026_10',
      'usage_records_2026_11',
      'usage_records_2026_12',
      'usage_records_2027_01',
      'usage_records_default',
    ]);
    expect(partitions.rows[0].bound).toContain('2026-10-01');
  });
});
