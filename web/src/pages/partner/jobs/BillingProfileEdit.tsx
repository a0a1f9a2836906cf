import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  makeStyles,
  Text,
  tokens,
} from '@fluentui/react-components';
import { Dismiss16Regular, Edit16Regular, LockClosed16Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EditBillingProfileDialog } from './EditBillingProfileDialog.tsx';
import { useBillingProfile } from './usePartnerJobs.ts';

const useStyles = makeStyles({
  readOnly: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalXS,
    color: tokens.colorNeutralForeground3,
    fontSize: tokens.fontSizeBase200,
  },
});

/**
 * The billing profile card's "Edit" (Admin and Helpdesk agents) and what follows: the dialog, then
 * a "saved" notice; for Sales agents, a note that they have read-only access.
 */
export function useBillingProfileEdit(customerId: string) {
  const { t } = useTranslation();
  const styles = useStyles();
  const profile = useBillingProfile(customerId);
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const canEdit = profile.data?.canEdit === true;

  const action =
    canEdit && profile.data ? (
      <Button
        icon={<Edit16Regular />}
        onClick={() => {
          setSaved(false);
          setEditing(true);
        }}
        data-testid="billing-profile-edit"
      >
        {t('permissions.edit')}
      </Button>
    ) : undefined;

  const notice = saved && (
    <MessageBar intent="success" data-testid="billing-profile-saved">
      <MessageBarBody>{t('partnerJobs.profile.saved')}</MessageBarBody>
      <MessageBarActions
        containerAction={
          <Button
            appearance="transparent"
            size="small"
            icon={<Dismiss16Regular />}
            aria-label={t('access.close')}
            onClick={() => setSaved(false)}
          />
        }
      />
    </MessageBar>
  );

  const readOnly = profile.data && !canEdit && (
    <Text className={styles.readOnly} data-testid="billing-profile-read-only">
      <LockClosed16Regular />
      {t('partnerJobs.profile.readOnly')}
    </Text>
  );

  const dialog =
    editing && profile.data ? (
      <EditBillingProfileDialog
        customerId={customerId}
        profile={profile.data}
        onClose={() => setEditing(false)}
        onSaved={() => {
          setEditing(false);
          setSaved(true);
        }}
      />
    ) : null;

  return { action, notice, readOnly, dialog };
}
