import {
  Button,
  Card,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { useSignIn } from '../session.ts';

const useStyles = makeStyles({
  page: {
    minHeight: '100vh',
    display: 'flex',
    flexDirection: 'column',
    backgroundColor: tokens.colorNeutralBackground2,
  },
  top: { display: 'flex', justifyContent: 'flex-end', padding: tokens.spacingHorizontalM },
  center: { flexGrow: 1, display: 'grid', placeItems: 'center', padding: tokens.spacingHorizontalL },
  card: { width: '100%', maxWidth: '400px', padding: tokens.spacingHorizontalXXL, boxShadow: tokens.shadow8 },
  brand: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  mark: {
    width: '32px',
    height: '32px',
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorBrandBackground,
    color: tokens.colorNeutralForegroundOnBrand,
    display: 'grid',
    placeItems: 'center',
    fontWeight: tokens.fontWeightBold,
    fontSize: tokens.fontSizeBase400,
  },
  product: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400 },
  title: {
    fontSize: tokens.fontSizeBase600,
    fontWeight: tokens.fontWeightSemibold,
    marginTop: tokens.spacingVerticalL,
  },
  subtitle: { color: tokens.colorNeutralForeground3 },
  form: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    marginTop: tokens.spacingVerticalL,
  },
  submit: { marginTop: tokens.spacingVerticalS },
  footer: { textAlign: 'center', color: tokens.colorNeutralForeground3, padding: tokens.spacingVerticalL },
});

export function LoginPage() {
  const { t } = useTranslation();
  const styles = useStyles();
  const signIn = useSignIn();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!email || !password || signIn.isPending) return;
    signIn.mutate({ email: email.trim(), password });
  };

  return (
    <div className={styles.page}>
      <div className={styles.top}>
        <LanguageSwitch />
      </div>
      <div className={styles.center}>
        <Card className={styles.card}>
          <div className={styles.brand}>
            <span className={styles.mark} aria-hidden="true">
              M
            </span>
            <Text className={styles.product}>{t('app.name')}</Text>
          </div>
          <Text as="h1" className={styles.title}>
            {t('login.title')}
          </Text>
          <Text className={styles.subtitle}>{t('login.subtitle')}</Text>
          <form className={styles.form} onSubmit={onSubmit} data-testid="login-form" noValidate>
            {signIn.error && (
              <MessageBar intent="error" data-testid="login-error">
                <MessageBarBody>
                  <MessageBarTitle>{t('login.failed')}</MessageBarTitle>
                  {signIn.error.message}
                </MessageBarBody>
              </MessageBar>
            )}
            <Field label={t('login.email')} required>
              <Input
                type="email"
                autoComplete="username"
                placeholder={t('login.emailPlaceholder')}
                value={email}
                onChange={(_, data) => setEmail(data.value)}
                data-testid="login-email"
              />
            </Field>
            <Field label={t('login.password')} required>
              <Input
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={(_, data) => setPassword(data.value)}
                data-testid="login-password"
              />
            </Field>
            <Button
              type="submit"
              appearance="primary"
              className={styles.submit}
              disabled={!email || !password || signIn.isPending}
              icon={signIn.isPending ? <Spinner size="tiny" /> : undefined}
              data-testid="login-submit"
            >
              {t('login.submit')}
            </Button>
          </form>
        </Card>
      </div>
      <Text className={styles.footer}>{t('login.footer')}</Text>
    </div>
  );
}
