import { MessageBar, MessageBarBody, makeStyles, Text, tokens } from '@fluentui/react-components';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type CostView, partnerCostsCsvUrl } from '../../../api.ts';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { ErrorBar, Loading } from '../../../components/QueryState.tsx';
import { RouterLink } from '../../../components/RouterLink.tsx';
import { useFormat } from '../../../format.ts';
import { paths } from '../../../router.tsx';
import { isAdminAgent, useMe } from '../../../session.ts';
import { CostChart } from './CostChart.tsx';
import { CostControls, recentMonths, useMonthLabel } from './CostControls.tsx';
import { CostTable } from './CostTable.tsx';

const useStyles = makeStyles({
  note: { color: tokens.colorNeutralForeground3, display: 'block', marginBottom: tokens.spacingVerticalM },
  bar: { marginBottom: tokens.spacingVerticalM },
});

/** Costs across customers (issue 9): one month, every customer, what the partner pays and bills. */
export function PartnerCostsPage() {
  const { t } = useTranslation();
  const styles = useStyles();
  const format = useFormat();
  const label = useMonthLabel();
  const me = useMe().data;
  const admin = me ? isAdminAgent(me) : false;
  const months = recentMonths(13);
  const [month, setMonth] = useState(months[0]);
  const [view, setView] = useState<CostView>('actual');
  const costs = useQuery({
    queryKey: ['costs', month, view],
    queryFn: () => api.partnerCosts(month, view),
    enabled: admin,
    placeholderData: keepPreviousData,
  });
  const money = (amount: string) => format.money(amount, costs.data?.currency ?? 'USD');

  return (
    <>
      <PageHeader title={t('costs.title')} description={t('costs.description')} />
      {!admin ? (
        <MessageBar intent="warning">
          <MessageBarBody>{t('costs.adminOnly')}</MessageBarBody>
        </MessageBar>
      ) : (
        <div data-testid="partner-costs">
          <CostControls
            view={view}
            onView={setView}
            month={{ value: month, options: months, onChange: setMonth }}
            csvUrl={partnerCostsCsvUrl(month, view)}
            fetching={costs.isFetching}
          />
          <Text className={styles.note}>{t(`costs.explain.${view}`)}</Text>
          {costs.data && !costs.data.closed && (
            <MessageBar intent="info" className={styles.bar} data-testid="costs-open-month">
              <MessageBarBody>{t('costs.openMonth', { month: label.long(month) })}</MessageBarBody>
            </MessageBar>
          )}
          {costs.isPending ? (
            <Loading />
          ) : costs.isError ? (
            <ErrorBar error={costs.error} onRetry={() => void costs.refetch()} />
          ) : (
            <>
              <CostChart
                testId="partner-costs-chart"
                money={money}
                groups={costs.data.lines.map((l) => ({
                  key: l.customerId,
                  label: l.customerName,
                  figures: l,
                }))}
              />
              <CostTable
                testId="partner-costs-table"
                view={view}
                firstColumn={t('costs.customer')}
                money={money}
                rows={costs.data.lines.map((l) => ({
                  key: l.customerId,
                  label: (
                    <RouterLink href={paths.customer(l.customerId, 'costs')}>{l.customerName}</RouterLink>
                  ),
                  figures: l,
                }))}
                total={costs.data.total}
              />
            </>
          )}
        </div>
      )}
    </>
  );
}
