import {
  Badge,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, type Me } from '../../api.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorBar, Loading } from '../../components/QueryState.tsx';
import { SubscriptionCells, SubscriptionHeaderCells } from '../../components/SubscriptionCells.tsx';
import { useTableStyles } from '../../components/tableStyles.ts';
import { useFormat } from '../../format.ts';

export function MySubscriptionsPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  const styles = useTableStyles();
  const format = useFormat();
  const query = useQuery({ queryKey: ['my', 'subscriptions'], queryFn: api.mySubscriptions });

  return (
    <>
      <PageHeader
        title={t('mySubscriptions.title')}
        description={t('mySubscriptions.description', { company: me.tenant.name })}
      />
      {query.isError && <ErrorBar error={query.error} onRetry={() => void query.refetch()} />}
      {query.isPending ? (
        <Loading />
      ) : (
        <div className={styles.surface}>
          <Table
            size="small"
            className={styles.table}
            aria-label={t('mySubscriptions.title')}
            data-testid="my-subscriptions-table"
          >
            <TableHeader>
              <TableRow>
                <SubscriptionHeaderCells />
                <TableHeaderCell className={styles.headerCell}>{t('subscriptions.roles')}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {(query.data?.items ?? []).map((subscription) => (
                <TableRow key={subscription.id} data-testid="my-subscription-row">
                  <SubscriptionCells subscription={subscription} />
                  <TableCell>
                    {subscription.roles.length === 0 ? (
                      <Text className={styles.muted}>{t('common.none')}</Text>
                    ) : (
                      subscription.roles.map((role) => (
                        <Badge
                          key={role}
                          appearance={role === 'Owner' ? 'filled' : 'outline'}
                          color="brand"
                          shape="rounded"
                          style={{ marginRight: 4 }}
                          data-testid="subscription-role"
                        >
                          {format.role(role)}
                        </Badge>
                      ))
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {query.data?.items.length === 0 && <div className={styles.empty}>{t('mySubscriptions.empty')}</div>}
        </div>
      )}
    </>
  );
}
