import {
  Badge,
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
import type { InvoiceDetail } from '../../api.ts';
import { useFormat } from '../../format.ts';
import { useTableStyles } from '../tableStyles.ts';
import { useInvoiceFormat } from './useInvoiceFormat.ts';

const useStyles = makeStyles({
  sumRow: { backgroundColor: tokens.colorNeutralBackground2 },
  sumLabel: { textAlign: 'right' },
  total: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400 },
  ledger: { color: tokens.colorNeutralForeground3 },
  badge: { marginLeft: tokens.spacingHorizontalXS },
  description: { minWidth: '200px' },
});

/**
 * The lines and the sums under them, as the PDF prints them: each line in the invoice's currency
 * (rounded once, by the server), then subtotal, tax and total. A converted invoice adds the
 * ledger amount each line was converted from, so a line can be checked against the rate.
 */
export function InvoiceLines({ invoice }: { invoice: InvoiceDetail }) {
  const { t } = useTranslation();
  const styles = { ...useTableStyles(), ...useStyles() };
  const format = useFormat();
  const f = useInvoiceFormat();
  const converted = invoice.exchangeRate !== null;
  const columns = converted ? 5 : 4;
  const money = (amount: string) => format.money(amount, invoice.currency);
  const sum = (label: string, amount: string, testId: string, strong = false) => (
    <TableRow className={styles.sumRow} data-testid={`${testId}-row`}>
      <TableCell colSpan={3} className={styles.sumLabel}>
        <Text weight={strong ? 'semibold' : 'regular'}>{label}</Text>
      </TableCell>
      <TableCell className={mergeClasses(styles.numeric, strong && styles.total)} data-testid={testId}>
        {money(amount)}
      </TableCell>
      {converted && <TableCell />}
    </TableRow>
  );

  return (
    <div className={styles.surface}>
      <Table
        size="small"
        className={styles.table}
        aria-label={t('invoices.lines')}
        data-testid="invoice-lines"
      >
        <TableHeader>
          <TableRow>
            <TableHeaderCell className={styles.headerCell}>{t('invoices.date')}</TableHeaderCell>
            <TableHeaderCell className={styles.headerCell}>{t('invoices.type')}</TableHeaderCell>
            <TableHeaderCell className={styles.headerCell}>{t('invoices.description')}</TableHeaderCell>
            <TableHeaderCell className={styles.numericHeader}>
              {t('invoices.amount', { currency: invoice.currency })}
            </TableHeaderCell>
            {converted && (
              <TableHeaderCell className={styles.numericHeader} data-testid="invoice-ledger-header">
                {t('invoices.ledgerAmount', { currency: invoice.ledgerCurrency })}
              </TableHeaderCell>
            )}
          </TableRow>
        </TableHeader>
        <TableBody>
          {invoice.lines.map((line, index) => (
            <TableRow
              key={line.ledgerEntryId ?? `draft-${index}`}
              data-testid="invoice-line"
              data-type={line.type}
            >
              <TableCell className={styles.nowrap}>{format.date(line.date)}</TableCell>
              <TableCell className={styles.nowrap}>
                {format.label('billing.types', line.type)}
                {line.ledgerEntryId === null && (
                  <Badge appearance="outline" color="warning" size="small" className={styles.badge}>
                    {t('invoices.notBilledYet')}
                  </Badge>
                )}
              </TableCell>
              <TableCell className={styles.description}>
                <Text size={200}>{line.description}</Text>
              </TableCell>
              <TableCell className={styles.numeric} data-testid="invoice-line-amount">
                {money(line.amount)}
              </TableCell>
              {converted && (
                <TableCell className={mergeClasses(styles.numeric, styles.ledger)}>
                  {format.money(line.ledgerAmount, invoice.ledgerCurrency)}
                </TableCell>
              )}
            </TableRow>
          ))}
          {invoice.lines.length === 0 && (
            <TableRow>
              <TableCell colSpan={columns} className={styles.empty}>
                {t('invoices.noLines')}
              </TableCell>
            </TableRow>
          )}
          {sum(t('invoices.subtotal'), invoice.subtotal, 'invoice-subtotal')}
          {sum(f.taxLine(invoice), invoice.tax, 'invoice-tax')}
          {sum(t('invoices.total'), invoice.total, 'invoice-total', true)}
        </TableBody>
      </Table>
    </div>
  );
}
