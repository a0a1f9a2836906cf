import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  makeStyles,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { ArrowRight16Regular, Dismiss24Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerDetail } from '../../../api.ts';
import { paths, useRouter } from '../../../router.tsx';
import { FieldRow } from './BillingProfileForm.tsx';
import { InitialPassword } from './InitialPassword.tsx';
import { errorField, fieldMessage, JobError } from './JobError.tsx';
import { useAddCustomerUser } from './usePartnerJobs.ts';

const useStyles = makeStyles({
  surface: { maxWidth: '620px', width: 'calc(100vw - 48px)' },
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  muted: { color: tokens.colorNeutralForeground3 },
});

/** "Add user" on the customer's Account page: a person of the customer, with a password shown once. */
export function AddUserDialog(props: { customer: CustomerDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const { navigate } = useRouter();
  const add = useAddCustomerUser(props.customer.id);
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const bad = errorField(add.error, 'email');
  const busy = add.isPending;
  const company = props.customer.companyName;
  const state = (field: string) => ({
    validationState: bad === field ? ('error' as const) : ('none' as const),
    validationMessage: bad === field ? fieldMessage(t, add.error) : undefined,
  });
  const complete = email.trim() !== '' && displayName.trim() !== '';

  if (add.data) {
    const user = add.data;
    return (
      <Dialog open onOpenChange={(_, data) => !data.open && props.onClose()} modalType="alert">
        <DialogSurface className={styles.surface} data-testid="add-user-done">
          <DialogBody>
            <DialogTitle>{t('partnerJobs.users.done', { name: user.displayName })}</DialogTitle>
            <DialogContent className={styles.content}>
              <InitialPassword user={user} />
              <Text>{t('partnerJobs.users.giveRoleHint', { name: user.displayName })}</Text>
            </DialogContent>
            <DialogActions>
              <Button
                icon={<ArrowRight16Regular />}
                iconPosition="after"
                onClick={() => navigate(paths.customer(props.customer.id, 'subscriptions'))}
                data-testid="add-user-give-role"
              >
                {t('partnerJobs.users.giveRole')}
              </Button>
              <Button appearance="primary" onClick={props.onClose} data-testid="add-user-close">
                {t('access.close')}
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    );
  }

  return (
    <Dialog open onOpenChange={(_, data) => !data.open && !busy && props.onClose()} modalType="modal">
      <DialogSurface className={styles.surface} data-testid="add-user-dialog">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (complete && !busy) add.mutate({ email: email.trim(), displayName: displayName.trim() });
          }}
        >
          <DialogBody>
            <DialogTitle
              action={
                <Button
                  appearance="subtle"
                  aria-label={t('access.close')}
                  icon={<Dismiss24Regular />}
                  onClick={props.onClose}
                />
              }
            >
              {t('partnerJobs.users.dialogTitle', { company })}
            </DialogTitle>
            <DialogContent className={styles.content}>
              <Text className={styles.muted}>{t('partnerJobs.users.dialogIntro')}</Text>
              <FieldRow>
                <Field label={t('partnerJobs.users.displayName')} required {...state('displayName')}>
                  <Input
                    value={displayName}
                    disabled={busy}
                    placeholder="Dewi Kusuma"
                    onChange={(_, data) => setDisplayName(data.value)}
                    data-testid="user-displayName"
                  />
                </Field>
                <Field
                  label={t('partnerJobs.users.signInEmail')}
                  hint={t('partnerJobs.users.signInEmailHint')}
                  required
                  {...state('email')}
                >
                  <Input
                    type="email"
                    value={email}
                    disabled={busy}
                    placeholder={`dewi@${props.customer.domain}`}
                    onChange={(_, data) => setEmail(data.value)}
                    data-testid="user-email"
                  />
                </Field>
              </FieldRow>
              {add.error && <JobError error={add.error} failedTitle={t('partnerJobs.users.failed')} />}
            </DialogContent>
            <DialogActions>
              <Button
                type="submit"
                appearance="primary"
                disabled={!complete || busy}
                icon={busy ? <Spinner size="tiny" /> : undefined}
                data-testid="add-user-submit"
              >
                {busy ? t('partnerJobs.users.creating') : t('partnerJobs.users.create')}
              </Button>
              <Button onClick={props.onClose} disabled={busy}>
                {t('permissions.cancel')}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
