import {
  Button,
  Field,
  makeStyles,
  SearchBox,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Tooltip,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTableStyles } from '../../../components/tableStyles.ts';
import { useFormat } from '../../../format.ts';
import { type PriceKind, type PriceRow, priceKinds } from '../../../priceLists.ts';

const useStyles = makeStyles({
  price: { fontWeight: tokens.fontWeightSemibold },
  changed: { color: tokens.colorPaletteGreenForeground1 },
  loss: { color: tokens.colorPaletteRedForeground1 },
  item: { display: 'flex', flexDirection: 'column', minWidth: '200px' },
  stacked: { display: 'inline-flex', flexDirection: 'column', alignItems: 'flex-end' },
  basis: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  note: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
});

const pageSize = 50;
const matches = (row: PriceRow, needle: string) =>
  [row.catalogItemId, row.productTitle, row.skuTitle].some((text) => text.toLowerCase().includes(needle));

/**
 * Every price row under a list: retail, the customer's unit price, how it was set, the partner's
 * own cost and the margin. Unit prices keep up to six decimals (the partner needs them) and are
 * labelled as unit prices.
 */
export function PriceTable(props: {
  rows: PriceRow[];
  currency: string;
  current?: PriceRow[];
  testId: string;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const table = useTableStyles();
  const format = useFormat();
  const [filter, setFilter] = useState('');
  const [kind, setKind] = useState<PriceKind | ''>('reservations');
  const [shown, setShown] = useState(pageSize);
  const needle = filter.trim().toLowerCase();
  // Sizes and regions in reading order (the API's order follows catalog ids, meaningless to people).
  const rows = props.rows
    .filter((r) => (!kind || r.kind === kind) && (!needle || matches(r, needle)))
    .sort(
      (a, b) =>
        a.productTitle.localeCompare(b.productTitle) ||
        a.skuTitle.localeCompare(b.skuTitle, undefined, { numeric: true }) ||
        a.termDuration.localeCompare(b.termDuration) ||
        b.billingPlan.localeCompare(a.billingPlan),
    );
  const before = new Map(
    (props.current ?? []).map((r) => [`${r.catalogItemId}|${r.billingPlan}`, r.unitPrice] as const),
  );
  const percentFormat = new Intl.NumberFormat(format.locale, { maximumFractionDigits: 2 });
  const percent = (value: string | null) =>
    value === null ? '' : percentFormat.format(value as Intl.StringNumericLiteral);
  const money = (amount: string | null) =>
    amount === null ? t('common.none') : format.unitPrice(amount, props.currency);

  return (
    <div data-testid={props.testId}>
      <div className={table.toolbar}>
        <Field label={t('priceList.filter')}>
          <SearchBox
            value={filter}
            onChange={(_, data) => {
              setFilter(data.value);
              setShown(pageSize);
            }}
            placeholder={t('priceList.filterPlaceholder')}
            style={{ width: 320, maxWidth: '100%' }}
            data-testid={`${props.testId}-filter`}
          />
        </Field>
        <Field label={t('priceList.columns.kind')}>
          <Select
            value={kind}
            onChange={(_, data) => {
              setKind(data.value as PriceKind | '');
              setShown(pageSize);
            }}
            data-testid={`${props.testId}-kind`}
          >
            <option value="">{t('priceList.kindAll')}</option>
            {priceKinds.map((k) => (
              <option key={k} value={k}>
                {t(`priceList.kinds.${k}`)}
              </option>
            ))}
          </Select>
        </Field>
        <Text className={styles.note}>{t('priceList.unitPriceNote')}</Text>
      </div>
      <div className={table.surface}>
        <Table size="small" className={table.table} aria-label={t('priceList.previewTitle')}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell className={table.headerCell}>{t('priceList.columns.item')}</TableHeaderCell>
              <TableHeaderCell className={table.headerCell}>
                {t('priceList.columns.termPlan')}
              </TableHeaderCell>
              <TableHeaderCell className={table.numericHeader}>
                {t('priceList.columns.retail')}
              </TableHeaderCell>
              <TableHeaderCell className={table.numericHeader}>
                {t('priceList.columns.price')}
              </TableHeaderCell>
              <TableHeaderCell className={table.numericHeader}>{t('priceList.columns.cost')}</TableHeaderCell>
              <TableHeaderCell className={table.numericHeader}>
                {t('priceList.columns.margin')}
              </TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.slice(0, shown).map((r) => {
              const was = before.get(`${r.catalogItemId}|${r.billingPlan}`);
              const changed = was !== undefined && was !== r.unitPrice;
              const negative = r.margin?.startsWith('-') ?? false;
              return (
                <TableRow key={`${r.catalogItemId}|${r.billingPlan}`} data-testid="price-list-row">
                  <TableCell>
                    <span className={styles.item}>
                      <span>{r.skuTitle === r.productTitle ? r.productTitle : r.skuTitle}</span>
                      <span className={table.mono}>{r.catalogItemId}</span>
                    </span>
                  </TableCell>
                  <TableCell className={table.nowrap}>
                    {[
                      r.termDuration ? format.duration(r.termDuration) : null,
                      format.label('billingPlan', r.billingPlan),
                    ]
                      .filter(Boolean)
                      .join(' · ')}
                  </TableCell>
                  <TableCell className={table.numeric}>{money(r.retailUnitPrice)}</TableCell>
                  <TableCell className={table.numeric}>
                    <span className={styles.stacked}>
                      <span className={changed ? `${styles.price} ${styles.changed}` : styles.price}>
                        {money(r.unitPrice)}
                      </span>
                      <span className={styles.basis}>
                        {t(`priceList.basis.${r.basis}`, { percent: percent(r.markupPercent) })}
                      </span>
                    </span>
                  </TableCell>
                  <TableCell className={table.numeric}>
                    {r.costUnitPrice === null ? (
                      <Tooltip content={t('priceList.noCostHint')} relationship="description">
                        <span className={table.muted}>{t('priceList.noCost')}</span>
                      </Tooltip>
                    ) : (
                      money(r.costUnitPrice)
                    )}
                  </TableCell>
                  <TableCell className={table.numeric}>
                    {r.margin === null ? (
                      t('common.none')
                    ) : (
                      <span className={negative ? styles.loss : undefined}>
                        {money(r.margin)}
                        {r.marginPercent !== null && ` (${format.percent(Number(r.marginPercent))})`}
                      </span>
                    )}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
        {rows.length === 0 && (
          <div className={table.empty}>{t('priceList.noMatch', { filter: filter.trim() })}</div>
        )}
      </div>
      {rows.length > shown && (
        <div className={table.footer}>
          <Button onClick={() => setShown(shown + pageSize)} data-testid={`${props.testId}-more`}>
            {t('priceList.showMore', { shown, total: rows.length })}
          </Button>
        </div>
      )}
    </div>
  );
}
