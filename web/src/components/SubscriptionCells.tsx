import { Badge, mergeClasses, TableCell, TableHeaderCell, Text } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { SubscriptionView } from '../api.ts';
import { useFormat } from '../format.ts';
import { StatusBadge } from './StatusBadge.tsx';
import { useTableStyles } from './tableStyles.ts';

// Columns shared by the partner's view of a customer's subscriptions and the customer portal.

export function SubscriptionHeaderCells() {
  const { t } = useTranslation();
  const styles = useTableStyles();
  const headers = ['friendlyName', 'offer', 'productType', 'status', 'quantity', 'billingCycle', 'created'];
  return (
    <>
      {headers.map((key) => (
        <TableHeaderCell key={key} className={key === 'quantity' ? styles.numericHeader : styles.headerCell}>
          {t(`subscriptions.${key}`)}
        </TableHeaderCell>
      ))}
    </>
  );
}

export function SubscriptionCells({ subscription }: { subscription: SubscriptionView }) {
  const styles = useTableStyles();
  const format = useFormat();
  const isAzure = subscription.productType !== 'license';
  return (
    <>
      <TableCell>
        <Text weight="semibold">{subscription.friendlyName}</Text>
      </TableCell>
      <TableCell>
        <div>{subscription.offerName}</div>
        <Text className={mergeClasses(styles.mono, styles.muted)}>{subscription.offerId}</Text>
      </TableCell>
      <TableCell className={styles.nowrap}>
        <Badge
          appearance={isAzure ? 'tint' : 'outline'}
          color={isAzure ? 'brand' : 'informative'}
          shape="rounded"
        >
          {format.label('productType', subscription.productType)}
        </Badge>
      </TableCell>
      <TableCell>
        <StatusBadge group="subscriptionStatus" status={subscription.status} />
      </TableCell>
      <TableCell className={styles.numeric}>{format.number(subscription.quantity)}</TableCell>
      <TableCell className={styles.nowrap}>
        {format.label('billingCycle', subscription.billingCycle)}
      </TableCell>
      <TableCell className={styles.nowrap}>{format.date(subscription.createdAt)}</TableCell>
    </>
  );
}
