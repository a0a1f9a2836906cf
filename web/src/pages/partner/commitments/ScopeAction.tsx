import { Button, makeStyles, Spinner, Text, tokens } from '@fluentui/react-components';
import { Edit16Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommitmentView, SubscriptionView } from '../../../api.ts';
import {
  type ScopeDraft,
  ScopeFields,
  scopeBody,
  scopeDraftOf,
} from '../../../components/commitments/ScopeFields.tsx';
import { useCommitmentFormat } from '../../../components/commitments/useCommitmentFormat.ts';
import type { Notice } from './CommitmentDrawer.tsx';
import { useUpdateCommitment } from './useCustomerCommitments.ts';

const useStyles = makeStyles({
  view: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  form: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground3,
  },
  buttons: { display: 'flex', gap: tokens.spacingHorizontalS },
  error: { color: tokens.colorPaletteRedForeground1 },
});

/** Change scope: Shared, one of the customer's subscriptions, a resource group or a management group. */
export function ScopeAction(props: {
  commitment: CommitmentView;
  customerId: string;
  subscriptions: SubscriptionView[];
  onNotice: (notice: Notice) => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const f = useCommitmentFormat();
  const c = props.commitment;
  const update = useUpdateCommitment(props.customerId, c.kind, c.id);
  const [draft, setDraft] = useState<ScopeDraft | null>(null);
  const body = draft ? scopeBody(draft) : null;

  if (!draft) {
    return (
      <div className={styles.view}>
        <Text data-testid="scope-current">{f.scopeOf(c, props.subscriptions)}</Text>
        <Button
          size="small"
          appearance="subtle"
          icon={<Edit16Regular />}
          onClick={() => {
            update.reset();
            setDraft(scopeDraftOf(c.appliedScopeType, c.appliedScope ?? {}, c.billingSubscriptionId));
          }}
          data-testid="scope-change"
        >
          {t('partnerCommitments.changeScope')}
        </Button>
      </div>
    );
  }
  return (
    <form
      className={styles.form}
      onSubmit={(event) => {
        event.preventDefault();
        if (!body) return;
        update.mutate(body, {
          onSuccess: (view) => {
            setDraft(null);
            props.onNotice({
              intent: 'success',
              text: t('partnerCommitments.scopeChanged', { scope: f.scopeOf(view, props.subscriptions) }),
            });
          },
        });
      }}
      data-testid="scope-form"
    >
      <ScopeFields
        value={draft}
        onChange={setDraft}
        subscriptions={props.subscriptions}
        disabled={update.isPending}
      />
      {update.isError && (
        <Text size={200} className={styles.error} data-testid="scope-error">
          {update.error.message}
        </Text>
      )}
      <div className={styles.buttons}>
        <Button
          type="submit"
          appearance="primary"
          disabled={!body || update.isPending}
          icon={update.isPending ? <Spinner size="tiny" /> : undefined}
          data-testid="scope-save"
        >
          {t('commitment.save')}
        </Button>
        <Button onClick={() => setDraft(null)} disabled={update.isPending}>
          {t('commitment.cancel')}
        </Button>
      </div>
    </form>
  );
}
