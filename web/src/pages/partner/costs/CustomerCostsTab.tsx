import { MessageBar, MessageBarBody, makeStyles, Text, tokens } from '@fluentui/react-components';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type CostView, type CustomerDetail, customerCostsCsvUrl } from '../../../api.ts';
import { ErrorBar, Loading } from '../../../components/QueryState.tsx';
import { useFormat } from '../../../format.ts';
import { isAdminAgent, useMe } from '../../../session.ts';
import { CostChart } from './CostChart.tsx';
import { CostControls, recentMonths, useMonthLabel } from './CostControls.tsx';
import { CostTable } from './CostTable.tsx';

const useStyles = makeStyles({
  note: { color: tokens.colorNeutralForeground3, display: 'block', marginBottom: tokens.spacingVerticalM },
});

/** A customer's costs month by month (issue 9): the last twelve months, chart and table. */
export function CustomerCostsTab({ customer }: { customer: CustomerDetail }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const format = useFormat();
  const label = useMonthLabel();
  const me = useMe().data;
  const admin = me ? isAdminAgent(me) : false;
  const [view, setView] = useState<CostView>('actual');
  const months = recentMonths(12);
  const from = months[months.length - 1];
  const to = months[0];
  const costs = useQuery({
    queryKey: ['customers', customer.id, 'costs', from, to, view],
    queryFn: () => api.customerCosts(customer.id, from, to, view),
    enabled: admin,
    placeholderData: keepPreviousData,
  });
  if (!admin) {
    return (
      <MessageBar intent="warning">
        <MessageBarBody>{t('costs.adminOnly')}</MessageBarBody>
      </MessageBar>
    );
  }
  const money = (amount: string) => format.money(amount, costs.data?.currency ?? 'USD');
  return (
    <div data-testid="customer-costs">
      <CostControls
        view={view}
        onView={setView}
        csvUrl={customerCostsCsvUrl(customer.id, from, to, view)}
        fetching={costs.isFetching}
      />
      <Text className={styles.note}>
        {t(`costs.explain.${view}`)}{' '}
        {costs.data && costs.data.billingCurrency !== costs.data.currency
          ? t('costs.currencyNote', { currency: costs.data.currency, billing: costs.data.billingCurrency })
          : null}
      </Text>
      {costs.isPending ? (
        <Loading />
      ) : costs.isError ? (
        <ErrorBar error={costs.error} onRetry={() => void costs.refetch()} />
      ) : (
        <>
          <CostChart
            testId="customer-costs-chart"
            money={money}
            groups={costs.data.lines.map((l) => ({ key: l.month, label: label.short(l.month), figures: l }))}
          />
          <CostTable
            testId="customer-costs-table"
            view={view}
            firstColumn={t('costs.month')}
            money={money}
            rows={costs.data.lines.map((l) => ({
              key: l.month,
              // "open" matters for a month with figures: its usage is priced as the draft invoice does.
              label:
                l.closed || (l.billed === '0.00' && l.partnerPays === '0.00')
                  ? label.long(l.month)
                  : `${label.long(l.month)} · ${t('costs.open')}`,
              figures: l,
            }))}
            total={costs.data.total}
          />
        </>
      )}
    </div>
  );
}
