import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareCodePoints } from '../../src/engine/columnar.ts';
import { readCsv } from '../../src/engine/csv.ts';
import { tidy } from '../../src/engine/output.ts';
import { Progress } from '../../src/engine/progress.ts';
import { discountKey, rankByDiscount } from '../../src/engine/rank.ts';
import { hourIso, MS_PER_HOUR, parseInstant, termEndHour } from '../../src/engine/time.ts';

async function records(pieces: string[]) {
  const out: [number, string[]][] = [];
  async function* chunks() {
    for (const p of pieces) yield p;
  }
  for await (const r of readCsv(chunks())) out.push([r.line, r.cells]);
  return out;
}

describe('CSV reader', () => {
  const text = '\uFEFFa,b,c\r\n1,"x, ""y""",3\n2,"multi\nline",\n3,,last';
  const expected: [number, string[]][] = [
    [1, ['a', 'b', 'c']],
    [2, ['1', 'x, "y"', '3']],
    [3, ['2', 'multi\nline', '']],
    [5, ['3', '', 'last']],
  ];
  it('reads quotes, doubled quotes, newlines in quotes, CRLF, a BOM and a last line without newline', async () => {
    expect(await records([text])).toEqual(expected);
  });
  it('gives the same records however the input is split into chunks', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: text.length - 1 }), { maxLength: 6 }),
        async (cuts) => {
          const at = [0, ...[...new Set(cuts)].sort((a, b) => a - b), text.length];
          const pieces = at.slice(1).map((end, i) => text.slice(at[i], end));
          expect(await records(pieces)).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('time', () => {
  it('reads ISO 8601 with an offset, or as UTC without one, and refuses impossible dates', () => {
    expect(parseInstant('2025-03-03T10:00:00Z')).toBe(Date.UTC(2025, 2, 3, 10));
    expect(parseInstant('2025-03-03T12:00:00+02:00')).toBe(Date.UTC(2025, 2, 3, 10));
    expect(parseInstant('2025-03-03 10:30')).toBe(Date.UTC(2025, 2, 3, 10, 30));
    expect(parseInstant('2025-03-03')).toBe(Date.UTC(2025, 2, 3));
    expect(parseInstant('2025-02-29')).toBeNaN();
    expect(parseInstant('2025-03-03T24:00:00Z')).toBeNaN();
    expect(parseInstant('soon')).toBeNaN();
  });
  it('ends a term on the same calendar day, 29 February on the 28th', () => {
    const h = (iso: string) => Date.parse(iso) / MS_PER_HOUR;
    expect(hourIso(termEndHour(h('2025-01-01T00:00:00Z'), 1))).toBe('2026-01-01T00:00:00Z');
    expect(hourIso(termEndHour(h('2024-02-29T05:00:00Z'), 1))).toBe('2025-02-28T05:00:00Z');
    expect(hourIso(termEndHour(h('2024-02-29T05:00:00Z'), 4))).toBe('2028-02-29T05:00:00Z');
    expect(termEndHour(h('2019-10-23T00:00:00Z'), 1) - h('2019-10-23T00:00:00Z')).toBe(366 * 24);
  });
});

describe('savings plan ranking', () => {
  it('sorts by discount, largest first, keeping row order among equal discounts, at any size', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            payg: fc.constantFrom(0, 0.1, 0.2, 0.3),
            sp: fc.constantFrom(Number.NaN, 0.05, 0.06, 0.1, 0.3),
            rem: fc.constantFrom(0, 1),
          }),
          {
            maxLength: 200,
          },
        ),
        (rows) => {
          const n = rows.length;
          const payg = Float64Array.from(rows, (r) => r.payg);
          const sp = Float64Array.from(rows, (r) => r.sp);
          const rem = Float64Array.from(rows, (r) => r.rem);
          const out = new Int32Array(n);
          const m = rankByDiscount(0, n, rem, sp, payg, out, {
            key: new Float64Array(0),
            buf: new Float64Array(0),
            idx: new Int32Array(0),
          });
          const expected = rows
            .map((r, i) => ({ i, k: discountKey(r.sp, r.payg), ok: r.rem > 0 && r.sp > 0 }))
            .filter((x) => x.ok)
            .sort((a, b) => (a.k === b.k ? a.i - b.i : b.k > a.k ? 1 : -1))
            .map((x) => x.i);
          expect(Array.from(out.subarray(0, m))).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
  it('treats discounts equal to 12 decimal places as equal', () => {
    expect(discountKey(0.06, 0.1)).toBe(discountKey(0.060000000000001, 0.1));
    expect(discountKey(0.06, 0.1)).toBeGreaterThan(discountKey(0.06000000001, 0.1));
    expect(discountKey(0.06, 0)).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe('small pieces', () => {
  it('orders strings by code point, as SQL engines do', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
        expect(Math.sign(compareCodePoints(a, b))).toBe(
          Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b))),
        );
      }),
      { numRuns: 500 },
    );
  });
  it('tidies binary noise without moving a value by more than 1e-12 relative', () => {
    expect(tidy(0.1 + 0.2)).toBe(0.3);
    expect(tidy(5e-17)).toBe(0);
    expect(tidy(-0)).toBe(0);
    fc.assert(
      fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), (x) => {
        expect(Math.abs(tidy(x) - x)).toBeLessThanOrEqual(Math.max(1e-12, Math.abs(x) * 1e-14));
      }),
    );
  });
  it('shows progress only on a terminal or when asked, after a delay', () => {
    let t = 0;
    const written: string[] = [];
    const stream = (isTTY: boolean) => ({ isTTY, write: (s: string) => written.push(s) }) as any;
    const quiet = new Progress({ stream: stream(false), label: 'x', total: 10, now: () => t });
    t = 5000;
    quiet.add(5);
    expect(written).toEqual([]);
    t = 0;
    const tty = new Progress({ stream: stream(true), label: 'applying', total: 10, now: () => t });
    tty.add(1);
    expect(written).toEqual([]);
    t = 2000;
    tty.add(4);
    expect(written.at(-1)).toMatch(/^\rapplying \[#{12}\.{12}\] 50% 5\/10 2s/);
    tty.finish();
    expect(written.at(-1)).toBe('\r\x1b[K');
    t = 0;
    const forced = new Progress({
      stream: stream(false),
      label: 'gen',
      total: 0,
      unit: ' rows',
      force: true,
      now: () => t,
    });
    t = 6000;
    forced.add(2_500_000);
    expect(written.at(-1)).toBe('gen 2.5M rows 6s\n');
  });
});
