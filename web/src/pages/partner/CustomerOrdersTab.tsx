import {
  Button,
  makeStyles,
  mergeClasses,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import { ChevronDown16Regular, ChevronRight16Regular } from '@fluentui/react-icons';
import { useQuery } from '@tanstack/react-query';
import { Fragment, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type CommitmentView, type OrderView } from '../../api.ts';
import { BoughtByBadge } from '../../components/commitments/BoughtByBadge.tsx';
import { ErrorBar, Loading } from '../../components/QueryState.tsx';
import { RouterLink } from '../../components/RouterLink.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { useTableStyles } from '../../components/tableStyles.ts';
import { useFormat } from '../../format.ts';
import { paths } from '../../router.tsx';
import { useCustomerCommitments } from './commitments/useCustomerCommitments.ts';

const useStyles = makeStyles({
  detailCell: { backgroundColor: tokens.colorNeutralBackground2, paddingBlock: tokens.spacingVerticalS },
  lineTable: { tableLayout: 'auto', backgroundColor: tokens.colorNeutralBackground1 },
  selected: {
    backgroundColor: tokens.colorBrandBackground2,
    ':hover': { backgroundColor: tokens.colorBrandBackground2Hover },
  },
  commitmentLink: { display: 'block', fontSize: tokens.fontSizeBase200 },
});

/**
 * The customer's order history. An order that bought a reservation or savings plan links to it
 * (`partnerOrderId`); `…/orders/{orderId}` opens that order and highlights it.
 */
export function CustomerOrdersTab({ customerId, orderId }: { customerId: string; orderId?: string }) {
  const { t } = useTranslation();
  const styles = useTableStyles();
  const local = useStyles();
  const format = useFormat();
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set(orderId ? [orderId] : []));
  const query = useQuery({
    queryKey: ['customers', 'detail', customerId, 'orders'],
    queryFn: () => api.customerOrders(customerId),
  });
  const reservations = useCustomerCommitments(customerId, 'reservation');
  const savingsPlans = useCustomerCommitments(customerId, 'savings_plan');
  const byOrder = useMemo(() => {
    const map = new Map<string, CommitmentView>();
    for (const c of [...(reservations.data?.items ?? []), ...(savingsPlans.data?.items ?? [])])
      if (c.partnerOrderId && !map.has(c.partnerOrderId)) map.set(c.partnerOrderId, c);
    return map;
  }, [reservations.data, savingsPlans.data]);
  const selectedRow = useRef<HTMLTableRowElement>(null);
  const loaded = query.isSuccess;
  useEffect(() => {
    if (loaded) selectedRow.current?.scrollIntoView({ block: 'center' });
  }, [loaded]);

  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorBar error={query.error} onRetry={() => void query.refetch()} />;
  const orders = [...query.data.items].sort((a, b) => b.createdAt.localeCompare(a.createdAt));

  const toggle = (id: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <div className={styles.surface}>
      <Table
        size="small"
        className={styles.table}
        aria-label={t('customer.orders')}
        data-testid="orders-table"
      >
        <TableHeader>
          <TableRow>
            <TableHeaderCell
              className={styles.headerCell}
              style={{ width: 40 }}
              aria-label={t('orders.lineItems')}
            />
            <TableHeaderCell className={styles.headerCell}>{t('orders.date')}</TableHeaderCell>
            <TableHeaderCell className={styles.headerCell}>{t('orders.orderId')}</TableHeaderCell>
            <TableHeaderCell className={styles.headerCell}>{t('orders.item')}</TableHeaderCell>
            <TableHeaderCell className={styles.headerCell}>{t('orders.boughtBy')}</TableHeaderCell>
            <TableHeaderCell className={styles.headerCell}>{t('orders.status')}</TableHeaderCell>
            <TableHeaderCell className={styles.headerCell}>{t('orders.billingCycle')}</TableHeaderCell>
            <TableHeaderCell className={styles.numericHeader}>{t('orders.total')}</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {orders.map((order) => {
            const open = expanded.has(order.id);
            const selected = order.id === orderId;
            const commitment = byOrder.get(order.id);
            return (
              <Fragment key={order.id}>
                <TableRow
                  ref={selected ? selectedRow : undefined}
                  className={selected ? local.selected : undefined}
                  aria-current={selected ? 'true' : undefined}
                  data-testid="order-row"
                  data-id={order.id}
                  data-selected={selected || undefined}
                  data-bought-by={order.boughtBy}
                >
                  <TableCell>
                    <Button
                      appearance="subtle"
                      size="small"
                      icon={open ? <ChevronDown16Regular /> : <ChevronRight16Regular />}
                      aria-expanded={open}
                      aria-label={open ? t('common.collapse') : t('common.expand')}
                      title={open ? t('common.collapse') : t('common.expand')}
                      onClick={() => toggle(order.id)}
                      data-testid="order-expand"
                    />
                  </TableCell>
                  <TableCell className={styles.nowrap}>{format.dateTime(order.createdAt)}</TableCell>
                  <TableCell>
                    <Text className={styles.mono} title={order.id}>
                      {shortId(order.id)}
                    </Text>
                  </TableCell>
                  <TableCell data-testid="order-items">
                    {order.lineItems[0]?.friendlyName ?? t('common.none')}
                    {order.lineItems.length > 1 && (
                      <Text className={styles.muted}>
                        {' '}
                        {t('orders.more', { count: order.lineItems.length - 1 })}
                      </Text>
                    )}
                    {commitment && (
                      <RouterLink
                        className={local.commitmentLink}
                        href={paths.customerCommitment(customerId, commitment.kind, commitment.id)}
                        data-testid="order-commitment-link"
                      >
                        {t(`orders.open.${commitment.kind}`)}
                      </RouterLink>
                    )}
                  </TableCell>
                  <TableCell>
                    <BoughtByBadge
                      boughtBy={order.boughtBy}
                      perspective="partner"
                      principal={order.createdBy}
                    />
                  </TableCell>
                  <TableCell>
                    <StatusBadge group="orderStatus" status={order.status} />
                  </TableCell>
                  <TableCell className={styles.nowrap}>
                    {format.label('billingCycle', order.billingCycle)}
                  </TableCell>
                  <TableCell className={styles.numeric}>
                    {format.money(order.totalPrice, order.currency)}
                  </TableCell>
                </TableRow>
                {open && (
                  <TableRow data-testid="order-line-items">
                    <TableCell colSpan={8} className={local.detailCell}>
                      <LineItems order={order} />
                    </TableCell>
                  </TableRow>
                )}
              </Fragment>
            );
          })}
        </TableBody>
      </Table>
      {orders.length === 0 && <div className={styles.empty}>{t('orders.empty')}</div>}
    </div>
  );
}

/** Order ids are long GUIDs; the first block is enough to tell orders apart on screen. */
function shortId(id: string): string {
  return id.length > 13 ? `${id.slice(0, 8)}…` : id;
}

function LineItems({ order }: { order: OrderView }) {
  const { t } = useTranslation();
  const styles = useTableStyles();
  const local = useStyles();
  const format = useFormat();
  return (
    <Table size="extra-small" className={local.lineTable} aria-label={t('orders.lineItems')}>
      <TableHeader>
        <TableRow>
          <TableHeaderCell className={styles.headerCell}>{t('orders.lineNumber')}</TableHeaderCell>
          <TableHeaderCell className={styles.headerCell}>{t('orders.item')}</TableHeaderCell>
          <TableHeaderCell className={styles.headerCell}>{t('orders.quantity')}</TableHeaderCell>
          <TableHeaderCell className={styles.headerCell}>{t('orders.term')}</TableHeaderCell>
          <TableHeaderCell className={styles.headerCell}>{t('orders.billingCycle')}</TableHeaderCell>
          <TableHeaderCell className={styles.numericHeader}>{t('orders.unitPrice')}</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {order.lineItems.map((line) => (
          <TableRow key={line.lineItemNumber}>
            <TableCell className={styles.muted}>{line.lineItemNumber}</TableCell>
            <TableCell>
              <div>{line.friendlyName}</div>
              <Text className={mergeClasses(styles.mono, styles.muted)}>{line.offerId}</Text>
            </TableCell>
            <TableCell className={styles.numeric}>{format.number(line.quantity)}</TableCell>
            <TableCell className={styles.nowrap}>{format.duration(line.termDuration)}</TableCell>
            <TableCell className={styles.nowrap}>{format.label('billingCycle', line.billingCycle)}</TableCell>
            <TableCell className={styles.numeric}>
              {format.unitPrice(line.unitPrice, order.currency)}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
