import {
  Badge,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { Sparkle16Regular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import type { CommitmentKind, CustomerDetail } from '../../../api.ts';
import { CommitmentTable } from '../../../components/commitments/CommitmentTable.tsx';
import { ErrorBar, Loading } from '../../../components/QueryState.tsx';
import { paths, useRouter } from '../../../router.tsx';
import { BuyForCustomerButton } from '../jobs/BuyForCustomerButton.tsx';
import { CommitmentDrawer } from './CommitmentDrawer.tsx';
import { useCustomerCommitments, useCustomerSubscriptions } from './useCustomerCommitments.ts';

const useStyles = makeStyles({
  bar: { marginBottom: tokens.spacingVerticalM },
  intro: { color: tokens.colorNeutralForeground3, maxWidth: '90ch' },
  toolbar: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalM,
    marginBottom: tokens.spacingVerticalM,
    flexWrap: 'wrap',
  },
  beyond: { marginLeft: tokens.spacingHorizontalS },
});

const justBought = () => new URLSearchParams(window.location.search).get('bought') === '1';

/**
 * Reservations (R10) / Savings plans (B3) of one customer: what the partner bought and what the
 * customer bought itself, side by side; a row opens the details drawer with the partner's actions.
 */
export function CustomerCommitmentsTab(props: {
  customer: CustomerDetail;
  kind: CommitmentKind;
  itemId?: string;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const { navigate } = useRouter();
  const { customer, kind } = props;
  const query = useCustomerCommitments(customer.id, kind);
  const subscriptions = useCustomerSubscriptions(customer.id);
  const tab = kind === 'reservation' ? 'reservations' : 'savings-plans';
  const savings = kind === 'savings_plan';

  return (
    <div data-testid={`customer-${tab}`}>
      {savings && (
        <MessageBar
          intent="info"
          layout="multiline"
          className={styles.bar}
          data-testid="beyond-partner-center"
        >
          <MessageBarBody>
            <MessageBarTitle>{t('partnerCommitments.beyondTitle')}</MessageBarTitle>
            {t('partnerCommitments.beyondBody')}
          </MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.toolbar}>
        <span className={styles.intro}>
          {t(`partnerCommitments.${kind}.intro`, { company: customer.companyName })}
        </span>
        <BuyForCustomerButton customerId={customer.id} kind={kind} />
      </div>
      {query.isError && <ErrorBar error={query.error} onRetry={() => void query.refetch()} />}
      {query.isPending ? (
        <Loading />
      ) : (
        <CommitmentTable
          kind={kind}
          items={query.data?.items ?? []}
          perspective="partner"
          subscriptions={subscriptions.data?.items ?? []}
          hrefOf={(c) => paths.customerCommitment(customer.id, kind, c.id)}
          showTotal
          nameBadge={(c) =>
            savings && c.boughtBy === 'customer' ? (
              <Badge
                className={styles.beyond}
                appearance="outline"
                color="informative"
                shape="rounded"
                size="small"
                icon={<Sparkle16Regular />}
                data-testid="beyond-badge"
              >
                {t('partnerCommitments.beyondBadge')}
              </Badge>
            ) : null
          }
          empty={t(`partnerCommitments.${kind}.empty`)}
          label={t(`customer.${tab}`)}
        />
      )}
      {props.itemId && (
        <CommitmentDrawer
          key={props.itemId}
          customer={customer}
          kind={kind}
          id={props.itemId}
          subscriptions={subscriptions.data?.items ?? []}
          onClose={() => navigate(paths.customer(customer.id, tab))}
          // Straight from the partner's buy page (R20): say it is bought, and where it shows.
          initialNotice={
            justBought()
              ? { intent: 'success', text: t('partnerJobs.buy.bought', { company: customer.companyName }) }
              : undefined
          }
        />
      )}
    </div>
  );
}
