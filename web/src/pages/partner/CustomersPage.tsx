import {
  Badge,
  Button,
  Field,
  SearchBox,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type CustomerPage } from '../../api.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorBar, Loading } from '../../components/QueryState.tsx';
import { RouterLink } from '../../components/RouterLink.tsx';
import { useTableStyles } from '../../components/tableStyles.ts';
import { useFormat } from '../../format.ts';
import { paths } from '../../router.tsx';
import { useDebounced } from '../../useDebounced.ts';
import { FocusExportButton } from './FocusExportButton.tsx';
import { AddCustomerButton } from './jobs/AddCustomerButton.tsx';

const pageSize = 50;

export function CustomersPage() {
  const { t } = useTranslation();
  const styles = useTableStyles();
  const format = useFormat();
  const [search, setSearch] = useState('');
  const term = useDebounced(search.trim());

  const query = useInfiniteQuery({
    queryKey: ['customers', 'list', term],
    queryFn: ({ pageParam }) => api.customers({ search: term, size: pageSize, continuationToken: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last: CustomerPage) => last.continuationToken ?? undefined,
    placeholderData: keepPreviousData,
  });

  const customers = query.data?.pages.flatMap((page) => page.items) ?? [];
  const total = query.data?.pages[0]?.totalCount ?? customers.length;

  return (
    <>
      <PageHeader
        title={t('customers.title')}
        description={t('customers.description')}
        actions={
          <>
            <FocusExportButton />
            <AddCustomerButton />
          </>
        }
      />
      <div className={styles.toolbar}>
        <Field label={t('customers.search')} style={{ width: 360, maxWidth: '100%' }}>
          <SearchBox
            value={search}
            onChange={(_, data) => setSearch(data.value)}
            placeholder={t('customers.searchPlaceholder')}
            data-testid="customer-search"
          />
        </Field>
        {query.isFetching && !query.isFetchingNextPage && <Spinner size="tiny" />}
      </div>
      {query.isError && <ErrorBar error={query.error} onRetry={() => void query.refetch()} />}
      {query.isPending ? (
        <Loading />
      ) : (
        <div className={styles.surface}>
          <Table
            size="small"
            className={styles.table}
            aria-label={t('customers.title')}
            data-testid="customers-table"
          >
            <TableHeader>
              <TableRow>
                <TableHeaderCell className={styles.headerCell}>{t('customers.companyName')}</TableHeaderCell>
                <TableHeaderCell className={styles.headerCell}>{t('customers.domain')}</TableHeaderCell>
                <TableHeaderCell className={styles.headerCell}>{t('customers.country')}</TableHeaderCell>
                <TableHeaderCell className={styles.headerCell}>{t('customers.currency')}</TableHeaderCell>
                <TableHeaderCell className={styles.numericHeader}>
                  {t('customers.subscriptions')}
                </TableHeaderCell>
                <TableHeaderCell className={styles.headerCell}>{t('customers.azurePlan')}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {customers.map((customer) => (
                <TableRow key={customer.id} data-testid="customer-row" data-customer-id={customer.id}>
                  <TableCell>
                    <RouterLink href={paths.customer(customer.id)} data-testid="customer-link">
                      {customer.companyName}
                    </RouterLink>
                  </TableCell>
                  <TableCell className={styles.muted}>{customer.domain}</TableCell>
                  <TableCell title={customer.country}>{format.country(customer.country)}</TableCell>
                  <TableCell>{customer.currency}</TableCell>
                  <TableCell className={styles.numeric}>
                    {format.number(customer.subscriptionCount)}
                  </TableCell>
                  <TableCell>
                    {customer.hasAzurePlan ? (
                      <Badge appearance="tint" color="brand" shape="rounded">
                        {t('productType.azure_plan')}
                      </Badge>
                    ) : (
                      <Text className={styles.muted}>{t('common.none')}</Text>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {customers.length === 0 && (
            <div className={styles.empty}>
              {term ? t('customers.noMatch', { search: term }) : t('customers.empty')}
            </div>
          )}
        </div>
      )}
      {!query.isPending && customers.length > 0 && (
        <div className={styles.footer}>
          <Text data-testid="customers-count">{t('common.shownOf', { shown: customers.length, total })}</Text>
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
