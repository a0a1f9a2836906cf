import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
} from '@fluentui/react-components';
import { Add16Regular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import type { PermissionResource } from '../../../api.ts';
import { useRouter } from '../../../router.tsx';
import { addAzurePlanHref } from '../jobs/links.ts';

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** A short title in the UI language for a known refusal code; the API's sentence goes below it. */
export const blockedTitle = (t: Translate, code: string): string =>
  t(`permissions.blocked.${code}`, { defaultValue: t('permissions.blocked.other') });

/** Why "Allow" cannot be chosen now (R4), in place, with the way out when there is one. */
export function BlockedBar(props: {
  customerId: string;
  resource: PermissionResource;
  reason: { code: string; message: string };
  /** Only the title: the full sentence is already shown for another resource just above. */
  compact?: boolean;
}) {
  const { t } = useTranslation();
  const { navigate } = useRouter();
  const { code, message } = props.reason;
  return (
    <MessageBar intent="warning" layout="multiline" data-testid={`permissions-blocked-${props.resource}`}>
      <MessageBarBody>
        <MessageBarTitle>{blockedTitle(t, code)}</MessageBarTitle>
        {props.compact ? t('permissions.sameReason') : message}
      </MessageBarBody>
      {code === 'azure-plan-required' && !props.compact && (
        <MessageBarActions>
          <Button
            size="small"
            icon={<Add16Regular />}
            // Only Admin agents edit permissions, and they may buy: straight to "Add Azure plan" (R20).
            onClick={() => navigate(addAzurePlanHref(props.customerId))}
            data-testid={`permissions-go-subscriptions-${props.resource}`}
          >
            {t('partnerJobs.azurePlan.add')}
          </Button>
        </MessageBarActions>
      )}
    </MessageBar>
  );
}
