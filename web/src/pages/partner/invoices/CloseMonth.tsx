import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { CalendarCheckmark20Regular, Dismiss16Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InvoiceSummary, MonthClosed } from '../../../api.ts';
import { type InvoiceSource, useInvoice } from '../../../components/invoices/source.ts';
import { useInvoiceFormat } from '../../../components/invoices/useInvoiceFormat.ts';
import { utcDay } from '../../../dates.ts';
import { useFormat } from '../../../format.ts';
import { InvoiceActionError } from './InvoiceActionError.tsx';
import { useCloseMonth } from './useInvoiceActions.ts';

const useStyles = makeStyles({
  bar: { marginBottom: tokens.spacingVerticalM },
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  steps: {
    margin: 0,
    paddingLeft: tokens.spacingHorizontalXL,
    display: 'grid',
    gap: tokens.spacingVerticalXS,
  },
});

/**
 * The oldest month that has ended but is still open (its invoice is a draft): months close by
 * themselves a day or so after they end; this is the same close, earlier.
 */
function openPastMonth(items: readonly InvoiceSummary[]): InvoiceSummary | null {
  const current = utcDay().slice(0, 7);
  const open = items.filter((i) => i.status === 'draft' && i.month < current);
  return open.length ? open[open.length - 1] : null;
}

/**
 * "Close {month} and issue invoices now" for an Admin agent while last month is open, with what it
 * does to every customer first, and the numbers it issued after.
 */
export function CloseMonth(props: { items: InvoiceSummary[]; source: InvoiceSource }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const format = useFormat();
  const f = useInvoiceFormat();
  const draft = openPastMonth(props.items);
  // The draft knows the day its month closes by itself (the server's MITRA_MONTH_CLOSE_DAYS).
  const detail = useInvoice(props.source, draft?.id ?? null);
  const [confirming, setConfirming] = useState(false);
  const [result, setResult] = useState<MonthClosed | null>(null);
  const close = useCloseMonth();

  if (result) return <Closed result={result} onDismiss={() => setResult(null)} />;
  if (!draft) return null;
  const month = f.month(draft.month);
  const closesOn = detail.data?.closesOn ?? null;
  const date = closesOn ? format.date(closesOn) : null;
  const stop = () => {
    setConfirming(false);
    close.reset();
  };

  return (
    <>
      <MessageBar intent="info" layout="multiline" className={styles.bar} data-testid="close-month-bar">
        <MessageBarBody>
          <MessageBarTitle>{t('invoices.close.barTitle', { month })}</MessageBarTitle>
          {date && t(closesOn! <= utcDay() ? 'invoices.close.barDue' : 'invoices.close.bar', { month, date })}
        </MessageBarBody>
        <MessageBarActions>
          <Button
            appearance="primary"
            size="small"
            icon={<CalendarCheckmark20Regular />}
            onClick={() => setConfirming(true)}
            data-testid="close-month-open"
            data-month={draft.month}
          >
            {t('invoices.close.button', { month })}
          </Button>
        </MessageBarActions>
      </MessageBar>
      <Dialog open={confirming} onOpenChange={(_, data) => !data.open && stop()} modalType="alert">
        <DialogSurface data-testid="close-month-dialog">
          <DialogBody>
            <DialogTitle>{t('invoices.close.title', { month })}</DialogTitle>
            <DialogContent className={styles.content}>
              <Text>{t('invoices.close.intro', { month })}</Text>
              <ol className={styles.steps}>
                <li>{t('invoices.close.numbered', { month })}</li>
                <li>{t('invoices.close.usage', { month })}</li>
                <li>{t('invoices.close.corrections')}</li>
              </ol>
              {close.error && (
                <InvoiceActionError error={close.error} failedTitle={t('invoices.close.failed')} />
              )}
            </DialogContent>
            <DialogActions>
              <Button onClick={stop} disabled={close.isPending}>
                {t('invoices.cancel')}
              </Button>
              <Button
                appearance="primary"
                disabled={close.isPending}
                icon={close.isPending ? <Spinner size="tiny" /> : undefined}
                onClick={() =>
                  close.mutate(draft.month, {
                    onSuccess: (answer) => {
                      setConfirming(false);
                      setResult(answer);
                    },
                  })
                }
                data-testid="close-month-confirm"
              >
                {t('invoices.close.confirm', { month })}
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </>
  );
}

/** What closing issued, for every customer: how many invoices and their range of numbers. */
function Closed({ result, onDismiss }: { result: MonthClosed; onDismiss: () => void }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const f = useInvoiceFormat();
  const month = f.month(result.month);
  const numbers = result.invoices.map((i) => i.number);
  const text = result.alreadyClosed
    ? t('invoices.close.already', { month, count: numbers.length })
    : numbers.length === 0
      ? t('invoices.close.doneNone', { month })
      : t('invoices.close.done', { month, count: numbers.length, first: numbers[0], last: numbers.at(-1) });
  return (
    <MessageBar intent="success" layout="multiline" className={styles.bar} data-testid="close-month-result">
      <MessageBarBody>{text}</MessageBarBody>
      <MessageBarActions
        containerAction={
          <Button
            appearance="transparent"
            size="small"
            icon={<Dismiss16Regular />}
            aria-label={t('invoices.dismiss')}
            onClick={onDismiss}
          />
        }
      />
    </MessageBar>
  );
}
