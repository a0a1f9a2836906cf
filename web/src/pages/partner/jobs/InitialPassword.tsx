import {
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { Checkmark16Regular, Copy16Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CreatedUser } from '../../../api.ts';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'end' },
  grow: { flexGrow: 1 },
  password: { fontFamily: tokens.fontFamilyMonospace, letterSpacing: '0.05em' },
});

/**
 * A new user's sign-in name and initial password. The password is in this one answer only (Mitra
 * keeps its hash), so the panel says so and offers to copy it.
 */
export function InitialPassword({ user }: { user: CreatedUser }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(user.initialPassword);
      setCopied(true);
    } catch {
      // No clipboard (an insecure origin): the password stays selectable in the field.
    }
  };
  const signInUrl = `${window.location.origin}/login`;
  return (
    <div className={styles.root} data-testid="initial-password">
      <MessageBar intent="warning" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>{t('partnerJobs.password.onceTitle')}</MessageBarTitle>
          {t('partnerJobs.password.once', { name: user.displayName })}
        </MessageBarBody>
      </MessageBar>
      <Field label={t('partnerJobs.password.signInName')}>
        <Input value={user.email} readOnly data-testid="initial-password-email" />
      </Field>
      <div className={styles.row}>
        <Field label={t('partnerJobs.password.title')} className={styles.grow}>
          <Input
            value={user.initialPassword}
            readOnly
            input={{ className: styles.password }}
            onFocus={(event) => event.currentTarget.select()}
            data-testid="initial-password-value"
          />
        </Field>
        <Button
          icon={copied ? <Checkmark16Regular /> : <Copy16Regular />}
          onClick={() => void copy()}
          data-testid="initial-password-copy"
        >
          {copied ? t('partnerJobs.password.copied') : t('partnerJobs.password.copy')}
        </Button>
      </div>
      <span>{t('partnerJobs.password.signIn', { url: signInUrl })}</span>
    </div>
  );
}
