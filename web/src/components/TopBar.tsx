import { Badge, Button, makeStyles, shorthands, Text, Tooltip, tokens } from '@fluentui/react-components';
import { Settings20Regular, SignOut20Regular } from '@fluentui/react-icons';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me } from '../api.ts';
import { LanguageSwitch } from './LanguageSwitch.tsx';

const useStyles = makeStyles({
  bar: {
    height: '48px',
    flexShrink: 0,
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    paddingInline: tokens.spacingHorizontalL,
    backgroundColor: '#1f1f1f',
    color: tokens.colorNeutralForegroundOnBrand,
  },
  brand: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, minWidth: 0 },
  mark: {
    width: '24px',
    height: '24px',
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorBrandBackground,
    display: 'grid',
    placeItems: 'center',
    fontWeight: tokens.fontWeightBold,
    fontSize: tokens.fontSizeBase300,
  },
  title: { fontWeight: tokens.fontWeightSemibold, whiteSpace: 'nowrap' },
  tenant: {
    ...shorthands.borderLeft('1px', 'solid', 'rgba(255,255,255,0.3)'),
    paddingLeft: tokens.spacingHorizontalM,
    color: 'rgba(255,255,255,0.85)',
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  },
  spacer: { flexGrow: 1 },
  user: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, whiteSpace: 'nowrap' },
  email: { color: 'rgba(255,255,255,0.9)' },
  onDark: {
    color: tokens.colorNeutralForegroundOnBrand,
    ':hover': { color: tokens.colorNeutralForegroundOnBrand, backgroundColor: 'rgba(255,255,255,0.12)' },
    ':hover:active': {
      color: tokens.colorNeutralForegroundOnBrand,
      backgroundColor: 'rgba(255,255,255,0.2)',
    },
  },
});

interface TopBarProps {
  title: string;
  me: Me;
  roleLabel: string;
  onSignOut: () => void;
  signingOut?: boolean;
  onSettings?: () => void;
  /** Extra header buttons before the settings button (the partner portal's notification bell). */
  actions?: (className: string) => ReactNode;
}

export function TopBar({ title, me, roleLabel, onSignOut, signingOut, onSettings, actions }: TopBarProps) {
  const { t } = useTranslation();
  const styles = useStyles();
  return (
    <header className={styles.bar} data-testid="top-bar">
      <div className={styles.brand}>
        <span className={styles.mark} aria-hidden="true">
          M
        </span>
        <Text className={styles.title} data-testid="app-title">
          {title}
        </Text>
        <Text className={styles.tenant} data-testid="tenant-name" title={me.tenant.name}>
          {me.tenant.name}
        </Text>
      </div>
      <div className={styles.spacer} />
      <LanguageSwitch className={styles.onDark} />
      {actions?.(styles.onDark)}
      {onSettings && (
        <Tooltip content={t('shell.settings')} relationship="label">
          <Button
            appearance="subtle"
            icon={<Settings20Regular />}
            className={styles.onDark}
            onClick={onSettings}
            data-testid="nav-settings"
          />
        </Tooltip>
      )}
      <div className={styles.user} data-testid="signed-in-user">
        <Text className={styles.email} title={t('shell.signedInAs', { email: me.email })}>
          {me.email}
        </Text>
        <Badge appearance="filled" color="brand" data-testid="role-badge">
          {roleLabel}
        </Badge>
      </div>
      <Button
        appearance="subtle"
        icon={<SignOut20Regular />}
        className={styles.onDark}
        onClick={onSignOut}
        disabled={signingOut}
        data-testid="sign-out"
      >
        {t('shell.signOut')}
      </Button>
    </header>
  );
}
