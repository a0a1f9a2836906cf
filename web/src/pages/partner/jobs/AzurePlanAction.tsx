import {
  Button,
  Link,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  Text,
  Tooltip,
  tokens,
} from '@fluentui/react-components';
import { Add16Regular, Dismiss16Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AzurePlanResult, SubscriptionView } from '../../../api.ts';
import { paths, useRouter } from '../../../router.tsx';
import { useMe } from '../../../session.ts';
import { AddAzurePlanDialog } from './AddAzurePlanDialog.tsx';
import { openedToAddAzurePlan } from './links.ts';
import { canOrder } from './usePartnerJobs.ts';

const useStyles = makeStyles({
  bar: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalM,
    marginBottom: tokens.spacingVerticalM,
    flexWrap: 'wrap',
  },
  muted: { color: tokens.colorNeutralForeground3, maxWidth: '80ch' },
  notice: { marginBottom: tokens.spacingVerticalM },
});

/** Statuses in which a customer's Azure plan still stands (the server refuses a second one). */
const standing = ['active', 'suspended', 'pending', 'disabled'];

/** "Add Azure plan" above the customer's subscriptions (R20), with what to do once it is there. */
export function AzurePlanAction(props: {
  customerId: string;
  company: string;
  subscriptions: SubscriptionView[];
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const { navigate } = useRouter();
  const me = useMe().data;
  const [open, setOpen] = useState(openedToAddAzurePlan);
  const [bought, setBought] = useState<AzurePlanResult | null>(null);
  const existing = props.subscriptions.find(
    (s) => s.productType === 'azure_plan' && standing.includes(s.status),
  );
  const hasAzure = props.subscriptions.some(
    (s) => (s.productType === 'azure_plan' || s.productType === 'azure_global') && s.status === 'active',
  );
  const allowed = canOrder(me);
  const why = !allowed
    ? t('partnerJobs.ordersOnly')
    : existing
      ? t('partnerJobs.azurePlan.exists', { company: props.company, name: existing.friendlyName })
      : null;

  const close = () => {
    setOpen(false);
    // Drop `?addAzurePlan=1`, so a reload does not open the dialog again.
    if (openedToAddAzurePlan())
      navigate(paths.customer(props.customerId, 'subscriptions'), { replace: true });
  };

  const button = (
    <Button
      appearance={hasAzure ? 'secondary' : 'primary'}
      icon={<Add16Regular />}
      disabledFocusable={Boolean(why)}
      onClick={() => !why && setOpen(true)}
      data-testid="add-azure-plan"
    >
      {t('partnerJobs.azurePlan.add')}
    </Button>
  );

  return (
    <>
      {bought && (
        <MessageBar
          intent="success"
          layout="multiline"
          className={styles.notice}
          data-testid="azure-plan-added"
        >
          <MessageBarBody>
            <MessageBarTitle>{t('partnerJobs.azurePlan.done', { company: props.company })}</MessageBarTitle>
            {t('partnerJobs.azurePlan.doneNext')}{' '}
            <Link
              onClick={() => navigate(paths.customer(props.customerId, 'account'))}
              data-testid="azure-plan-go-account"
            >
              {t('partnerJobs.azurePlan.goAccount')}
            </Link>
          </MessageBarBody>
          <MessageBarActions
            containerAction={
              <Button
                appearance="transparent"
                size="small"
                icon={<Dismiss16Regular />}
                aria-label={t('access.close')}
                onClick={() => setBought(null)}
              />
            }
          />
        </MessageBar>
      )}
      <div className={styles.bar}>
        <Text className={styles.muted}>
          {hasAzure
            ? t('partnerJobs.azurePlan.haveIntro', { company: props.company })
            : t('partnerJobs.azurePlan.noneIntro', { company: props.company })}
        </Text>
        {why ? (
          <Tooltip content={why} relationship="description">
            {button}
          </Tooltip>
        ) : (
          button
        )}
      </div>
      {open && !why && (
        <AddAzurePlanDialog
          customerId={props.customerId}
          company={props.company}
          onClose={close}
          onBought={(plan) => {
            setBought(plan);
            close();
          }}
        />
      )}
    </>
  );
}
