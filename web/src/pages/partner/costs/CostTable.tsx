import {
  makeStyles,
  mergeClasses,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  tokens,
} from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CostFigures, CostView } from '../../../api.ts';
import { useTableStyles } from '../../../components/tableStyles.ts';

const useStyles = makeStyles({
  totalRow: { backgroundColor: tokens.colorNeutralBackground2, fontWeight: tokens.fontWeightSemibold },
  negative: { color: tokens.colorPaletteRedForeground1 },
});

/** The columns each view has: actual shows purchases, amortized the unused charges instead. */
export function costColumnsOf(view: CostView): (keyof CostFigures)[] {
  return [
    'usageRetail',
    'usage',
    ...(view === 'actual'
      ? (['purchases'] as const)
      : (['unusedReservations', 'unusedSavingsPlans'] as const)),
    'partnerPays',
    'billed',
    'margin',
    'savings',
  ];
}

/** One row per month or customer, then the totals; each figure as the API rounded it. */
export function CostTable(props: {
  view: CostView;
  firstColumn: string;
  rows: { key: string; label: ReactNode; figures: CostFigures }[];
  total: CostFigures;
  money: (amount: string) => string;
  testId: string;
}) {
  const { t } = useTranslation();
  const styles = { ...useTableStyles(), ...useStyles() };
  const columns = costColumnsOf(props.view);
  const cell = (f: CostFigures, c: keyof CostFigures) => {
    const v = f[c] ?? '0';
    return (
      <TableCell
        key={c}
        className={mergeClasses(
          styles.numeric,
          v.startsWith('-') && c === 'margin' ? styles.negative : undefined,
        )}
        data-column={c}
      >
        {props.money(v)}
      </TableCell>
    );
  };
  return (
    <div className={styles.surface}>
      <Table size="small" className={styles.table} data-testid={props.testId} aria-label={t('costs.title')}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell className={styles.headerCell}>{props.firstColumn}</TableHeaderCell>
            {columns.map((c) => (
              <TableHeaderCell key={c} className={styles.numericHeader}>
                {t(`costs.columns.${c}`)}
              </TableHeaderCell>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {props.rows.map((r) => (
            <TableRow key={r.key} data-testid="cost-row" data-key={r.key}>
              <TableCell className={styles.nowrap}>{r.label}</TableCell>
              {columns.map((c) => cell(r.figures, c))}
            </TableRow>
          ))}
          <TableRow className={styles.totalRow} data-testid="cost-total">
            <TableCell className={styles.nowrap}>{t('costs.total')}</TableCell>
            {columns.map((c) => cell(props.total, c))}
          </TableRow>
        </TableBody>
      </Table>
    </div>
  );
}
