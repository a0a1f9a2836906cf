import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';

/** Query keys of the feed: every change to it refreshes them all (bell, panel, page). */
export const notificationKeys = {
  all: ['notifications'] as const,
  unread: ['notifications', 'unread'] as const,
  list: (lang: string, size: number, unread: boolean) =>
    ['notifications', 'list', lang, size, unread] as const,
};

/** How often the bell asks for the unread count: new purchases show within this time. */
export const unreadPollMs = 15_000;

export function useUnreadCount() {
  return useQuery({
    queryKey: notificationKeys.unread,
    queryFn: api.unreadNotifications,
    refetchInterval: unreadPollMs,
    select: (r) => r.unreadCount,
  });
}

/** The feed, newest first, in the portal's language, page by page. */
export function useNotificationFeed(options: { size: number; unread?: boolean; enabled?: boolean }) {
  const { i18n } = useTranslation();
  const lang = i18n.language === 'id' ? 'id' : 'en';
  return useInfiniteQuery({
    queryKey: notificationKeys.list(lang, options.size, Boolean(options.unread)),
    queryFn: ({ pageParam }) =>
      api.notifications({ lang, size: options.size, unread: options.unread, continuationToken: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.continuationToken,
    enabled: options.enabled ?? true,
  });
}

export function useMarkRead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.markNotificationRead(id),
    onSuccess: (r) => {
      client.setQueryData(notificationKeys.unread, { unreadCount: r.unreadCount });
      void client.invalidateQueries({ queryKey: notificationKeys.all });
    },
  });
}

export function useMarkAllRead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.markAllNotificationsRead(),
    onSuccess: () => {
      client.setQueryData(notificationKeys.unread, { unreadCount: 0 });
      void client.invalidateQueries({ queryKey: notificationKeys.all });
    },
  });
}
