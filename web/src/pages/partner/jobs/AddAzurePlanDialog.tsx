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
import { Dismiss24Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AzurePlanResult } from '../../../api.ts';
import { errorField, JobError } from './JobError.tsx';
import { useBuyAzurePlan } from './usePartnerJobs.ts';

const useStyles = makeStyles({
  surface: { maxWidth: '600px', width: 'calc(100vw - 48px)' },
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  list: {
    margin: 0,
    paddingInlineStart: tokens.spacingHorizontalXL,
    display: 'grid',
    gap: tokens.spacingVerticalXS,
  },
});

/**
 * "Add Azure plan" (the seed's first step, R4 and R20): what it is and what follows from it, then
 * one click. The order is partner center's cart checkout; the plan itself costs nothing.
 */
export function AddAzurePlanDialog(props: {
  customerId: string;
  company: string;
  onClose: () => void;
  onBought: (plan: AzurePlanResult) => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const buy = useBuyAzurePlan(props.customerId);
  const [name, setName] = useState('Azure plan');
  const busy = buy.isPending;
  const bad = errorField(buy.error) === 'friendlyName';
  return (
    <Dialog open onOpenChange={(_, data) => !data.open && !busy && props.onClose()} modalType="modal">
      <DialogSurface className={styles.surface} data-testid="azure-plan-dialog">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (!busy) buy.mutate(name.trim(), { onSuccess: props.onBought });
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
              {t('partnerJobs.azurePlan.title', { company: props.company })}
            </DialogTitle>
            <DialogContent className={styles.content}>
              <Text>{t('partnerJobs.azurePlan.intro', { company: props.company })}</Text>
              <ul className={styles.list}>
                <li>{t('partnerJobs.azurePlan.points.cost')}</li>
                <li>{t('partnerJobs.azurePlan.points.order')}</li>
                <li>{t('partnerJobs.azurePlan.points.next', { company: props.company })}</li>
              </ul>
              <Field
                label={t('partnerJobs.azurePlan.name')}
                hint={t('partnerJobs.azurePlan.nameHint')}
                validationState={bad ? 'error' : 'none'}
                validationMessage={bad ? buy.error?.message : undefined}
              >
                <Input
                  value={name}
                  maxLength={100}
                  disabled={busy}
                  onChange={(_, data) => setName(data.value)}
                  data-testid="azure-plan-name"
                />
              </Field>
              {buy.error && !bad && (
                <JobError error={buy.error} failedTitle={t('partnerJobs.azurePlan.failed')} />
              )}
            </DialogContent>
            <DialogActions>
              <Button
                type="submit"
                appearance="primary"
                disabled={busy}
                icon={busy ? <Spinner size="tiny" /> : undefined}
                data-testid="azure-plan-submit"
              >
                {busy ? t('partnerJobs.azurePlan.buying') : t('partnerJobs.azurePlan.add')}
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
