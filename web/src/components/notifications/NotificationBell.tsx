import {
  Button,
  CounterBadge,
  Divider,
  makeStyles,
  Popover,
  PopoverSurface,
  PopoverTrigger,
  Spinner,
  Text,
  Tooltip,
  tokens,
} from '@fluentui/react-components';
import { Alert20Regular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { paths, useRouter } from '../../router.tsx';
import { ErrorBar } from '../QueryState.tsx';
import { RouterLink } from '../RouterLink.tsx';
import { NotificationItem } from './NotificationItem.tsx';
import { useMarkAllRead, useNotificationFeed, useUnreadCount } from './useNotifications.ts';

const useStyles = makeStyles({
  trigger: { position: 'relative' },
  badge: { position: 'absolute', top: '2px', right: '0px', pointerEvents: 'none' },
  surface: { width: '420px', maxWidth: '90vw', padding: 0 },
  head: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
  },
  title: { fontWeight: tokens.fontWeightSemibold },
  list: { maxHeight: '420px', overflowY: 'auto', padding: tokens.spacingVerticalXS },
  empty: { padding: tokens.spacingHorizontalM, color: tokens.colorNeutralForeground3, display: 'block' },
  foot: {
    display: 'flex',
    justifyContent: 'space-between',
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
  },
});

/** The partner portal header's bell: the unread count, and a panel with the latest entries. */
export function NotificationBell({ className }: { className?: string }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const [open, setOpen] = useState(false);
  const { path } = useRouter();
  // Following a link from the panel closes it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the page changes
  useEffect(() => setOpen(false), [path]);
  const unread = useUnreadCount();
  const feed = useNotificationFeed({ size: 10, enabled: open });
  const markAll = useMarkAllRead();
  const count = unread.data ?? 0;
  const entries = feed.data?.pages[0]?.items ?? [];
  const label = count ? t('notifications.bellUnread', { count }) : t('notifications.bell');

  return (
    <Popover open={open} onOpenChange={(_, d) => setOpen(d.open)} positioning="below-end" trapFocus>
      <PopoverTrigger disableButtonEnhancement>
        <Tooltip content={label} relationship="label">
          <span className={styles.trigger}>
            <Button
              appearance="subtle"
              icon={<Alert20Regular />}
              className={className}
              data-testid="notification-bell"
              aria-label={label}
            />
            {count > 0 && (
              <CounterBadge
                className={styles.badge}
                count={count}
                overflowCount={99}
                size="small"
                color="danger"
                data-testid="notification-count"
              />
            )}
          </span>
        </Tooltip>
      </PopoverTrigger>
      <PopoverSurface className={styles.surface} data-testid="notification-panel">
        <div className={styles.head}>
          <Text className={styles.title}>{t('notifications.latest')}</Text>
          <Button
            size="small"
            appearance="subtle"
            disabled={count === 0 || markAll.isPending}
            onClick={() => markAll.mutate()}
            data-testid="notifications-mark-all"
          >
            {t('notifications.markAllRead')}
          </Button>
        </div>
        <Divider />
        <div className={styles.list}>
          {feed.isPending && <Spinner size="tiny" label={t('common.loading')} />}
          {feed.isError && <ErrorBar error={feed.error} onRetry={() => void feed.refetch()} />}
          {feed.isSuccess && entries.length === 0 && (
            <Text className={styles.empty}>{t('notifications.empty')}</Text>
          )}
          {entries.map((e) => (
            <NotificationItem key={e.id} entry={e} onOpen={() => setOpen(false)} />
          ))}
        </div>
        <Divider />
        <div className={styles.foot}>
          <RouterLink href={paths.notifications} data-testid="notifications-see-all">
            {t('notifications.seeAll')}
          </RouterLink>
          <RouterLink href={paths.notificationPreferences}>{t('notifications.preferences')}</RouterLink>
        </div>
      </PopoverSurface>
    </Popover>
  );
}
