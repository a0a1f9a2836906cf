import {
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';
import Big from 'big.js';
import { useTranslation } from 'react-i18next';
import type { CostAnalysis, CostGrouping, CostLineView } from '../../../api.ts';
import { useTableStyles } from '../../../components/tableStyles.ts';
import { useFormat } from '../../../format.ts';

type TableGrouping = Extract<CostGrouping, 'meter' | 'resourceGroup' | 'resource'>;

/** A resource's own name: the last segment of its ARM id. */
const resourceName = (id: string) => id.split('/').filter(Boolean).at(-1) ?? id;

/** One of the cost tables, lines as the server sorted them (largest first) and its total. */
export function CostTable({ view, grouping }: { view: CostAnalysis; grouping: TableGrouping }) {
  const { t } = useTranslation();
  const styles = useTableStyles();
  const format = useFormat();
  const money = (amount: string) => format.money(amount, view.currency);
  const total = new Big(view.total);
  // A share is a proportion for the eye, not money: one decimal, from the rounded figures shown.
  const share = (cost: string) =>
    total.gt(0) ? format.percent(Number(new Big(cost).div(total).times(100))) : '';
  const quantity = (q: string) =>
    new Intl.NumberFormat(format.locale, { maximumFractionDigits: 2 }).format(q as Intl.StringNumericLiteral);
  const subscriptionName = (azureId?: string) =>
    view.subscriptions.find((s) => s.azureSubscriptionId === azureId)?.name ?? azureId ?? '';
  const showSubscription = view.subscriptions.length > 1;

  const columns: { header: string; numeric?: boolean; cell: (r: CostLineView) => React.ReactNode }[] =
    grouping === 'meter'
      ? [
          { header: t('costAnalysis.service'), cell: (r) => r.meterCategory },
          { header: t('costAnalysis.meter'), cell: (r) => r.meter },
          { header: t('costAnalysis.quantity'), numeric: true, cell: (r) => quantity(r.quantity) },
        ]
      : grouping === 'resourceGroup'
        ? [
            { header: t('costAnalysis.resourceGroup'), cell: (r) => r.resourceGroup },
            ...(showSubscription
              ? [
                  {
                    header: t('costAnalysis.subscription'),
                    cell: (r: CostLineView) => subscriptionName(r.subscriptionId),
                  },
                ]
              : []),
          ]
        : [
            {
              header: t('costAnalysis.resource'),
              cell: (r) =>
                r.resourceId ? (
                  <span title={r.resourceId}>{resourceName(r.resourceId)}</span>
                ) : (
                  <Text className={styles.muted}>{t('costAnalysis.noResource')}</Text>
                ),
            },
            { header: t('costAnalysis.resourceGroup'), cell: (r) => r.resourceGroup },
          ];

  if (view.rows.length === 0)
    return (
      <div className={styles.empty} data-testid={`cost-table-${grouping}-empty`}>
        {t('costAnalysis.empty')}
      </div>
    );
  return (
    <Table size="small" className={styles.table} data-testid={`cost-table-${grouping}`}>
      <TableHeader>
        <TableRow>
          {columns.map((c) => (
            <TableHeaderCell key={c.header} className={c.numeric ? styles.numericHeader : styles.headerCell}>
              {c.header}
            </TableHeaderCell>
          ))}
          <TableHeaderCell className={styles.numericHeader}>{t('costAnalysis.cost')}</TableHeaderCell>
          <TableHeaderCell className={styles.numericHeader}>{t('costAnalysis.share')}</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {view.rows.map((r) => (
          <TableRow
            key={`${r.subscriptionId ?? ''}|${r.resourceGroup ?? ''}|${r.resourceId ?? ''}|${r.meterCategory ?? ''}|${r.meter ?? ''}`}
            data-testid="cost-row"
          >
            {columns.map((c) => (
              <TableCell key={c.header} className={c.numeric ? styles.numeric : undefined}>
                {c.cell(r)}
              </TableCell>
            ))}
            <TableCell className={styles.numeric} data-testid="cost-row-cost">
              {money(r.cost)}
            </TableCell>
            <TableCell className={`${styles.numeric} ${styles.muted}`}>{share(r.cost)}</TableCell>
          </TableRow>
        ))}
        <TableRow data-testid="cost-table-total">
          <TableCell>
            <strong>{t('costAnalysis.total')}</strong>
          </TableCell>
          {columns.slice(1).map((c) => (
            <TableCell key={c.header} />
          ))}
          <TableCell className={styles.numeric}>
            <strong>{money(view.total)}</strong>
          </TableCell>
          <TableCell />
        </TableRow>
      </TableBody>
    </Table>
  );
}
