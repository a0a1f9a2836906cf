import { Button, MessageBar, MessageBarActions, MessageBarBody } from '@fluentui/react-components';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommitmentKind, CustomerDetail } from '../../../api.ts';
import { partnerBuyer } from '../../../components/commitments/buyer.ts';
import { useRouter } from '../../../router.tsx';
import { useMe } from '../../../session.ts';
import { BuyReservationPage } from '../../customer/commitments/BuyReservationPage.tsx';
import { BuySavingsPlanPage } from '../../customer/commitments/BuySavingsPlanPage.tsx';
import { canOrder } from './usePartnerJobs.ts';

/**
 * The partner buys a reservation or savings plan on the customer's behalf (R20): the customer
 * portal's own buy pages, at the partner's API base, with the same quote → buy flow and checks.
 */
export function PartnerBuyPage(props: { customer: CustomerDetail; kind: CommitmentKind }) {
  const { t } = useTranslation();
  const { navigate } = useRouter();
  const me = useMe().data;
  const { id, companyName } = props.customer;
  const buyer = useMemo(() => partnerBuyer({ id, companyName }), [id, companyName]);
  if (!canOrder(me)) {
    return (
      <MessageBar intent="warning" data-testid="buy-not-allowed">
        <MessageBarBody>{t('partnerJobs.ordersOnly')}</MessageBarBody>
        <MessageBarActions>
          <Button size="small" onClick={() => navigate(buyer.listHref(props.kind))}>
            {t(`myCommitments.${props.kind}.back`)}
          </Button>
        </MessageBarActions>
      </MessageBar>
    );
  }
  return props.kind === 'reservation' ? (
    <BuyReservationPage buyer={buyer} />
  ) : (
    <BuySavingsPlanPage buyer={buyer} />
  );
}
