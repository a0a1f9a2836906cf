import { costColumns } from '../domain/partner-costs.ts';
import { csvCell } from './bills.ts';
import type { CustomerCosts, PartnerCosts } from './partner-costs.ts';

/**
 * The cost views as CSV: the same lines and totals as the JSON, figure for figure, with the
 * column names of the API (snake_case) and the currency on every line. A column the view does not
 * have (purchases when amortized, unused charges when actual) is left empty.
 */
const header = costColumns.map((c) => c.replace(/[A-Z]/g, (l) => `_${l.toLowerCase()}`));

const row = (cells: unknown[]) => cells.map(csvCell).join(',');
const figures = (l: Record<(typeof costColumns)[number], string | null>) =>
  costColumns.map((c) => l[c] ?? '');

export function partnerCostsCsv(costs: PartnerCosts): string {
  return `${[
    row(['month', 'view', 'customer_id', 'customer', ...header, 'currency']),
    ...costs.lines.map((l) =>
      row([costs.month, costs.view, l.customerId, l.customerName, ...figures(l), costs.currency]),
    ),
    row([costs.month, costs.view, '', 'Total', ...figures(costs.total), costs.currency]),
  ].join('\n')}\n`;
}

export function customerCostsCsv(costs: CustomerCosts): string {
  return `${[
    row(['month', 'view', 'customer', 'closed', ...header, 'currency']),
    ...costs.lines.map((l) =>
      row([
        l.month,
        costs.view,
        costs.customerName,
        l.closed ? 'true' : 'false',
        ...figures(l),
        costs.currency,
      ]),
    ),
    row(['Total', costs.view, costs.customerName, '', ...figures(costs.total), costs.currency]),
  ].join('\n')}\n`;
}
