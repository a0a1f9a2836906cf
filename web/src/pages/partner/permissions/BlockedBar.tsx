import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
} from '@fluentui/react-components';
import { ArrowRight16Regular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import type { PermissionResource } from '../../../api.ts';
import { paths, useRouter } from '../../../router.tsx';

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
            icon={<ArrowRight16Regular />}
            iconPosition="after"
            onClick={() => navigate(paths.customer(props.customerId, 'subscriptions'))}
            data-testid={`permissions-go-subscriptions-${props.resource}`}
          >
            {t('permissions.goToSubscriptions')}
          </Button>
        </MessageBarActions>
      )}
    </MessageBar>
  );
}
