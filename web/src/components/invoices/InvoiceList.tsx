import {
  makeStyles,
  mergeClasses,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { InvoiceSummary } from '../../api.ts';
import { useFormat } from '../../format.ts';
import { useRouter } from '../../router.tsx';
import { RouterLink } from '../RouterLink.tsx';
import { useTableStyles } from '../tableStyles.ts';
import { InvoiceStatusBadge } from './InvoiceStatusBadge.tsx';
import { useInvoiceFormat } from './useInvoiceFormat.ts';

const useStyles = makeStyles({
  row: { cursor: 'pointer' },
  selected: {
    backgroundColor: tokens.colorBrandBackground2,
    ':hover': { backgroundColor: tokens.colorBrandBackground2Hover },
  },
  number: { fontWeight: tokens.fontWeightSemibold, fontVariantNumeric: 'tabular-nums' },
  credit: { color: tokens.colorNeutralForeground3 },
});

/**
 * A customer's invoices and credit notes, newest month first (the server's order). A row is a link
 * to the page that shows it, so the chosen invoice survives a reload and can be shared.
 */
/**
 * Within a month, newest first: the draft, the invoice in force, its credit notes, then what they
 * credited (the server lists a month's documents by number, which puts CN- before INV-).
 */
const rank = (i: InvoiceSummary) =>
  i.status === 'draft' ? 0 : i.kind === 'credit_note' ? 2 : i.status === 'credited' ? 3 : 1;
export const invoiceOrder = (a: InvoiceSummary, b: InvoiceSummary) =>
  b.month.localeCompare(a.month) || rank(a) - rank(b) || (b.number ?? '').localeCompare(a.number ?? '');

export function InvoiceList(props: {
  items: InvoiceSummary[];
  selectedId: string | null;
  pageOf: (invoiceId: string) => string;
}) {
  const { t } = useTranslation();
  const styles = { ...useTableStyles(), ...useStyles() };
  const format = useFormat();
  const f = useInvoiceFormat();
  const { navigate } = useRouter();

  return (
    <div className={styles.surface}>
      <Table size="small" className={styles.table} aria-label={t('invoices.list')} data-testid="invoice-list">
        <TableHeader>
          <TableRow>
            <TableHeaderCell className={styles.headerCell}>{t('invoices.number')}</TableHeaderCell>
            <TableHeaderCell className={styles.headerCell}>{t('invoices.period')}</TableHeaderCell>
            <TableHeaderCell className={styles.headerCell}>{t('invoices.status')}</TableHeaderCell>
            <TableHeaderCell className={styles.numericHeader}>{t('invoices.total')}</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {[...props.items].sort(invoiceOrder).map((invoice) => {
            const selected = invoice.id === props.selectedId;
            const href = props.pageOf(invoice.id);
            return (
              <TableRow
                key={invoice.id}
                className={mergeClasses(styles.row, selected && styles.selected)}
                aria-selected={selected}
                onClick={(event) => {
                  // The number is a link of its own; a click elsewhere on the row does the same.
                  if ((event.target as HTMLElement).closest('a')) return;
                  navigate(href);
                }}
                data-testid="invoice-row"
                data-invoice-id={invoice.id}
                data-number={invoice.number ?? ''}
                data-month={invoice.month}
                data-selected={selected}
              >
                <TableCell className={styles.nowrap}>
                  <RouterLink href={href} className={styles.number} data-testid="invoice-link">
                    {invoice.number ?? t('invoices.unnumbered')}
                  </RouterLink>
                </TableCell>
                <TableCell className={styles.nowrap}>{f.month(invoice.month)}</TableCell>
                <TableCell className={styles.nowrap}>
                  <InvoiceStatusBadge invoice={invoice} />
                </TableCell>
                <TableCell
                  className={mergeClasses(styles.numeric, invoice.kind === 'credit_note' && styles.credit)}
                  data-testid="invoice-row-total"
                >
                  {invoice.total === null ? (
                    <Text size={200} className={styles.muted}>
                      {t('invoices.noTotal')}
                    </Text>
                  ) : (
                    format.money(invoice.total, invoice.currency)
                  )}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}
