import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  Spinner,
  tokens,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';

const useStyles = makeStyles({
  spinner: { paddingBlock: tokens.spacingVerticalXXL },
  bar: { marginBottom: tokens.spacingVerticalM },
});

export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  const styles = useStyles();
  return (
    <Spinner
      className={styles.spinner}
      size="small"
      label={label ?? t('common.loading')}
      data-testid="loading"
    />
  );
}

/** The API's own sentence (it says what to do), with a retry when the caller can offer one. */
export function ErrorBar({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const message = error instanceof Error ? error.message : String(error);
  return (
    <MessageBar intent="error" className={styles.bar} data-testid="error-bar">
      <MessageBarBody>
        <MessageBarTitle>{t('common.errorTitle')}</MessageBarTitle>
        {message}
      </MessageBarBody>
      {onRetry && (
        <MessageBarActions>
          <Button size="small" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        </MessageBarActions>
      )}
    </MessageBar>
  );
}
