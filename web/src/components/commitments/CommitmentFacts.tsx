import { Text } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { CommitmentView } from '../../api.ts';
import { useFormat } from '../../format.ts';
import { type Detail, DetailList } from '../DetailList.tsx';
import { RouterLink } from '../RouterLink.tsx';
import { BoughtByBadge } from './BoughtByBadge.tsx';
import { CommitmentStatusBadge } from './CommitmentStatusBadge.tsx';
import { type Perspective, type ScopeSubscription, useCommitmentFormat } from './useCommitmentFormat.ts';

const mono = (text: string) => (
  <Text font="monospace" size={200}>
    {text}
  </Text>
);

/** Every property of a reservation or savings plan, label by label. */
export function CommitmentFacts(props: {
  commitment: CommitmentView;
  subscriptions: ScopeSubscription[];
  perspective: Perspective;
  /** Leave out what the page already shows elsewhere (its status in the header …). */
  omit?: string[];
  /** Where another reservation of this customer opens (exchanged from / into). */
  hrefOf?: (id: string) => string;
  /** Where its order opens in the order history (partner side; `partnerOrderId`). */
  orderHref?: (partnerOrderId: string) => string;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const f = useCommitmentFormat();
  const c = props.commitment;
  const reservation = c.kind === 'reservation';
  const onOff = (on: boolean) => (on ? t('commitment.on') : t('commitment.off'));
  const billing = props.subscriptions.find(
    (s) => s.id === c.billingSubscriptionId || s.entitlementId === c.billingSubscriptionId,
  );

  const link = (id: string) =>
    props.hrefOf ? (
      <RouterLink href={props.hrefOf(id)} data-testid="exchange-link">
        {mono(id)}
      </RouterLink>
    ) : (
      mono(id)
    );

  const items: (Detail & { key: string })[] = [
    ...(reservation
      ? [
          { key: 'vmSize', label: t('commitment.vmSize'), value: mono(c.sku), testId: 'fact-sku' },
          { key: 'region', label: t('commitment.region'), value: f.region(c.region) },
          { key: 'quantity', label: t('commitment.quantity'), value: format.number(c.quantity) },
          {
            key: 'flexibility',
            label: t('commitment.flexibility'),
            value: c.instanceFlexibility ? onOff(c.instanceFlexibility === 'On') : t('common.none'),
          },
        ]
      : [
          {
            key: 'hourlyCommitment',
            label: t('commitment.hourlyCommitment'),
            value: f.hourly(c.hourlyCommitment, c.currency),
            testId: 'fact-hourly',
          },
        ]),
    { key: 'term', label: t('commitment.term'), value: f.term(c.term) },
    { key: 'billingPlan', label: t('commitment.billingPlan'), value: f.plan(c.billingPlan) },
    {
      key: 'scope',
      label: t('commitment.scope'),
      value: f.scopeOf(c, props.subscriptions),
      testId: 'fact-scope',
    },
    { key: 'renew', label: t('commitment.renewal'), value: onOff(c.renew), testId: 'fact-renew' },
    { key: 'status', label: t('commitment.status'), value: <CommitmentStatusBadge status={c.status} /> },
    { key: 'purchased', label: t('commitment.purchased'), value: format.dateTime(c.purchasedAt) },
    { key: 'expires', label: t('commitment.expires'), value: format.date(c.expiresAt) },
    {
      key: 'boughtBy',
      label: t('commitment.boughtBy'),
      value: (
        <span style={{ display: 'inline-flex', gap: 8, alignItems: 'center', flexWrap: 'wrap' }}>
          <BoughtByBadge boughtBy={c.boughtBy} perspective={props.perspective} />
          <Text size={200}>{c.boughtByPrincipal}</Text>
        </span>
      ),
    },
    {
      key: 'billingSubscription',
      label: t('commitment.billingSubscription'),
      value: billing ? (
        <span>
          {billing.friendlyName} · {mono(billing.entitlementId ?? billing.id)}
        </span>
      ) : (
        mono(c.billingSubscriptionId)
      ),
    },
    {
      key: 'id',
      label: reservation ? t('commitment.reservationId') : t('commitment.savingsPlanId'),
      value: mono(c.id),
    },
    { key: 'orderId', label: t('commitment.orderId'), value: mono(c.orderId) },
    ...(c.partnerOrderId && props.orderHref
      ? [
          {
            key: 'partnerOrder',
            label: t('commitment.partnerOrder'),
            value: (
              <RouterLink href={props.orderHref(c.partnerOrderId)} data-testid="order-history-link">
                {mono(c.partnerOrderId)}
              </RouterLink>
            ),
          },
        ]
      : []),
    ...(c.exchangedFrom
      ? [{ key: 'exchangedFrom', label: t('commitment.exchangedFrom'), value: link(c.exchangedFrom) }]
      : []),
    ...(c.exchangedInto
      ? [{ key: 'exchangedInto', label: t('commitment.exchangedInto'), value: link(c.exchangedInto) }]
      : []),
  ];
  return <DetailList items={items.filter((item) => !props.omit?.includes(item.key))} />;
}
