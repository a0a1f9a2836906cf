import {
  Badge,
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  Spinner,
  Tab,
  TabList,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Textarea,
  tokens,
} from '@fluentui/react-components';
import { Checkmark16Regular, Dismiss16Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError, ApprovalStatus, ApprovalView } from '../../../api.ts';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { ErrorBar, Loading } from '../../../components/QueryState.tsx';
import { RouterLink } from '../../../components/RouterLink.tsx';
import { useTableStyles } from '../../../components/tableStyles.ts';
import { useFormat } from '../../../format.ts';
import { regionName } from '../../../regions.ts';
import { paths } from '../../../router.tsx';
import { isAdminAgent, useMe } from '../../../session.ts';
import { useApprovals, useDecide } from '../guardrails/useGuardrails.ts';

const useStyles = makeStyles({
  tabs: { marginBottom: tokens.spacingVerticalM },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'nowrap' },
  notice: { marginBottom: tokens.spacingVerticalM },
  what: { minWidth: '14em' },
  // The approval a notification opened (`?focus=`), so the eye lands on it.
  focused: { backgroundColor: tokens.colorBrandBackground2 },
});

const tabs: (ApprovalStatus | 'all')[] = ['pending', 'price-changed', 'approved', 'declined', 'all'];
const colorOf = {
  pending: 'warning',
  'price-changed': 'warning',
  approved: 'success',
  declined: 'danger',
} as const;

function DeclineDialog(props: { approval: ApprovalView; onDone: (error?: ApiError) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const decide = useDecide();
  return (
    <Dialog open={open} onOpenChange={(_, data) => setOpen(data.open)}>
      <Button icon={<Dismiss16Regular />} onClick={() => setOpen(true)} data-testid="approval-decline">
        {t('approvals.decline')}
      </Button>
      <DialogSurface>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            decide.mutate(
              { id: props.approval.id, decision: 'decline', reason },
              {
                onSuccess: () => {
                  setOpen(false);
                  props.onDone();
                },
              },
            );
          }}
        >
          <DialogBody>
            <DialogTitle>
              {t('approvals.declineTitle', { company: props.approval.customer.name })}
            </DialogTitle>
            <DialogContent>
              <Field label={t('approvals.reason')} hint={t('approvals.reasonHint')} required>
                <Textarea
                  value={reason}
                  maxLength={500}
                  onChange={(_, data) => setReason(data.value)}
                  data-testid="approval-decline-reason"
                />
              </Field>
              {decide.isError && (
                <MessageBar intent="error">
                  <MessageBarBody>{decide.error.message}</MessageBarBody>
                </MessageBar>
              )}
            </DialogContent>
            <DialogActions>
              <Button onClick={() => setOpen(false)}>{t('approvals.cancel')}</Button>
              <Button
                type="submit"
                appearance="primary"
                disabled={!reason.trim() || decide.isPending}
                icon={decide.isPending ? <Spinner size="tiny" /> : undefined}
                data-testid="approval-decline-submit"
              >
                {t('approvals.decline')}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}

/** Approvals (Persetujuan): customers' purchases held above their approval threshold (B2). */
export function ApprovalsPage() {
  const { t } = useTranslation();
  const styles = useStyles();
  const table = useTableStyles();
  const format = useFormat();
  const me = useMe();
  const canDecide = me.data ? isAdminAgent(me.data) : false;
  const [tab, setTab] = useState<ApprovalStatus | 'all'>('pending');
  const query = useApprovals(tab === 'all' ? undefined : tab);
  const decide = useDecide();
  const [notice, setNotice] = useState<{ intent: 'success' | 'error'; title: string; text?: string } | null>(
    null,
  );
  const what = (a: ApprovalView) =>
    a.kind === 'reservation'
      ? t('approvals.whatReservation', {
          quantity: a.quantity,
          sku: a.sku ?? '',
          region: a.region ? regionName(a.region) : '',
        })
      : t('approvals.whatSavingsPlan', { amount: format.money(a.hourlyCommitment ?? '0', a.currency) });
  const items = query.data?.items ?? [];
  // A feed entry links to `/partner/approvals?focus={approvalId}`.
  const [focus] = useState(() => new URLSearchParams(window.location.search).get('focus'));

  return (
    <>
      <PageHeader title={t('approvals.title')} description={t('approvals.description')} />
      {notice && (
        <MessageBar
          intent={notice.intent}
          layout="multiline"
          className={styles.notice}
          data-testid="approval-notice"
        >
          <MessageBarBody>
            <MessageBarTitle>{notice.title}</MessageBarTitle>
            {notice.text}
          </MessageBarBody>
        </MessageBar>
      )}
      <TabList
        className={styles.tabs}
        selectedValue={tab}
        onTabSelect={(_, data) => setTab(data.value as ApprovalStatus | 'all')}
      >
        {tabs.map((s) => (
          <Tab key={s} value={s} data-testid={`approvals-tab-${s}`}>
            {t(`approvals.tabs.${s}`)}
          </Tab>
        ))}
      </TabList>
      {query.isError && <ErrorBar error={query.error} onRetry={() => void query.refetch()} />}
      {query.isPending ? (
        <Loading />
      ) : (
        <div className={table.surface}>
          <Table
            size="small"
            className={table.table}
            aria-label={t('approvals.title')}
            data-testid="approvals-table"
          >
            <TableHeader>
              <TableRow>
                {['customer', 'what', 'value', 'requested', 'status', ...(canDecide ? ['actions'] : [])].map(
                  (key) => (
                    <TableHeaderCell
                      key={key}
                      className={key === 'value' ? table.numericHeader : table.headerCell}
                    >
                      {t(`approvals.columns.${key}`)}
                    </TableHeaderCell>
                  ),
                )}
              </TableRow>
            </TableHeader>
            <TableBody>
              {items.map((a) => (
                <TableRow
                  key={a.id}
                  data-testid="approval-row"
                  data-id={a.id}
                  data-status={a.status}
                  data-focused={a.id === focus ? 'true' : undefined}
                  className={a.id === focus ? styles.focused : undefined}
                  ref={a.id === focus ? (row) => row?.scrollIntoView({ block: 'center' }) : undefined}
                >
                  <TableCell>
                    <RouterLink href={paths.customer(a.customer.id)}>{a.customer.name}</RouterLink>
                  </TableCell>
                  <TableCell className={styles.what}>
                    <Text block>{a.displayName || what(a)}</Text>
                    <Text block size={200} className={table.muted}>
                      {[
                        a.displayName ? what(a) : null,
                        format.duration(a.term),
                        t(`commitment.plan.${a.billingPlan}`, { defaultValue: a.billingPlan }),
                      ]
                        .filter(Boolean)
                        .join(' · ')}
                    </Text>
                  </TableCell>
                  <TableCell className={table.numeric}>
                    {format.money(a.total, a.currency)}
                    <Text block size={200} className={table.muted}>
                      {t('approvals.threshold', {
                        amount: format.money(a.threshold.amount, a.threshold.currency),
                      })}
                    </Text>
                  </TableCell>
                  <TableCell className={table.nowrap}>
                    {a.requestedBy}
                    <Text block size={200} className={table.muted}>
                      {format.dateTime(a.requestedAt)}
                    </Text>
                  </TableCell>
                  <TableCell>
                    <Badge appearance="tint" color={colorOf[a.status]} data-testid="approval-status">
                      {t(`approvals.statuses.${a.status}`)}
                    </Badge>
                    {a.reason && (
                      <Text block size={200} className={table.muted}>
                        {a.reason}
                      </Text>
                    )}
                    {a.decidedBy && (
                      <Text block size={200} className={table.muted}>
                        {t('approvals.decided', {
                          who: a.decidedBy,
                          when: format.dateTime(a.decidedAt ?? ''),
                        })}
                      </Text>
                    )}
                  </TableCell>
                  {canDecide && (
                    <TableCell>
                      {(a.status === 'pending' || a.status === 'price-changed') && (
                        <div className={styles.actions}>
                          {a.status === 'pending' && (
                            <Button
                              appearance="primary"
                              icon={decide.isPending ? <Spinner size="tiny" /> : <Checkmark16Regular />}
                              disabled={decide.isPending}
                              onClick={() =>
                                decide.mutate(
                                  { id: a.id, decision: 'approve' },
                                  {
                                    onSuccess: () =>
                                      setNotice({
                                        intent: 'success',
                                        title: t('approvals.approvedNotice', { company: a.customer.name }),
                                      }),
                                    onError: (error) =>
                                      setNotice({
                                        intent: 'error',
                                        title: t('approvals.approveFailed'),
                                        text: error.message,
                                      }),
                                  },
                                )
                              }
                              data-testid="approval-approve"
                            >
                              {t('approvals.approve')}
                            </Button>
                          )}
                          <DeclineDialog
                            approval={a}
                            onDone={() =>
                              setNotice({
                                intent: 'success',
                                title: t('approvals.declinedNotice', { company: a.customer.name }),
                              })
                            }
                          />
                        </div>
                      )}
                    </TableCell>
                  )}
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {items.length === 0 && <div className={table.empty}>{t(`approvals.empty.${tab}`)}</div>}
        </div>
      )}
    </>
  );
}
