import { Badge, makeStyles, mergeClasses, Text, tokens } from '@fluentui/react-components';
import type { MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { NotificationEntry } from '../../api.ts';
import { useFormat } from '../../format.ts';
import { useRouter } from '../../router.tsx';
import { useMarkRead } from './useNotifications.ts';

const useStyles = makeStyles({
  item: {
    display: 'grid',
    gridTemplateColumns: '10px 1fr',
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderRadius: tokens.borderRadiusMedium,
    color: tokens.colorNeutralForeground1,
    textDecoration: 'none',
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}` },
  },
  unread: { backgroundColor: tokens.colorBrandBackground2 },
  dot: {
    width: '8px',
    height: '8px',
    marginTop: '6px',
    borderRadius: '50%',
    backgroundColor: tokens.colorBrandBackground,
  },
  noDot: { backgroundColor: 'transparent' },
  hidden: {
    position: 'absolute',
    width: '1px',
    height: '1px',
    overflow: 'hidden',
    clipPath: 'inset(50%)',
    whiteSpace: 'nowrap',
  },
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, minWidth: 0 },
  head: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'baseline', flexWrap: 'wrap' },
  label: { fontWeight: tokens.fontWeightSemibold },
  time: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  sentence: { color: tokens.colorNeutralForeground2 },
});

/**
 * One feed entry: a link to its object (a reservation, an approval…). Following it marks the
 * entry read. Used by the bell's panel and the notifications page; `data-*` attributes let browser
 * tests find an entry by event type and by the id of what it is about (e.g. an approval).
 */
export function NotificationItem({ entry, onOpen }: { entry: NotificationEntry; onOpen?: () => void }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const format = useFormat();
  const { navigate } = useRouter();
  const markRead = useMarkRead();
  const subject = (entry.data.approval ?? entry.data.commitment ?? entry.data.created) as
    | { id?: string }
    | undefined;

  const open = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || event.button !== 0) {
      if (!entry.read) markRead.mutate(entry.id);
      return;
    }
    event.preventDefault();
    if (!entry.read) markRead.mutate(entry.id);
    onOpen?.();
    navigate(entry.link);
  };

  return (
    <a
      href={entry.link}
      onClick={open}
      className={mergeClasses(styles.item, !entry.read && styles.unread)}
      data-testid="notification-entry"
      data-type={entry.type}
      data-read={entry.read ? 'true' : 'false'}
      data-subject-id={subject?.id}
    >
      <span className={mergeClasses(styles.dot, entry.read && styles.noDot)} aria-hidden="true" />
      <span className={styles.body}>
        <span className={styles.head}>
          {!entry.read && <span className={styles.hidden}>{t('notifications.unread')}: </span>}
          <Text className={styles.label}>{entry.label}</Text>
          <Text className={styles.time}>{format.dateTime(entry.occurredAt)}</Text>
          {entry.beyondPartnerCenter && (
            <Badge appearance="tint" color="informative" size="small" data-testid="beyond-partner-center">
              {t('notifications.beyondPartnerCenter')}
            </Badge>
          )}
        </span>
        <Text className={styles.sentence} data-testid="notification-sentence">
          {entry.sentence}
        </Text>
      </span>
    </a>
  );
}
