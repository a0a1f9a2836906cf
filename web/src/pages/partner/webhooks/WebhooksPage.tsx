import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
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
import { eventTypes } from '../../../../../src/domain/events.ts';
import { api, isApiError, type Me, type WebhookEndpoint } from '../../../api.ts';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { ErrorBar, Loading } from '../../../components/QueryState.tsx';
import { StatusBadge } from '../../../components/StatusBadge.tsx';
import { useTableStyles } from '../../../components/tableStyles.ts';
import { useFormat } from '../../../format.ts';
import { isAdminAgent } from '../../../session.ts';

/** The event types an endpoint can hear: the server's own list, labelled in the portal's language. */
export const webhookEventTypes = eventTypes;

const useStyles = makeStyles({
  surface: { maxWidth: '640px', width: 'calc(100vw - 48px)' },
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  events: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(260px, 1fr))', gap: 0 },
  secret: {
    fontFamily: tokens.fontFamilyMonospace,
    wordBreak: 'break-all',
    padding: tokens.spacingVerticalS,
    backgroundColor: tokens.colorNeutralBackground3,
    borderRadius: tokens.borderRadiusMedium,
  },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS },
  deliveries: { marginTop: tokens.spacingVerticalXL },
  attempts: {
    margin: 0,
    paddingInlineStart: tokens.spacingHorizontalL,
    color: tokens.colorNeutralForeground2,
  },
  muted: { color: tokens.colorNeutralForeground3 },
  code: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
});

/** Webhooks (B1): the partner's endpoints, their deliveries and attempts. Admin agents only. */
export function WebhooksPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const table = useTableStyles();
  const client = useQueryClient();
  const [adding, setAdding] = useState(false);
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const [deleting, setDeleting] = useState<WebhookEndpoint | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const admin = isAdminAgent(me);
  const list = useQuery({ queryKey: ['webhooks'], queryFn: api.webhooks, enabled: admin });
  const refresh = () => client.invalidateQueries({ queryKey: ['webhooks'] });
  const change = useMutation({
    mutationFn: (v: { id: string; enabled: boolean }) => api.updateWebhook(v.id, { enabled: v.enabled }),
    onSuccess: refresh,
  });
  const rotate = useMutation({
    mutationFn: api.rotateWebhookSecret,
    onSuccess: (e) => {
      setSecret({ url: e.url, secret: e.secret });
      void refresh();
    },
  });
  const test = useMutation({
    mutationFn: api.testWebhook,
    onSuccess: (_d, id) => {
      setSelected(id);
      void client.invalidateQueries({ queryKey: ['webhook-deliveries', id] });
    },
  });
  const remove = useMutation({
    mutationFn: api.deleteWebhook,
    onSuccess: (_d, id) => {
      setDeleting(null);
      if (selected === id) setSelected(null);
      void refresh();
    },
  });

  const header = (
    <PageHeader
      title={t('webhooks.title')}
      description={t('webhooks.description')}
      actions={
        admin && (
          <Button appearance="primary" onClick={() => setAdding(true)} data-testid="add-webhook">
            {t('webhooks.add')}
          </Button>
        )
      }
    />
  );
  if (!admin)
    return (
      <>
        {header}
        <MessageBar intent="info">
          <MessageBarBody>{t('webhooks.adminOnly')}</MessageBarBody>
        </MessageBar>
      </>
    );
  const error = change.error ?? rotate.error ?? test.error ?? remove.error;
  const endpoints = list.data?.items ?? [];
  const current = endpoints.find((e) => e.id === selected);
  return (
    <>
      {header}
      {error && <ErrorBar error={error} />}
      {secret && <SecretDialog {...secret} onClose={() => setSecret(null)} />}
      {adding && (
        <AddEndpointDialog
          onClose={() => setAdding(false)}
          onCreated={(created) => {
            setAdding(false);
            setSecret({ url: created.url, secret: created.secret });
            setSelected(created.id);
            void refresh();
          }}
        />
      )}
      {deleting && (
        <Dialog open onOpenChange={(_, d) => !d.open && setDeleting(null)}>
          <DialogSurface data-testid="delete-webhook-dialog">
            <DialogBody>
              <DialogTitle>{t('webhooks.deleteTitle')}</DialogTitle>
              <DialogContent>{t('webhooks.deleteConfirm', { url: deleting.url })}</DialogContent>
              <DialogActions>
                <Button onClick={() => setDeleting(null)}>{t('webhooks.cancel')}</Button>
                <Button
                  appearance="primary"
                  disabled={remove.isPending}
                  onClick={() => remove.mutate(deleting.id)}
                  data-testid="confirm-delete-webhook"
                >
                  {t('webhooks.delete')}
                </Button>
              </DialogActions>
            </DialogBody>
          </DialogSurface>
        </Dialog>
      )}
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorBar error={list.error} onRetry={() => void list.refetch()} />
      ) : endpoints.length === 0 ? (
        <Text className={styles.muted} data-testid="webhooks-empty">
          {t('webhooks.empty')}
        </Text>
      ) : (
        <Table className={table.table} aria-label={t('webhooks.title')} data-testid="webhooks-table">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t('webhooks.url')}</TableHeaderCell>
              <TableHeaderCell>{t('webhooks.events')}</TableHeaderCell>
              <TableHeaderCell>{t('webhooks.status')}</TableHeaderCell>
              <TableHeaderCell>{t('webhooks.actions')}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {endpoints.map((e) => (
              <TableRow key={e.id} data-testid="webhook-row" aria-selected={e.id === selected}>
                <TableCell>
                  <div>
                    <Text className={styles.code}>{e.url}</Text>
                  </div>
                  {e.description && <Text className={styles.muted}>{e.description}</Text>}
                </TableCell>
                <TableCell>
                  {e.events.map((ev) => (
                    <div key={ev}>{t(`webhooks.eventLabels.${ev}`, { defaultValue: ev })}</div>
                  ))}
                </TableCell>
                <TableCell>
                  <StatusBadge group="webhooks.endpointStatus" status={e.enabled ? 'active' : 'disabled'} />
                  {e.disabledReason && (
                    <div>
                      <Text className={styles.muted} size={200}>
                        {e.disabledReason}
                      </Text>
                    </div>
                  )}
                </TableCell>
                <TableCell>
                  <div className={styles.actions}>
                    <Button size="small" onClick={() => setSelected(e.id)} data-testid="show-deliveries">
                      {t('webhooks.deliveries')}
                    </Button>
                    <Button
                      size="small"
                      disabled={test.isPending}
                      onClick={() => test.mutate(e.id)}
                      data-testid="test-webhook"
                    >
                      {t('webhooks.test')}
                    </Button>
                    <Button
                      size="small"
                      disabled={rotate.isPending}
                      onClick={() => rotate.mutate(e.id)}
                      data-testid="rotate-webhook"
                    >
                      {t('webhooks.rotate')}
                    </Button>
                    <Button
                      size="small"
                      disabled={change.isPending}
                      onClick={() => change.mutate({ id: e.id, enabled: !e.enabled })}
                      data-testid="toggle-webhook"
                    >
                      {e.enabled ? t('webhooks.disable') : t('webhooks.enable')}
                    </Button>
                    <Button size="small" onClick={() => setDeleting(e)} data-testid="delete-webhook">
                      {t('webhooks.delete')}
                    </Button>
                  </div>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {current && <Deliveries endpoint={current} />}
    </>
  );
}

function SecretDialog(props: { url: string; secret: string; onClose: () => void }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const [copied, setCopied] = useState(false);
  return (
    <Dialog open onOpenChange={(_, d) => !d.open && props.onClose()}>
      <DialogSurface className={styles.surface} data-testid="webhook-secret-dialog">
        <DialogBody>
          <DialogTitle>{t('webhooks.secretTitle')}</DialogTitle>
          <DialogContent className={styles.content}>
            <Text>{t('webhooks.secretIntro', { url: props.url })}</Text>
            <div className={styles.secret} data-testid="webhook-secret">
              {props.secret}
            </div>
          </DialogContent>
          <DialogActions>
            <Button
              onClick={() =>
                void navigator.clipboard?.writeText(props.secret).then(
                  () => setCopied(true),
                  () => setCopied(false),
                )
              }
              data-testid="copy-secret"
            >
              {copied ? t('webhooks.copied') : t('webhooks.copy')}
            </Button>
            <Button appearance="primary" onClick={props.onClose} data-testid="close-secret">
              {t('webhooks.secretDone')}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

function AddEndpointDialog(props: {
  onClose: () => void;
  onCreated: (e: WebhookEndpoint & { secret: string }) => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const [url, setUrl] = useState('https://');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<string[]>([]);
  const create = useMutation({ mutationFn: api.createWebhook, onSuccess: props.onCreated });
  const urlError =
    isApiError(create.error) &&
    create.error.code.startsWith('webhook-') &&
    !create.error.code.includes('events')
      ? create.error.message
      : undefined;
  return (
    <Dialog open onOpenChange={(_, d) => !d.open && !create.isPending && props.onClose()} modalType="modal">
      <DialogSurface className={styles.surface} data-testid="add-webhook-dialog">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            create.mutate({ url: url.trim(), events, description: description.trim() });
          }}
        >
          <DialogBody>
            <DialogTitle>{t('webhooks.addTitle')}</DialogTitle>
            <DialogContent className={styles.content}>
              <Field
                label={t('webhooks.url')}
                required
                validationMessage={urlError}
                hint={t('webhooks.urlHint')}
              >
                <Input value={url} onChange={(_, d) => setUrl(d.value)} data-testid="webhook-url" />
              </Field>
              <Field label={t('webhooks.descriptionLabel')}>
                <Input
                  value={description}
                  onChange={(_, d) => setDescription(d.value)}
                  data-testid="webhook-description"
                />
              </Field>
              {/* Not `required`: Fluent would make every checkbox required. Saving needs one at least. */}
              <Field label={t('webhooks.events')}>
                <div className={styles.events}>
                  {webhookEventTypes.map((type) => (
                    <Checkbox
                      key={type}
                      checked={events.includes(type)}
                      onChange={(_, d) =>
                        setEvents((now) => (d.checked ? [...now, type] : now.filter((x) => x !== type)))
                      }
                      label={t(`webhooks.eventLabels.${type}`)}
                      data-testid={`event-${type}`}
                    />
                  ))}
                </div>
              </Field>
              {create.error && !urlError && <ErrorBar error={create.error} />}
            </DialogContent>
            <DialogActions>
              <Button onClick={props.onClose} disabled={create.isPending}>
                {t('webhooks.cancel')}
              </Button>
              <Button
                appearance="primary"
                type="submit"
                disabled={create.isPending || events.length === 0}
                data-testid="save-webhook"
              >
                {t('webhooks.save')}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}

function Deliveries({ endpoint }: { endpoint: WebhookEndpoint }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const table = useTableStyles();
  const format = useFormat();
  const client = useQueryClient();
  const deliveries = useQuery({
    queryKey: ['webhook-deliveries', endpoint.id],
    queryFn: () => api.webhookDeliveries(endpoint.id),
    refetchInterval: 5_000,
  });
  const replay = useMutation({
    mutationFn: (deliveryId: string) => api.replayWebhookDelivery(endpoint.id, deliveryId),
    onSettled: () => client.invalidateQueries({ queryKey: ['webhook-deliveries', endpoint.id] }),
  });
  const items = deliveries.data?.items ?? [];
  return (
    <section className={styles.deliveries} data-testid="webhook-deliveries">
      <Text as="h2" size={500} weight="semibold">
        {t('webhooks.deliveriesOf', { url: endpoint.url })}
      </Text>
      {replay.error && <ErrorBar error={replay.error} />}
      {deliveries.isPending ? (
        <Loading />
      ) : deliveries.isError ? (
        <ErrorBar error={deliveries.error} />
      ) : items.length === 0 ? (
        <div>
          <Text className={styles.muted}>{t('webhooks.noDeliveries')}</Text>
        </div>
      ) : (
        <Table className={table.table} aria-label={t('webhooks.deliveries')}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t('webhooks.event')}</TableHeaderCell>
              <TableHeaderCell>{t('webhooks.status')}</TableHeaderCell>
              <TableHeaderCell>{t('webhooks.attempts')}</TableHeaderCell>
              <TableHeaderCell />
            </TableRow>
          </TableHeader>
          <TableBody>
            {items.map((d) => (
              <TableRow key={d.id} data-testid="delivery-row">
                <TableCell>
                  <div>{t(`webhooks.eventLabels.${d.eventType}`, { defaultValue: d.eventType })}</div>
                  <Text className={styles.muted} size={200}>
                    {format.dateTime(d.occurredAt)} · <span className={styles.code}>{d.id}</span>
                  </Text>
                </TableCell>
                <TableCell>
                  <StatusBadge group="webhooks.deliveryStatus" status={d.status} />
                  {d.nextAttemptAt && (
                    <div>
                      <Text className={styles.muted} size={200}>
                        {t('webhooks.nextAttempt', { at: format.dateTime(d.nextAttemptAt) })}
                      </Text>
                    </div>
                  )}
                </TableCell>
                <TableCell>
                  <ol className={styles.attempts} data-testid="attempts">
                    {d.attempts.map((a) => (
                      <li key={a.attemptedAt + String(a.replay)}>
                        {format.dateTime(a.attemptedAt)} ·{' '}
                        {a.responseStatus === null ? t('webhooks.noAnswer') : `HTTP ${a.responseStatus}`} ·{' '}
                        {t('webhooks.duration', { ms: a.durationMs })}
                        {a.replay && ` · ${t('webhooks.replayed')}`}
                        {/* An HTTP answer says it all; the error is for no answer (timeout, refused address). */}
                        {a.error && a.responseStatus === null && (
                          <div>
                            <Text size={200}>{a.error}</Text>
                          </div>
                        )}
                      </li>
                    ))}
                  </ol>
                </TableCell>
                <TableCell>
                  <Button
                    size="small"
                    disabled={replay.isPending}
                    onClick={() => replay.mutate(d.id)}
                    data-testid="replay-delivery"
                  >
                    {t('webhooks.replay')}
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </section>
  );
}
