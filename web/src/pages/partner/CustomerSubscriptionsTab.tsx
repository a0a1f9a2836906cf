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
import { PeopleTeam16Regular } from '@fluentui/react-icons';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type SubscriptionView } from '../../api.ts';
import { ErrorBar, Loading } from '../../components/QueryState.tsx';
import { SubscriptionCells, SubscriptionHeaderCells } from '../../components/SubscriptionCells.tsx';
import { useTableStyles } from '../../components/tableStyles.ts';
import { ManageAccessDialog } from './access/ManageAccessDialog.tsx';
import { AzurePlanAction } from './jobs/AzurePlanAction.tsx';

/** Role assignments exist on Azure plan and Azure Global subscriptions only (R6, R7). */
const isAzure = (subscription: SubscriptionView) => subscription.productType !== 'license';

export function CustomerSubscriptionsTab({ customerId, company }: { customerId: string; company: string }) {
  const { t } = useTranslation();
  const styles = useTableStyles();
  const [managing, setManaging] = useState<SubscriptionView | null>(null);
  const query = useQuery({
    queryKey: ['customers', 'detail', customerId, 'subscriptions'],
    queryFn: () => api.customerSubscriptions(customerId),
  });

  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorBar error={query.error} onRetry={() => void query.refetch()} />;
  const subscriptions = query.data.items;

  return (
    <>
      <AzurePlanAction customerId={customerId} company={company} subscriptions={subscriptions} />
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
                  {isAzure(subscription) ? (
                    <Button
                      size="small"
                      icon={<PeopleTeam16Regular />}
                      onClick={() => setManaging(subscription)}
                      data-testid={`manage-${subscription.id}`}
                    >
                      {t('subscriptions.manage')}
                    </Button>
                  ) : (
                    <Tooltip content={t('access.licenceOnly')} relationship="description">
                      <Button
                        size="small"
                        icon={<PeopleTeam16Regular />}
                        disabledFocusable
                        data-testid={`manage-${subscription.id}`}
                      >
                        {t('subscriptions.manage')}
                      </Button>
                    </Tooltip>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        {subscriptions.length === 0 && <div className={styles.empty}>{t('subscriptions.empty')}</div>}
        {managing && (
          <ManageAccessDialog
            customerId={customerId}
            subscription={managing}
            onClose={() => setManaging(null)}
          />
        )}
      </div>
    </>
  );
}
