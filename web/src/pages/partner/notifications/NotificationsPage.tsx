import { Button, Card, makeStyles, Switch, Text, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NotificationItem } from '../../../components/notifications/NotificationItem.tsx';
import {
  useMarkAllRead,
  useNotificationFeed,
  useUnreadCount,
} from '../../../components/notifications/useNotifications.ts';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { ErrorBar, Loading } from '../../../components/QueryState.tsx';
import { RouterLink } from '../../../components/RouterLink.tsx';
import { paths } from '../../../router.tsx';

const useStyles = makeStyles({
  toolbar: {
    display: 'flex',
    gap: tokens.spacingHorizontalM,
    alignItems: 'center',
    marginBottom: tokens.spacingVerticalM,
  },
  list: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXXS,
    padding: tokens.spacingVerticalS,
  },
  empty: { color: tokens.colorNeutralForeground3, padding: tokens.spacingHorizontalM },
  more: { marginTop: tokens.spacingVerticalM },
});

/** Every entry of the signed-in user's feed, newest first, with links to each object. */
export function NotificationsPage() {
  const { t } = useTranslation();
  const styles = useStyles();
  const [onlyUnread, setOnlyUnread] = useState(false);
  const feed = useNotificationFeed({ size: 50, unread: onlyUnread });
  const unread = useUnreadCount();
  const markAll = useMarkAllRead();
  const entries = feed.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      <PageHeader
        title={t('notifications.title')}
        description={t('notifications.description')}
        actions={
          <>
            <RouterLink href={paths.notificationPreferences}>{t('notifications.preferences')}</RouterLink>
            <Button
              onClick={() => markAll.mutate()}
              disabled={!unread.data || markAll.isPending}
              data-testid="notifications-page-mark-all"
            >
              {t('notifications.markAllRead')}
            </Button>
          </>
        }
      />
      <div className={styles.toolbar}>
        <Switch
          label={t('notifications.onlyUnread')}
          checked={onlyUnread}
          onChange={(_, d) => setOnlyUnread(d.checked)}
        />
      </div>
      {feed.isPending && <Loading />}
      {feed.isError && <ErrorBar error={feed.error} onRetry={() => void feed.refetch()} />}
      {feed.isSuccess && (
        <Card>
          <div className={styles.list} data-testid="notifications-page-list">
            {entries.length === 0 && <Text className={styles.empty}>{t('notifications.emptyAll')}</Text>}
            {entries.map((e) => (
              <NotificationItem key={e.id} entry={e} />
            ))}
          </div>
        </Card>
      )}
      {feed.hasNextPage && (
        <Button
          className={styles.more}
          onClick={() => void feed.fetchNextPage()}
          disabled={feed.isFetchingNextPage}
        >
          {t('notifications.loadMore')}
        </Button>
      )}
    </>
  );
}
