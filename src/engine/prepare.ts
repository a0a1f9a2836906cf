import { CustomerBuilder, type PreparedCustomer } from './builder.ts';
import { type ParsedCommitment, parseCommitments, parseContext } from './commitments.ts';
import { BenefitInputError } from './errors.ts';
import { emptyRow, flattenJsonRow, parseRow } from './fields.ts';
import type { RatioTable } from './ratios.ts';
import { parseHourField } from './time.ts';

export const locateJsonRow = (index: number, rowId: string): string =>
  `usage[${index}]${rowId ? ` (rowId ${JSON.stringify(rowId)})` : ''}`;

export function parseHours(hours: unknown): Int32Array | null {
  if (hours === undefined || hours === null) return null;
  if (!Array.isArray(hours)) throw new BenefitInputError('hours', '', 'must be an array of timestamps');
  const parsed = hours.map((h, i) => parseHourField(h, () => `hours[${i}]`, 'hour'));
  return Int32Array.from(new Set(parsed)).sort();
}

/** Groups commitments by customer and finishes every builder, customers in first-seen order. */
export function finishCustomers(
  builders: Map<string, CustomerBuilder>,
  commitments: ParsedCommitment[],
  hours: Int32Array | null,
  newBuilder: (customer: string) => CustomerBuilder,
): PreparedCustomer[] {
  const byCustomer = new Map<string, ParsedCommitment[]>();
  for (const c of commitments) {
    if (!builders.has(c.customer)) builders.set(c.customer, newBuilder(c.customer));
    const list = byCustomer.get(c.customer) ?? [];
    list.push(c);
    byCustomer.set(c.customer, list);
  }
  return [...builders.values()].map((b) => b.finish(byCustomer.get(b.customer) ?? [], hours));
}

/** Validates a JSON input of the contract and splits it into one columnar batch per customer. */
export function prepareInput(input: unknown, ratios: RatioTable): PreparedCustomer[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new BenefitInputError('input', '', 'must be a JSON object with "usage" and "commitments"');
  }
  const { context, hours, usage, commitments } = input as Record<string, unknown>;
  if (!Array.isArray(usage)) throw new BenefitInputError('usage', '', 'must be an array of usage rows');
  const mgs = parseContext(context);
  const reportHours = parseHours(hours);
  const parsedCommitments = parseCommitments(commitments, ratios, mgs);

  const builders = new Map<string, CustomerBuilder>();
  const newBuilder = (customer: string) => new CustomerBuilder(customer, ratios, locateJsonRow);
  const row = emptyRow();
  for (let i = 0; i < usage.length; i++) {
    const raw = usage[i];
    const locate = () => locateJsonRow(i, typeof raw?.rowId === 'string' ? raw.rowId : '');
    parseRow(flattenJsonRow(raw, locate), locate, row);
    let b = builders.get(row.customer);
    if (!b) {
      b = newBuilder(row.customer);
      builders.set(row.customer, b);
    }
    b.add(row, i);
  }
  return finishCustomers(builders, parsedCommitments, reportHours, newBuilder);
}
