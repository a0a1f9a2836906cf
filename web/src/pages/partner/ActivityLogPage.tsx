import {
  Badge,
  Button,
  makeStyles,
  mergeClasses,
  Spinner,
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
import { ArrowDownload20Regular } from '@fluentui/react-icons';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ActivityView, api, type Page } from '../../api.ts';
import { BoughtByBadge } from '../../components/commitments/BoughtByBadge.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorBar, Loading } from '../../components/QueryState.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { useTableStyles } from '../../components/tableStyles.ts';
import { downloadCsv, toCsv } from '../../csv.ts';
import { utcDay } from '../../dates.ts';
import { type Formatters, useFormat } from '../../format.ts';
import { ActivityFilters, type ActivityFilterValues } from './ActivityFilters.tsx';
import { activityResource, detailOf } from './activityDetails.ts';

const pageSize = 50;

const useStyles = makeStyles({
  boughtBy: { marginLeft: tokens.spacingHorizontalS },
  reason: {
    marginTop: tokens.spacingVerticalXXS,
    color: tokens.colorNeutralForeground3,
    maxWidth: '34ch',
  },
});

export function ActivityLogPage() {
  const { t } = useTranslation();
  const styles = { ...useTableStyles(), ...useStyles() };
  const format = useFormat();
  const [filters, setFilters] = useState<ActivityFilterValues>(() => ({
    startDate: utcDay(30),
    endDate: utcDay(0),
    customerId: '',
    operationType: '',
  }));
  const rangeInvalid = Boolean(filters.startDate && filters.endDate && filters.startDate > filters.endDate);

  const query = useInfiniteQuery({
    queryKey: ['activity', filters],
    queryFn: ({ pageParam }) =>
      api.activity({
        startDate: filters.startDate || undefined,
        endDate: filters.endDate || undefined,
        customerId: filters.customerId || undefined,
        operationType: filters.operationType || undefined,
        size: pageSize,
        continuationToken: pageParam,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last: Page<ActivityView>) => last.continuationToken ?? undefined,
    placeholderData: keepPreviousData,
    enabled: !rangeInvalid,
  });
  const rows = query.data?.pages.flatMap((page) => page.items) ?? [];

  const exportCsv = () => {
    const { header, body } = activityCsv(rows, format, t);
    downloadCsv(`mitra-activity-${filters.startDate}-${filters.endDate}.csv`, toCsv(header, body));
  };

  return (
    <>
      <PageHeader
        title={t('activity.title')}
        description={t('activity.description')}
        actions={
          <Button
            icon={<ArrowDownload20Regular />}
            onClick={exportCsv}
            disabled={rows.length === 0}
            data-testid="activity-export"
          >
            {t('activity.exportCsv')}
          </Button>
        }
      />
      <div className={styles.toolbar}>
        <ActivityFilters
          value={filters}
          onChange={setFilters}
          rangeError={rangeInvalid ? t('activity.invalidRange') : undefined}
        />
        {query.isFetching && !query.isFetchingNextPage && <Spinner size="tiny" />}
      </div>
      {query.isError && <ErrorBar error={query.error} onRetry={() => void query.refetch()} />}
      {query.isPending && !rangeInvalid ? (
        <Loading />
      ) : (
        <div className={styles.surface}>
          <Table
            size="small"
            className={styles.table}
            aria-label={t('activity.title')}
            data-testid="activity-table"
          >
            <TableHeader>
              <TableRow>
                <TableHeaderCell className={styles.headerCell}>{t('activity.dateTime')}</TableHeaderCell>
                <TableHeaderCell className={styles.headerCell}>
                  {t('activity.affectedCustomer')}
                </TableHeaderCell>
                <TableHeaderCell className={styles.headerCell}>{t('activity.action')}</TableHeaderCell>
                <TableHeaderCell className={styles.headerCell}>{t('activity.partnerUser')}</TableHeaderCell>
                <TableHeaderCell className={styles.headerCell}>{t('activity.status')}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {rows.map((row) => (
                <TableRow key={row.id} data-testid="activity-row" data-operation-type={row.operationType}>
                  <TableCell className={styles.nowrap}>{format.dateTime(row.operationDate)}</TableCell>
                  <TableCell>
                    {row.customerName ?? <Text className={styles.muted}>{t('common.none')}</Text>}
                  </TableCell>
                  <TableCell>
                    <div>
                      {format.operation(row.operationType)}
                      {detailOf(row, 'boughtBy') === 'customer' && (
                        <span className={styles.boughtBy}>
                          <BoughtByBadge boughtBy="customer" perspective="partner" />
                        </span>
                      )}
                      {row.beyondPartnerCenter && (
                        <Tooltip content={t('activity.beyondPartnerCenterHint')} relationship="description">
                          <Badge
                            appearance="tint"
                            color="brand"
                            size="small"
                            className={styles.boughtBy}
                            data-testid="activity-beyond-partner-center"
                          >
                            {t('activity.beyondPartnerCenter')}
                          </Badge>
                        </Tooltip>
                      )}
                    </div>
                    <Text size={200} className={styles.muted} data-testid="activity-resource">
                      {activityResource(row, t, format)}
                    </Text>
                  </TableCell>
                  <TableCell className={mergeClasses(styles.nowrap, !row.userPrincipalName && styles.muted)}>
                    {actorOf(row, t) ?? t('common.none')}
                  </TableCell>
                  <TableCell>
                    <StatusBadge group="operationStatus" status={row.operationStatus} />
                    {row.operationStatus !== 'succeeded' && detailOf(row, 'reason') && (
                      <Text block size={200} className={styles.reason} data-testid="activity-reason">
                        {detailOf(row, 'reason')}
                      </Text>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {rows.length === 0 && !rangeInvalid && <div className={styles.empty}>{t('activity.empty')}</div>}
        </div>
      )}
      {rows.length > 0 && (
        <div className={styles.footer}>
          <Text data-testid="activity-count">{t('common.shown', { count: rows.length })}</Text>
          {query.hasNextPage && (
            <Button
              onClick={() => void query.fetchNextPage()}
              disabled={query.isFetchingNextPage}
              icon={query.isFetchingNextPage ? <Spinner size="tiny" /> : undefined}
              data-testid="load-more"
            >
              {t('common.loadMore')}
            </Button>
          )}
        </div>
      )}
    </>
  );
}

type Translate = (key: string, options?: Record<string, unknown>) => string;

function actorOf(row: ActivityView, t: Translate): string | null {
  if (row.userPrincipalName) return row.userPrincipalName;
  if (row.applicationId) return t('activity.application', { id: row.applicationId });
  return null;
}

/** The rows already loaded on the page, with the same words the table shows, plus raw codes. */
function activityCsv(rows: ActivityView[], format: Formatters, t: Translate) {
  const header = [
    t('activity.dateTime'),
    t('activity.affectedCustomer'),
    t('activity.action'),
    'operationType',
    t('activity.resource'),
    t('activity.partnerUser'),
    t('activity.status'),
    t('activity.reason'),
  ];
  const body = rows.map((row) => [
    row.operationDate,
    row.customerName,
    format.operation(row.operationType),
    row.operationType,
    activityResource(row, t, format),
    actorOf(row, t),
    format.label('operationStatus', row.operationStatus),
    detailOf(row, 'reason'),
  ]);
  return { header, body };
}
