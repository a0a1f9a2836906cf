import { Button, Field, Input, makeStyles, Spinner, Text, tokens } from '@fluentui/react-components';
import { Checkmark16Regular, Dismiss16Regular, Rename16Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

const useStyles = makeStyles({
  view: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  form: { display: 'flex', alignItems: 'flex-start', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  input: { minWidth: '260px' },
  name: { overflowWrap: 'anywhere' },
});

/** The name, with Rename → a text box, Save and Cancel in place (R13). */
export function RenameInline(props: {
  name: string;
  canRename: boolean;
  busy: boolean;
  error: string | null;
  onSave: (name: string, done: () => void) => void;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const [draft, setDraft] = useState<string | null>(null);
  const trimmed = draft?.trim() ?? '';
  const tooLong = trimmed.length > 100;

  if (draft === null) {
    return (
      <div className={styles.view}>
        <Text weight="semibold" className={styles.name} data-testid="commitment-name">
          {props.name}
        </Text>
        {props.canRename && (
          <Button
            size="small"
            appearance="subtle"
            icon={<Rename16Regular />}
            onClick={() => setDraft(props.name)}
            data-testid="rename-start"
          >
            {t('commitment.rename')}
          </Button>
        )}
      </div>
    );
  }
  return (
    <form
      className={styles.form}
      onSubmit={(event) => {
        event.preventDefault();
        if (trimmed && !tooLong) props.onSave(trimmed, () => setDraft(null));
      }}
    >
      <Field
        className={styles.input}
        validationState={props.error || tooLong ? 'error' : 'none'}
        validationMessage={tooLong ? t('commitment.nameTooLong') : (props.error ?? undefined)}
      >
        <Input
          value={draft}
          onChange={(_, data) => setDraft(data.value)}
          aria-label={t('commitment.name')}
          autoFocus
          disabled={props.busy}
          data-testid="rename-input"
        />
      </Field>
      <Button
        type="submit"
        appearance="primary"
        icon={props.busy ? <Spinner size="tiny" /> : <Checkmark16Regular />}
        disabled={!trimmed || tooLong || props.busy || trimmed === props.name}
        data-testid="rename-save"
      >
        {t('commitment.save')}
      </Button>
      <Button
        icon={<Dismiss16Regular />}
        disabled={props.busy}
        onClick={() => {
          setDraft(null);
          props.onCancel?.();
        }}
        data-testid="rename-cancel"
      >
        {t('commitment.cancel')}
      </Button>
    </form>
  );
}
