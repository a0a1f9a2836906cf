import { Spinner, Switch } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { CommitmentView } from '../../../api.ts';
import type { Notice } from './CommitmentDrawer.tsx';
import { useUpdateCommitment } from './useCustomerCommitments.ts';

/** Auto-renewal on/off: applied at once, the result said in the drawer's notice. */
export function RenewalAction(props: {
  commitment: CommitmentView;
  customerId: string;
  onNotice: (notice: Notice) => void;
}) {
  const { t } = useTranslation();
  const c = props.commitment;
  const update = useUpdateCommitment(props.customerId, c.kind, c.id);
  const checked =
    update.isPending && update.variables?.renew !== undefined ? update.variables.renew : c.renew;
  return (
    <span style={{ display: 'inline-flex', alignItems: 'center', gap: 8 }}>
      <Switch
        checked={checked}
        disabled={update.isPending}
        label={checked ? t('partnerCommitments.renewOn') : t('partnerCommitments.renewOff')}
        onChange={(_, data) =>
          update.mutate(
            { renew: data.checked },
            {
              onSuccess: (view) =>
                props.onNotice({
                  intent: 'success',
                  text: view.renew ? t('partnerCommitments.renewedOn') : t('partnerCommitments.renewedOff'),
                }),
              onError: (error) => props.onNotice({ intent: 'error', text: error.message }),
            },
          )
        }
        data-testid="renew-switch"
      />
      {update.isPending && <Spinner size="tiny" />}
    </span>
  );
}
