import type { UsageRowInput } from './types.ts';

/**
 * A streaming RFC 4180 reader (quoted fields, doubled quotes, newlines inside quotes, CRLF) that
 * never holds more than one chunk and one record, and the writer side's quoting.
 */
export interface CsvRecord {
  /** 1-based line number where the record starts, as an editor shows it. */
  line: number;
  cells: string[];
}

export async function* readCsv(
  chunks: AsyncIterable<string | Buffer>,
  onBytes?: (bytes: number) => void,
): AsyncGenerator<CsvRecord> {
  let carry = '';
  let line = 1;
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) {
    onBytes?.(typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length);
    let text = carry + (typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    let start = 0;
    // The next quote, found once and reused: searching from every record would rescan the
    // chunk's tail once per record when the file has no quotes at all.
    let quote = text.indexOf('"');
    for (;;) {
      if (quote >= 0 && quote < start) quote = text.indexOf('"', start);
      const parsed = parseRecord(text, start, quote, false);
      if (!parsed) break;
      yield { line, cells: parsed.cells };
      line += parsed.lines;
      start = parsed.next;
    }
    carry = text.slice(start);
  }
  carry += decoder.decode();
  if (carry.length > 0) {
    const parsed = parseRecord(carry, 0, carry.indexOf('"'), true);
    if (parsed && !(parsed.cells.length === 1 && parsed.cells[0] === '')) yield { line, cells: parsed.cells };
  }
}

/** One record from `start` (`quote`: the first quote at or after it, or -1); null when the text ends first (and `final` is false). */
function parseRecord(
  text: string,
  start: number,
  quote: number,
  final: boolean,
): { cells: string[]; next: number; lines: number } | null {
  const nl = text.indexOf('\n', start);
  if (nl >= 0 && (quote < 0 || quote > nl)) {
    // The common case: no quotes on this line.
    const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    return { cells: text.slice(start, end).split(','), next: nl + 1, lines: 1 };
  }
  if (nl < 0 && quote < 0) {
    if (!final) return null;
    const end = text.endsWith('\r') ? text.length - 1 : text.length;
    return { cells: text.slice(start, end).split(','), next: text.length, lines: 1 };
  }
  const cells: string[] = [];
  let cell = '';
  let lines = 1;
  let i = start;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        if (i + 1 >= text.length && !final) return null;
        quoted = false;
      } else {
        if (ch === '\n') lines++;
        cell += ch;
      }
      i++;
      continue;
    }
    if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n') {
      cells.push(cell.endsWith('\r') ? cell.slice(0, -1) : cell);
      return { cells, next: i + 1, lines };
    } else cell += ch;
    i++;
  }
  if (!final) return null;
  cells.push(cell.endsWith('\r') ? cell.slice(0, -1) : cell);
  return { cells, next: text.length, lines };
}

export function csvCell(value: string | number | undefined | null): string {
  if (value === undefined || value === null) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export const USAGE_CSV_COLUMNS = [
  'customer',
  'rowId',
  'hour',
  'subscription',
  'resourceGroup',
  'region',
  'reservedResourceType',
  'sku',
  'isfGroup',
  'skuRatio',
  'quantity',
  'paygUnitPrice',
  'spUnitPriceP1Y',
  'spUnitPriceP3Y',
  'benefitEligible',
] as const;

/** Usage rows as the streaming mode's `usage.csv`; `customer` only when some row has one. */
export function usageCsvLines(rows: readonly UsageRowInput[]): string[] {
  const withCustomer = rows.some((r) => r.customer !== undefined);
  const columns = USAGE_CSV_COLUMNS.filter((c) => withCustomer || c !== 'customer');
  const lines = [columns.join(',')];
  for (const r of rows) {
    const flat: Record<string, unknown> = {
      ...r,
      spUnitPriceP1Y: r.spUnitPrice?.P1Y,
      spUnitPriceP3Y: r.spUnitPrice?.P3Y,
    };
    lines.push(columns.map((c) => csvCell(flat[c] as string | number | undefined)).join(','));
  }
  return lines;
}
