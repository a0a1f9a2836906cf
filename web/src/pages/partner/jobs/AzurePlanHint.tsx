import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
} from '@fluentui/react-components';
import { Add16Regular, ArrowRight16Regular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import type { PermissionsView } from '../../../api.ts';
import { paths, useRouter } from '../../../router.tsx';
import { useMe } from '../../../session.ts';
import { addAzurePlanHref } from './links.ts';
import { canOrder } from './usePartnerJobs.ts';

/**
 * Under the customer permissions, when they cannot be allowed for want of an Azure plan (R4): the
 * way to buy one (the seed's first step), or who can, for agents who cannot buy.
 */
export function AzurePlanHint(props: { customerId: string; company: string; view: PermissionsView }) {
  const { t } = useTranslation();
  const { navigate } = useRouter();
  const allowed = canOrder(useMe().data);
  const needed = Object.values(props.view.enableBlockedBy).some((b) => b?.code === 'azure-plan-required');
  if (!needed) return null;
  return (
    <MessageBar intent="warning" layout="multiline" data-testid="permissions-azure-plan-hint">
      <MessageBarBody>
        <MessageBarTitle>{t('permissions.blocked.azure-plan-required')}</MessageBarTitle>
        {allowed
          ? t('partnerJobs.azurePlan.fromPermissions', { company: props.company })
          : t('partnerJobs.azurePlan.fromPermissionsReadOnly', { company: props.company })}
      </MessageBarBody>
      <MessageBarActions>
        {allowed ? (
          <Button
            size="small"
            appearance="primary"
            icon={<Add16Regular />}
            onClick={() => navigate(addAzurePlanHref(props.customerId))}
            data-testid="permissions-add-azure-plan"
          >
            {t('partnerJobs.azurePlan.add')}
          </Button>
        ) : (
          <Button
            size="small"
            icon={<ArrowRight16Regular />}
            iconPosition="after"
            onClick={() => navigate(paths.customer(props.customerId, 'subscriptions'))}
          >
            {t('permissions.goToSubscriptions')}
          </Button>
        )}
      </MessageBarActions>
    </MessageBar>
  );
}
