import {
  Button,
  Checkbox,
  MessageBar,
  MessageBarBody,
  makeStyles,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Me, type NotificationPreference } from '../../../api.ts';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { ErrorBar, Loading } from '../../../components/QueryState.tsx';
import { useTableStyles } from '../../../components/tableStyles.ts';
import { AlertSettingsCard } from './AlertSettingsCard.tsx';

const useStyles = makeStyles({
  actions: {
    display: 'flex',
    gap: tokens.spacingHorizontalM,
    alignItems: 'center',
    marginTop: tokens.spacingVerticalL,
  },
  note: { color: tokens.colorNeutralForeground3, display: 'block', marginTop: tokens.spacingVerticalM },
  type: {
    color: tokens.colorNeutralForeground3,
    fontSize: tokens.fontSizeBase200,
    fontFamily: tokens.fontFamilyMonospace,
  },
  check: { width: '140px' },
});

type Choice = Pick<NotificationPreference, 'inApp' | 'email'>;

/** Per event type: in the signed-in user's feed, by e-mail. Their own choice, for nobody else. */
export function NotificationPreferencesPage({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const styles = { ...useTableStyles(), ...useStyles() };
  const lang = i18n.language === 'id' ? 'id' : 'en';
  const client = useQueryClient();
  const prefs = useQuery({
    queryKey: ['notification-preferences', lang],
    queryFn: () => api.notificationPreferences(lang),
  });
  const [edits, setEdits] = useState<Record<string, Choice>>({});
  const save = useMutation({
    mutationFn: () =>
      api.setNotificationPreferences(
        lang,
        Object.entries(edits).map(([type, c]) => ({ type, ...c })),
      ),
    onSuccess: (result) => {
      client.setQueryData(['notification-preferences', lang], result);
      void client.invalidateQueries({ queryKey: ['notification-preferences'] });
      setEdits({});
    },
  });
  const dirty = Object.keys(edits).length > 0;

  const choiceOf = (p: NotificationPreference): Choice => edits[p.type] ?? { inApp: p.inApp, email: p.email };
  const change = (p: NotificationPreference, patch: Partial<Choice>) => {
    save.reset();
    setEdits((e) => ({ ...e, [p.type]: { ...choiceOf(p), ...patch } }));
  };

  return (
    <>
      <PageHeader
        title={t('notifications.prefsTitle')}
        description={t('notifications.prefsDescription', { email: me.email })}
      />
      {prefs.isPending && <Loading />}
      {prefs.isError && <ErrorBar error={prefs.error} onRetry={() => void prefs.refetch()} />}
      {prefs.isSuccess && (
        <>
          <Table className={styles.table} data-testid="notification-preferences">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t('notifications.prefsEvent')}</TableHeaderCell>
                <TableHeaderCell className={styles.check}>{t('notifications.prefsInApp')}</TableHeaderCell>
                <TableHeaderCell className={styles.check}>{t('notifications.prefsEmail')}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {prefs.data.items.map((p) => {
                const c = choiceOf(p);
                return (
                  <TableRow key={p.type} data-type={p.type}>
                    <TableCell>
                      <div>{p.label}</div>
                      <Text className={styles.type}>{p.type}</Text>
                    </TableCell>
                    <TableCell>
                      <Checkbox
                        checked={c.inApp}
                        onChange={(_, d) => change(p, { inApp: Boolean(d.checked) })}
                        aria-label={`${p.label}: ${t('notifications.prefsInApp')}`}
                        data-testid="pref-in-app"
                      />
                    </TableCell>
                    <TableCell>
                      <Checkbox
                        checked={c.email}
                        onChange={(_, d) => change(p, { email: Boolean(d.checked) })}
                        aria-label={`${p.label}: ${t('notifications.prefsEmail')}`}
                        data-testid="pref-email"
                      />
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
          <div className={styles.actions}>
            <Button
              appearance="primary"
              disabled={!dirty || save.isPending}
              onClick={() => save.mutate()}
              data-testid="preferences-save"
            >
              {t('notifications.save')}
            </Button>
            {dirty && <Text>{t('notifications.unsaved')}</Text>}
            {save.isSuccess && !dirty && (
              <MessageBar intent="success">
                <MessageBarBody>{t('notifications.saved')}</MessageBarBody>
              </MessageBar>
            )}
          </div>
          {save.isError && <ErrorBar error={save.error} />}
          <Text className={styles.note}>{t('notifications.emailNote')}</Text>
        </>
      )}
      <AlertSettingsCard me={me} />
    </>
  );
}
