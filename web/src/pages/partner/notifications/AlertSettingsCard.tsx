import {
  Button,
  Card,
  CardHeader,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  makeStyles,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type AlertSettings, api, type Me } from '../../../api.ts';
import { ErrorBar } from '../../../components/QueryState.tsx';
import { isAdminAgent } from '../../../session.ts';

const useStyles = makeStyles({
  card: { marginTop: tokens.spacingVerticalXXL, maxWidth: '720px' },
  row: { display: 'flex', gap: tokens.spacingHorizontalL, alignItems: 'flex-end', flexWrap: 'wrap' },
  input: { width: '120px' },
  windowInput: { width: '180px' },
  muted: { color: tokens.colorNeutralForeground3 },
});

/** The partner's alert settings (B11): when a commitment counts as under-used. Admin agents edit. */
export function AlertSettingsCard({ me }: { me: Me }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const client = useQueryClient();
  const canEdit = isAdminAgent(me);
  const settings = useQuery({ queryKey: ['alert-settings'], queryFn: api.alertSettings });
  const [draft, setDraft] = useState<{ threshold: string; window: string } | null>(null);
  const current = settings.data?.underutilization;
  const threshold = draft?.threshold ?? String(current?.thresholdPercent ?? '');
  const window = draft?.window ?? String(current?.windowDays ?? '');
  const save = useMutation({
    mutationFn: (s: AlertSettings) => api.setAlertSettings(s),
    onSuccess: (s) => {
      client.setQueryData(['alert-settings'], s);
      setDraft(null);
    },
  });
  const t1 = Number(threshold);
  const w1 = Number(window);
  const valid = t1 >= 1 && t1 <= 100 && Number.isInteger(w1) && w1 >= 1 && w1 <= 90;

  return (
    <Card className={styles.card} data-testid="alert-settings">
      <CardHeader
        header={<Text weight="semibold">{t('alerts.title')}</Text>}
        description={<Text className={styles.muted}>{t('alerts.description')}</Text>}
      />
      {settings.isError && <ErrorBar error={settings.error} onRetry={() => void settings.refetch()} />}
      {settings.isSuccess && (
        <div className={styles.row}>
          <Field label={t('alerts.threshold')} validationState={valid || !draft ? 'none' : 'error'}>
            <Input
              className={styles.input}
              type="number"
              min={1}
              max={100}
              value={threshold}
              disabled={!canEdit}
              contentAfter="%"
              onChange={(_, d) => setDraft({ threshold: d.value, window })}
              data-testid="alert-threshold"
            />
          </Field>
          <Field label={t('alerts.window')}>
            <Input
              className={styles.windowInput}
              type="number"
              min={1}
              max={90}
              value={window}
              disabled={!canEdit}
              contentAfter={t('alerts.days')}
              onChange={(_, d) => setDraft({ threshold, window: d.value })}
              data-testid="alert-window"
            />
          </Field>
          {canEdit && (
            <Button
              appearance="primary"
              disabled={!draft || !valid || save.isPending}
              onClick={() => save.mutate({ underutilization: { thresholdPercent: t1, windowDays: w1 } })}
              data-testid="alert-settings-save"
            >
              {t('notifications.save')}
            </Button>
          )}
        </div>
      )}
      <Text className={styles.muted}>{canEdit ? t('alerts.expiring') : t('alerts.readOnly')}</Text>
      {save.isSuccess && !draft && (
        <MessageBar intent="success">
          <MessageBarBody>{t('notifications.saved')}</MessageBarBody>
        </MessageBar>
      )}
      {save.isError && <ErrorBar error={save.error} />}
    </Card>
  );
}
