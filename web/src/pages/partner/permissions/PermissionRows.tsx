import { Badge, makeStyles, Text, tokens } from '@fluentui/react-components';
import { CheckmarkCircle16Filled, SubtractCircle16Regular, Warning16Regular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import { type PermissionsView, permissionResources } from '../../../api.ts';
import { blockedTitle } from './BlockedBar.tsx';

const useStyles = makeStyles({
  list: { listStyle: 'none', margin: 0, padding: 0 },
  row: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalL,
    paddingBlock: tokens.spacingVerticalM,
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  text: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, minWidth: 0 },
  muted: { color: tokens.colorNeutralForeground3 },
  blocked: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalXS,
    color: tokens.colorPaletteDarkOrangeForeground1,
  },
  badge: { flexShrink: 0 },
});

/** The current state of each permission, read-only. */
export function PermissionRows({ view }: { view: PermissionsView }) {
  const { t } = useTranslation();
  const styles = useStyles();
  return (
    <ul className={styles.list} aria-label={t('permissions.title')}>
      {permissionResources.map((resource) => {
        const allowed = view.permissions[resource];
        const blocked = view.enableBlockedBy[resource];
        return (
          <li
            key={resource}
            className={styles.row}
            data-testid={`permission-row-${resource}`}
            data-allowed={String(allowed)}
          >
            <div className={styles.text}>
              <Text weight="semibold">{t(`permissions.resources.${resource}`)}</Text>
              <Text size={200} className={styles.muted}>
                {t(`permissions.hints.${resource}`)}
              </Text>
              {blocked && !allowed && (
                <Text
                  size={200}
                  className={styles.blocked}
                  title={blocked.message}
                  data-testid={`permission-blocked-note-${resource}`}
                >
                  <Warning16Regular />
                  {blockedTitle(t, blocked.code)}
                </Text>
              )}
            </div>
            <Badge
              className={styles.badge}
              size="large"
              shape="rounded"
              appearance={allowed ? 'tint' : 'outline'}
              color={allowed ? 'success' : 'informative'}
              icon={allowed ? <CheckmarkCircle16Filled /> : <SubtractCircle16Regular />}
              data-testid={`permission-state-${resource}`}
            >
              {allowed ? t('permissions.allowed') : t('permissions.notAllowed')}
            </Badge>
          </li>
        );
      })}
    </ul>
  );
}
