import {
  Badge,
  Button,
  Dropdown,
  Field,
  MessageBar,
  MessageBarBody,
  makeStyles,
  mergeClasses,
  Option,
  OptionGroup,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import { ArrowDownload20Regular } from '@fluentui/react-icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type BillMonths, billCsvUrl, type CustomerDetail } from '../../../api.ts';
import { BeyondPartnerCenterBadge } from '../../../components/commitments/BeyondPartnerCenterBadge.tsx';
import { BoughtByBadge } from '../../../components/commitments/BoughtByBadge.tsx';
import { useCommitmentFormat } from '../../../components/commitments/useCommitmentFormat.ts';
import { ErrorBar, Loading } from '../../../components/QueryState.tsx';
import { RouterLink } from '../../../components/RouterLink.tsx';
import { useTableStyles } from '../../../components/tableStyles.ts';
import { useFormat } from '../../../format.ts';
import { localeOf } from '../../../i18n.ts';
import { paths } from '../../../router.tsx';
import { isAdminAgent, useMe } from '../../../session.ts';
import { billsKey } from './useCustomerCommitments.ts';

const useStyles = makeStyles({
  beyond: { marginLeft: tokens.spacingHorizontalXS },
  toolbar: {
    display: 'flex',
    alignItems: 'flex-end',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalM,
    flexWrap: 'wrap',
    marginBottom: tokens.spacingVerticalM,
  },
  month: { minWidth: '280px' },
  option: { display: 'flex', justifyContent: 'space-between', gap: tokens.spacingHorizontalL, width: '100%' },
  intro: { color: tokens.colorNeutralForeground3, display: 'block', marginBottom: tokens.spacingVerticalM },
  total: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400 },
  credit: { color: tokens.colorPaletteGreenForeground1 },
  footerRow: { backgroundColor: tokens.colorNeutralBackground2 },
  scheduledRow: { color: tokens.colorNeutralForeground3, fontStyle: 'italic' },
  note: { marginBottom: tokens.spacingVerticalM },
});

/** The month this page opens on: the newest billed month (the current one when it has lines), else the first forecast. */
function defaultMonth(months: BillMonths | undefined): string | null {
  return months?.items[0]?.month ?? months?.forecasts[0]?.month ?? null;
}

/** Billing (R8): what the partner is billed for this customer each month, and the CSV export. */
export function CustomerBillingTab({ customer }: { customer: CustomerDetail }) {
  const { t, i18n } = useTranslation();
  const styles = { ...useTableStyles(), ...useStyles() };
  const format = useFormat();
  const f = useCommitmentFormat();
  const me = useMe().data;
  const admin = me ? isAdminAgent(me) : false;
  const months = useQuery({
    queryKey: billsKey(customer.id),
    queryFn: () => api.bills(customer.id),
    enabled: admin,
  });
  const [chosen, setChosen] = useState<string | null>(null);
  const month = chosen ?? defaultMonth(months.data);
  const bill = useQuery({
    queryKey: [...billsKey(customer.id), month],
    queryFn: () => api.bill(customer.id, month!),
    enabled: admin && month !== null,
    placeholderData: keepPreviousData,
  });
  const monthFormat = new Intl.DateTimeFormat(localeOf(i18n.language), {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
  const monthLabel = (value: string) => monthFormat.format(new Date(`${value}-01T00:00:00Z`));

  if (!admin) {
    return (
      <MessageBar intent="warning">
        <MessageBarBody>{t('billing.adminOnly')}</MessageBarBody>
      </MessageBar>
    );
  }
  if (months.isPending) return <Loading />;
  if (months.isError) return <ErrorBar error={months.error} onRetry={() => void months.refetch()} />;
  if (!month) {
    return (
      <div className={styles.surface}>
        <div className={styles.empty}>{t('billing.empty')}</div>
      </div>
    );
  }
  const lines = bill.data?.lines ?? [];
  const monthOption = (m: BillMonths['items'][number]) => (
    <Option key={m.month} value={m.month} text={monthLabel(m.month)}>
      <span className={styles.option}>
        <span>{monthLabel(m.month)}</span>
        <Text size={200} className={styles.muted}>
          {format.money(m.total, m.currency)}
        </Text>
      </span>
    </Option>
  );
  const billed = months.data?.items ?? [];
  const forecasts = months.data?.forecasts ?? [];

  return (
    <div data-testid="customer-billing">
      <Text className={styles.intro}>{t('billing.intro', { company: customer.companyName })}</Text>
      <div className={styles.toolbar}>
        <Field label={t('billing.month')} className={styles.month}>
          <Dropdown
            value={monthLabel(month)}
            selectedOptions={[month]}
            onOptionSelect={(_, data) => data.optionValue && setChosen(data.optionValue)}
            listbox={{ style: { maxHeight: 360 } }}
            data-testid="billing-month"
          >
            {billed.length > 0 && (
              <OptionGroup label={t('billing.billedMonths')}>{billed.map(monthOption)}</OptionGroup>
            )}
            {forecasts.length > 0 && (
              <OptionGroup label={t('billing.forecastMonths')} data-testid="billing-forecast-months">
                {forecasts.map(monthOption)}
              </OptionGroup>
            )}
          </Dropdown>
        </Field>
        <span style={{ display: 'inline-flex', gap: 8, alignItems: 'center' }}>
          {bill.isFetching && <Spinner size="tiny" />}
          <Button
            as="a"
            href={billCsvUrl(customer.id, month)}
            download
            icon={<ArrowDownload20Regular />}
            data-testid="billing-export"
          >
            {t('billing.exportCsv')}
          </Button>
        </span>
      </div>
      {bill.isError && <ErrorBar error={bill.error} onRetry={() => void bill.refetch()} />}
      {bill.data?.forecast ? (
        <MessageBar intent="info" className={styles.note} data-testid="billing-forecast-note">
          <MessageBarBody>{t('billing.forecastNote')}</MessageBarBody>
        </MessageBar>
      ) : (
        lines.some((l) => l.forecast) && (
          <MessageBar intent="info" className={styles.note}>
            <MessageBarBody>{t('billing.partlyScheduled')}</MessageBarBody>
          </MessageBar>
        )
      )}
      {bill.isPending ? (
        <Loading />
      ) : (
        <div className={styles.surface}>
          <Table
            size="small"
            className={styles.table}
            aria-label={t('billing.title')}
            data-testid="billing-table"
          >
            <TableHeader>
              <TableRow>
                <TableHeaderCell className={styles.headerCell}>{t('billing.date')}</TableHeaderCell>
                <TableHeaderCell className={styles.headerCell}>{t('billing.type')}</TableHeaderCell>
                <TableHeaderCell className={styles.headerCell}>{t('billing.commitment')}</TableHeaderCell>
                <TableHeaderCell className={styles.headerCell}>{t('billing.boughtBy')}</TableHeaderCell>
                <TableHeaderCell className={styles.headerCell}>{t('billing.description')}</TableHeaderCell>
                <TableHeaderCell className={styles.numericHeader}>{t('billing.amount')}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {lines.map((line) => (
                <TableRow
                  key={line.id}
                  data-testid="billing-line"
                  data-type={line.type}
                  data-forecast={line.forecast}
                  className={line.forecast ? styles.scheduledRow : undefined}
                >
                  <TableCell className={styles.nowrap}>{format.date(line.date)}</TableCell>
                  <TableCell className={styles.nowrap}>
                    {format.label('billing.types', line.type)}
                    {line.forecast && (
                      <Badge appearance="outline" color="informative" size="small" style={{ marginLeft: 6 }}>
                        {t('billing.scheduled')}
                      </Badge>
                    )}
                  </TableCell>
                  <TableCell>
                    {line.commitmentId && line.kind ? (
                      <RouterLink href={paths.customerCommitment(customer.id, line.kind, line.commitmentId)}>
                        {line.commitmentName ?? line.commitmentId}
                      </RouterLink>
                    ) : (
                      (line.commitmentName ?? t('common.none'))
                    )}
                    {line.kind && (
                      <Text block size={200} className={styles.muted}>
                        {f.kindLabel(line.kind)}
                      </Text>
                    )}
                  </TableCell>
                  <TableCell className={styles.nowrap}>
                    {line.boughtBy ? (
                      <BoughtByBadge boughtBy={line.boughtBy} perspective="partner" />
                    ) : (
                      t('common.none')
                    )}
                    {line.beyondPartnerCenter && <BeyondPartnerCenterBadge className={styles.beyond} />}
                  </TableCell>
                  <TableCell>
                    <Text size={200}>{line.description}</Text>
                  </TableCell>
                  <TableCell
                    className={mergeClasses(styles.numeric, line.amount.startsWith('-') && styles.credit)}
                  >
                    {format.money(line.amount, line.currency)}
                  </TableCell>
                </TableRow>
              ))}
              {bill.data && (
                <TableRow className={styles.footerRow} data-testid="billing-total-row">
                  <TableCell colSpan={5}>
                    <Text weight="semibold">
                      {t('billing.total', { month: monthLabel(bill.data.month) })}
                    </Text>
                  </TableCell>
                  <TableCell
                    className={mergeClasses(styles.numeric, styles.total)}
                    data-testid="billing-total"
                  >
                    {format.money(bill.data.total, bill.data.currency)}
                  </TableCell>
                </TableRow>
              )}
            </TableBody>
          </Table>
          {lines.length === 0 && <div className={styles.empty}>{t('billing.noLines')}</div>}
        </div>
      )}
    </div>
  );
}
