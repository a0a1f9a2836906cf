import { Button, Tooltip } from '@fluentui/react-components';
import { Cart16Regular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import type { CommitmentKind } from '../../../api.ts';
import { useRouter } from '../../../router.tsx';
import { useMe } from '../../../session.ts';
import { buyForCustomerHref } from './links.ts';
import { canOrder } from './usePartnerJobs.ts';

/** "Buy reservation" / "Buy savings plan" on the customer's tab: the partner buys on its behalf (R20). */
export function BuyForCustomerButton(props: { customerId: string; kind: CommitmentKind }) {
  const { t } = useTranslation();
  const { navigate } = useRouter();
  const allowed = canOrder(useMe().data);
  const button = (
    <Button
      appearance="primary"
      icon={<Cart16Regular />}
      disabledFocusable={!allowed}
      onClick={() => allowed && navigate(buyForCustomerHref(props.customerId, props.kind))}
      data-testid={`buy-for-customer-${props.kind}`}
    >
      {t(`partnerJobs.buy.${props.kind}.button`)}
    </Button>
  );
  return allowed ? (
    button
  ) : (
    <Tooltip content={t('partnerJobs.ordersOnly')} relationship="description">
      {button}
    </Tooltip>
  );
}
