import {
  Button,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Tooltip,
} from '@fluentui/react-components';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { ErrorBar, Loading } from '../../components/QueryState.tsx';
import { SubscriptionCells, SubscriptionHeaderCells } from '../../components/SubscriptionCells.tsx';
import { useTableStyles } from '../../components/tableStyles.ts';

export function CustomerSubscriptionsTab({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const styles = useTableStyles();
  const query = useQuery({
    queryKey: ['customers', 'detail', customerId, 'subscriptions'],
    queryFn: () => api.customerSubscriptions(customerId),
  });

  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorBar error={query.error} onRetry={() => void query.refetch()} />;
  const subscriptions = query.data.items;

  return (
    <div className={styles.surface}>
      <Table
        size="small"
        className={styles.table}
        aria-label={t('customer.subscriptions')}
        data-testid="subscriptions-table"
      >
        <TableHeader>
          <TableRow>
            <SubscriptionHeaderCells />
            <TableHeaderCell className={styles.headerCell} aria-label={t('subscriptions.actions')} />
          </TableRow>
        </TableHeader>
        <TableBody>
          {subscriptions.map((subscription) => (
            <TableRow key={subscription.id} data-testid="subscription-row">
              <SubscriptionCells subscription={subscription} />
              <TableCell className={styles.nowrap}>
                <Tooltip content={t('common.comingSoon')} relationship="description">
                  <Button size="small" disabledFocusable data-testid="subscription-manage">
                    {t('subscriptions.manage')}
                  </Button>
                </Tooltip>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {subscriptions.length === 0 && <div className={styles.empty}>{t('subscriptions.empty')}</div>}
    </div>
  );
}
