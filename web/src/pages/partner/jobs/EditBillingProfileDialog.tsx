import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  makeStyles,
  Spinner,
  tokens,
} from '@fluentui/react-components';
import { ArrowClockwise16Regular, Dismiss24Regular, LockClosed16Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BillingProfile, BillingProfilePatch } from '../../../api.ts';
import { useFormat } from '../../../format.ts';
import {
  type BillingDraft,
  BillingProfileForm,
  billingDraftComplete,
  emptyBillingDraft,
} from './BillingProfileForm.tsx';
import { JobError } from './JobError.tsx';
import { useBillingProfile, useUpdateBillingProfile } from './usePartnerJobs.ts';

const useStyles = makeStyles({
  surface: { maxWidth: '720px', width: 'calc(100vw - 48px)' },
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

const fields = Object.keys(emptyBillingDraft) as (keyof BillingDraft)[];
const draftOf = (p: BillingProfile): BillingDraft =>
  Object.fromEntries(fields.map((f) => [f, p[f] ?? ''])) as unknown as BillingDraft;

/** Only what the partner changed is sent, so a concurrent edit of another field is not undone. */
function changesOf(before: BillingDraft, after: BillingDraft): BillingProfilePatch {
  return Object.fromEntries(
    fields.filter((f) => after[f].trim() !== before[f]).map((f) => [f, after[f].trim()]),
  );
}

/**
 * "Edit" on the billing profile (partner center's billing profile update). The version read is
 * sent back (If-Match): if someone changed the profile meanwhile, the dialog says so and reloads.
 */
export function EditBillingProfileDialog(props: {
  customerId: string;
  profile: BillingProfile;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const format = useFormat();
  const query = useBillingProfile(props.customerId);
  const save = useUpdateBillingProfile(props.customerId);
  const [base, setBase] = useState<BillingProfile>(props.profile);
  const [draft, setDraft] = useState<BillingDraft>(() => draftOf(props.profile));
  const changes = changesOf(draftOf(base), draft);
  const changed = Object.keys(changes).length > 0;
  const busy = save.isPending;
  const stale = save.error?.code === 'billing-profile-changed';

  const reload = async () => {
    const fresh = (await query.refetch()).data;
    if (!fresh) return;
    setBase(fresh);
    setDraft(draftOf(fresh));
    save.reset();
  };

  const reloadAction = (
    <MessageBarActions>
      <Button
        size="small"
        icon={<ArrowClockwise16Regular />}
        onClick={() => void reload()}
        data-testid="profile-reload"
      >
        {t('partnerJobs.profile.reload')}
      </Button>
    </MessageBarActions>
  );

  return (
    <Dialog open onOpenChange={(_, data) => !data.open && !busy && props.onClose()} modalType="modal">
      <DialogSurface className={styles.surface} data-testid="billing-profile-dialog">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (!changed || busy || !billingDraftComplete(draft)) return;
            save.mutate({ patch: changes, etag: base.etag }, { onSuccess: props.onSaved });
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
              {t('partnerJobs.profile.editTitle', { company: base.companyName })}
            </DialogTitle>
            <DialogContent className={styles.content}>
              <MessageBar intent="info" layout="multiline" icon={<LockClosed16Regular />}>
                <MessageBarBody>
                  {t('partnerJobs.profile.fixed', {
                    country: format.country(base.country),
                    currency: base.currency,
                  })}
                </MessageBarBody>
              </MessageBar>
              <BillingProfileForm
                value={draft}
                onChange={setDraft}
                error={stale ? null : save.error}
                disabled={busy}
              />
              {save.error && (
                <JobError
                  error={save.error}
                  failedTitle={t('partnerJobs.profile.failed')}
                  action={stale ? reloadAction : undefined}
                />
              )}
            </DialogContent>
            <DialogActions>
              <Button
                type="submit"
                appearance="primary"
                disabled={!changed || busy || stale || !billingDraftComplete(draft)}
                icon={busy ? <Spinner size="tiny" /> : undefined}
                data-testid="profile-save"
              >
                {busy ? t('partnerJobs.profile.saving') : t('permissions.save')}
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
