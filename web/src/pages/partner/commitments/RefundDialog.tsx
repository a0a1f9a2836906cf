import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  Field,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  Spinner,
  Text,
  Textarea,
  tokens,
} from '@fluentui/react-components';
import { ArrowUndo16Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommitmentView } from '../../../api.ts';
import { DetailList } from '../../../components/DetailList.tsx';
import { ErrorBar } from '../../../components/QueryState.tsx';
import { useFormat } from '../../../format.ts';
import type { Notice } from './CommitmentDrawer.tsx';
import { useRefund, useRefundQuote } from './useCustomerCommitments.ts';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  amount: {
    fontSize: tokens.fontSizeBase600,
    lineHeight: tokens.lineHeightBase600,
    fontWeight: tokens.fontWeightSemibold,
    fontVariantNumeric: 'tabular-nums',
  },
  back: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXXS,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground3,
  },
  muted: { color: tokens.colorNeutralForeground3 },
});

/** Refund (cancel): the refund quote first — amount back and the refund limit left — then confirm. */
export function RefundDialog(props: {
  commitment: CommitmentView;
  customerId: string;
  onNotice: (n: Notice) => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const format = useFormat();
  const c = props.commitment;
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const quote = useRefundQuote(props.customerId, c.id, open);
  const refund = useRefund(props.customerId, c.id);
  const close = () => {
    setOpen(false);
    refund.reset();
  };
  const money = (amount: string) => format.money(amount, quote.data?.currency ?? c.currency);
  const instalments = quote.data?.cancelledInstalmentCount ?? 0;

  return (
    <Dialog open={open} onOpenChange={(_, data) => (data.open ? setOpen(true) : close())} modalType="modal">
      <DialogTrigger disableButtonEnhancement>
        <Button icon={<ArrowUndo16Regular />} data-testid="refund-open">
          {t('partnerCommitments.refund')}
        </Button>
      </DialogTrigger>
      <DialogSurface data-testid="refund-dialog">
        <DialogBody>
          <DialogTitle>{t('partnerCommitments.refundTitle', { name: c.displayName })}</DialogTitle>
          <DialogContent className={styles.content}>
            <Text>{t('partnerCommitments.refundIntro')}</Text>
            {quote.isPending && <Spinner size="small" label={t('partnerCommitments.refundQuoting')} />}
            {quote.isError && <ErrorBar error={quote.error} onRetry={() => void quote.refetch()} />}
            {quote.data && (
              <>
                <div className={styles.back}>
                  <Text className={styles.muted}>{t('partnerCommitments.refundAmount')}</Text>
                  <Text className={styles.amount} data-testid="refund-amount">
                    {money(quote.data.amount)}
                  </Text>
                  <Text size={200} className={styles.muted}>
                    {c.billingPlan === 'Monthly'
                      ? t('partnerCommitments.refundMonthly', { count: instalments })
                      : t('partnerCommitments.refundUpfront')}
                  </Text>
                </div>
                <DetailList
                  items={[
                    {
                      label: t('partnerCommitments.refundRemaining'),
                      value: money(quote.data.remainingCapBefore),
                      testId: 'refund-remaining',
                    },
                    {
                      label: t('partnerCommitments.refundPaid'),
                      value: money(quote.data.paidSoFar),
                      testId: 'refund-paid',
                    },
                    ...(c.billingPlan === 'Monthly'
                      ? [
                          {
                            label: t('partnerCommitments.refundCancelled'),
                            value: `${money(quote.data.cancelledInstalments)} (${instalments})`,
                            testId: 'refund-cancelled',
                          },
                          {
                            label: t('partnerCommitments.refundTotal'),
                            value: format.money(c.totalPrice, c.currency),
                          },
                        ]
                      : []),
                  ]}
                />
                <MessageBar intent="warning" layout="multiline">
                  <MessageBarBody>
                    <MessageBarTitle>{t('partnerCommitments.refundWarningTitle')}</MessageBarTitle>
                    {t('partnerCommitments.refundWarning')}
                  </MessageBarBody>
                </MessageBar>
                <Field label={t('partnerCommitments.refundReason')}>
                  <Textarea
                    value={reason}
                    maxLength={500}
                    onChange={(_, data) => setReason(data.value)}
                    data-testid="refund-reason"
                  />
                </Field>
              </>
            )}
            {refund.isError && <ErrorBar error={refund.error} />}
          </DialogContent>
          <DialogActions>
            <Button onClick={close} disabled={refund.isPending}>
              {t('commitment.cancel')}
            </Button>
            <Button
              appearance="primary"
              disabled={!quote.data || refund.isPending}
              icon={refund.isPending ? <Spinner size="tiny" /> : undefined}
              onClick={() =>
                refund.mutate(reason.trim() || undefined, {
                  onSuccess: (result) => {
                    close();
                    props.onNotice({
                      intent: 'success',
                      text: t('partnerCommitments.refunded', {
                        name: c.displayName,
                        amount: format.money(result.refund.amount, result.refund.currency),
                      }),
                    });
                  },
                })
              }
              data-testid="refund-confirm"
            >
              {t('partnerCommitments.refundConfirm')}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
