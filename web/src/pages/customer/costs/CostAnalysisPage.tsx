import {
  Button,
  Dropdown,
  Field,
  Input,
  makeStyles,
  Option,
  Tab,
  TabList,
  Text,
  tokens,
} from '@fluentui/react-components';
import { ArrowDownload20Regular } from '@fluentui/react-icons';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  api,
  type CostAnalysisQuery,
  type CostGrouping,
  type CostPreset,
  isApiError,
  type Me,
  myCostsCsvUrl,
} from '../../../api.ts';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { ErrorBar, Loading } from '../../../components/QueryState.tsx';
import { useTableStyles } from '../../../components/tableStyles.ts';
import { utcDay } from '../../../dates.ts';
import { useFormat } from '../../../format.ts';
import { CostChart } from './CostChart.tsx';
import { CostTable } from './CostTable.tsx';

const presets: CostPreset[] = ['thisMonth', 'lastMonth', 'last30Days', 'last90Days'];
type Period = CostPreset | 'custom';
type TableGrouping = Extract<CostGrouping, 'meter' | 'resourceGroup' | 'resource'>;
const tables: TableGrouping[] = ['meter', 'resourceGroup', 'resource'];
const tableTitle: Record<TableGrouping, string> = {
  meter: 'costAnalysis.byMeter',
  resourceGroup: 'costAnalysis.byResourceGroup',
  resource: 'costAnalysis.byResource',
};
const all = '';

const useStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  toolbar: { display: 'flex', alignItems: 'flex-end', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  picker: { minWidth: '220px' },
  card: {
    backgroundColor: tokens.colorNeutralBackground1,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    boxShadow: tokens.shadow2,
    padding: tokens.spacingHorizontalL,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
  },
  summary: { display: 'flex', alignItems: 'baseline', gap: tokens.spacingHorizontalXL, flexWrap: 'wrap' },
  total: {
    fontSize: tokens.fontSizeHero700,
    lineHeight: tokens.lineHeightHero700,
    fontWeight: tokens.fontWeightSemibold,
  },
  muted: { color: tokens.colorNeutralForeground3 },
  heading: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400 },
  tableHead: {
    display: 'flex',
    justifyContent: 'space-between',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    flexWrap: 'wrap',
  },
});

/**
 * The customer's cost analysis (R17, R18): consumption at pay-as-you-go retail in the billing
 * currency, by day, service and meter, resource group and resource, at subscription or
 * resource-group scope. Every figure and the rate are the server's; the page only formats them.
 * While the partner has cost management off, the page is one sentence.
 */
export function CostAnalysisPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  const styles = { ...useTableStyles(), ...useStyles() };
  const format = useFormat();
  const [period, setPeriod] = useState<Period>('thisMonth');
  const [custom, setCustom] = useState({ from: utcDay(29), to: utcDay(0) });
  const [applied, setApplied] = useState(custom);
  const [subscriptionId, setSubscriptionId] = useState<string | null>(null);
  const [resourceGroup, setResourceGroup] = useState(all);
  const [table, setTable] = useState<TableGrouping>('meter');

  const subscriptions = useQuery({ queryKey: ['my', 'subscriptions'], queryFn: api.mySubscriptions });
  const azure = (subscriptions.data?.items ?? []).filter((s) => s.productType !== 'license');
  // One subscription: that is the scope. Several: all of them until one is picked.
  const scopeId = subscriptionId ?? (azure.length === 1 ? azure[0].id : all);
  const range = period === 'custom' ? { from: applied.from, to: applied.to } : { preset: period };
  const base = {
    ...range,
    subscriptionId: scopeId || undefined,
    resourceGroup: scopeId && resourceGroup ? resourceGroup : undefined,
  };
  const costs = (groupBy: CostGrouping, scope: Omit<CostAnalysisQuery, 'groupBy'> = base) => {
    const query = { ...scope, groupBy };
    return {
      queryKey: ['my', 'costs', query],
      queryFn: () => api.myCosts(query),
      enabled: subscriptions.isSuccess,
      retry: (count: number, error: unknown) => !isApiError(error, 403) && count < 2,
    };
  };
  const daily = useQuery(costs('day'));
  const lines = useQuery(costs(table));
  // The resource groups to pick from: the subscription's, whichever one is picked.
  const groups = useQuery({
    ...costs('resourceGroup', { ...base, resourceGroup: undefined }),
    enabled: Boolean(scopeId) && subscriptions.isSuccess,
  });

  const disabled = [daily, lines].some(
    (q) => isApiError(q.error, 403) && q.error.code === 'cost-management-disabled',
  );
  if (disabled)
    return (
      <>
        <PageHeader title={t('costAnalysis.title')} />
        <div className={styles.surface}>
          <div className={styles.empty} data-testid="cost-analysis-disabled">
            {t('costAnalysis.disabled')}
          </div>
        </div>
      </>
    );

  const view = daily.data;
  const customValid = Boolean(custom.from && custom.to && custom.from <= custom.to);
  const rateNumber = (rate: string) =>
    new Intl.NumberFormat(format.locale, { minimumFractionDigits: 2, maximumFractionDigits: 4 }).format(
      rate as Intl.StringNumericLiteral,
    );

  return (
    <>
      <PageHeader
        title={t('costAnalysis.title')}
        description={t('costAnalysis.description', {
          company: me.tenant.name,
          currency: view?.currency ?? '',
        })}
      />
      <div className={styles.stack}>
        <div className={styles.toolbar}>
          <Field label={t('costAnalysis.scope')} size="small">
            <Dropdown
              size="small"
              className={styles.picker}
              value={azure.find((s) => s.id === scopeId)?.friendlyName ?? t('costAnalysis.allSubscriptions')}
              selectedOptions={[scopeId]}
              onOptionSelect={(_, d) => {
                setSubscriptionId(d.optionValue ?? all);
                setResourceGroup(all);
              }}
              data-testid="cost-subscription"
            >
              {azure.length > 1 && <Option value={all}>{t('costAnalysis.allSubscriptions')}</Option>}
              {azure.map((s) => (
                <Option key={s.id} value={s.id} text={s.friendlyName}>
                  {s.friendlyName}
                </Option>
              ))}
            </Dropdown>
          </Field>
          <Field label={t('costAnalysis.resourceGroup')} size="small">
            <Dropdown
              size="small"
              className={styles.picker}
              disabled={!scopeId}
              value={resourceGroup || t('costAnalysis.allResourceGroups')}
              selectedOptions={[resourceGroup]}
              onOptionSelect={(_, d) => setResourceGroup(d.optionValue ?? all)}
              data-testid="cost-resource-group"
            >
              <Option value={all}>{t('costAnalysis.allResourceGroups')}</Option>
              {(groups.data?.rows ?? [])
                .map((r) => r.resourceGroup ?? '')
                .sort()
                .map((rg) => (
                  <Option key={rg} value={rg}>
                    {rg}
                  </Option>
                ))}
            </Dropdown>
          </Field>
          <Field label={t('costAnalysis.period')} size="small">
            <Dropdown
              size="small"
              className={styles.picker}
              value={t(`costAnalysis.presets.${period}`)}
              selectedOptions={[period]}
              onOptionSelect={(_, d) => d.optionValue && setPeriod(d.optionValue as Period)}
              data-testid="cost-period"
            >
              {[...presets, 'custom' as const].map((p) => (
                <Option key={p} value={p} data-testid={`cost-period-${p}`}>
                  {t(`costAnalysis.presets.${p}`)}
                </Option>
              ))}
            </Dropdown>
          </Field>
          {period === 'custom' && (
            <>
              <Field label={t('costAnalysis.from')} size="small">
                <Input
                  size="small"
                  type="date"
                  value={custom.from}
                  onChange={(_, d) => setCustom((c) => ({ ...c, from: d.value }))}
                  data-testid="cost-from"
                />
              </Field>
              <Field
                label={t('costAnalysis.to')}
                size="small"
                validationMessage={customValid ? undefined : t('costAnalysis.customInvalid')}
              >
                <Input
                  size="small"
                  type="date"
                  value={custom.to}
                  onChange={(_, d) => setCustom((c) => ({ ...c, to: d.value }))}
                  data-testid="cost-to"
                />
              </Field>
              <Button
                size="small"
                disabled={!customValid}
                onClick={() => setApplied(custom)}
                data-testid="cost-apply"
              >
                {t('costAnalysis.apply')}
              </Button>
            </>
          )}
        </div>

        {daily.isError && <ErrorBar error={daily.error} onRetry={() => void daily.refetch()} />}
        {daily.isPending || subscriptions.isPending ? (
          <Loading />
        ) : (
          view && (
            <div className={styles.card} data-testid="cost-summary">
              <div className={styles.summary}>
                <div>
                  <Text className={styles.muted} block>
                    {t('costAnalysis.total')} ·{' '}
                    {t('costAnalysis.range', { from: format.date(view.from), to: format.date(view.to) })}
                  </Text>
                  {/* The total of the table below: each view's total is the sum of its rounded
                      lines, so the figure on top is the one its lines add up to on screen. */}
                  <Text className={styles.total} data-testid="cost-total">
                    {format.money(lines.data?.total ?? view.total, view.currency)}
                  </Text>
                </div>
                <Text className={styles.muted} data-testid="cost-rate">
                  {view.rate
                    ? t('costAnalysis.rate', {
                        base: view.rate.base,
                        quote: view.rate.quote,
                        rate: rateNumber(view.rate.rate),
                        date: format.date(view.rate.date),
                      })
                    : t('costAnalysis.noRate', { currency: view.currency })}
                </Text>
              </div>
              <Text className={styles.muted} size={200}>
                {t('costAnalysis.basis')}
              </Text>
              <Text className={styles.heading}>{t('costAnalysis.daily')}</Text>
              <CostChart
                rows={view.rows}
                from={view.from}
                to={view.to}
                currency={view.currency}
                total={view.total}
              />
            </div>
          )
        )}

        <div className={styles.card} data-testid="cost-tables">
          <div className={styles.tableHead}>
            <TabList
              selectedValue={table}
              onTabSelect={(_, d) => setTable(d.value as TableGrouping)}
              size="small"
            >
              {tables.map((g) => (
                <Tab key={g} value={g} data-testid={`cost-tab-${g}`}>
                  {t(tableTitle[g])}
                </Tab>
              ))}
            </TabList>
            <Button
              as="a"
              size="small"
              href={myCostsCsvUrl({ ...base, groupBy: table })}
              download
              icon={<ArrowDownload20Regular />}
              data-testid="cost-csv"
            >
              {t('costAnalysis.downloadCsv')}
            </Button>
          </div>
          {lines.isError && !disabled && (
            <ErrorBar error={lines.error} onRetry={() => void lines.refetch()} />
          )}
          {lines.isPending ? <Loading /> : lines.data && <CostTable view={lines.data} grouping={table} />}
        </div>
      </div>
    </>
  );
}
