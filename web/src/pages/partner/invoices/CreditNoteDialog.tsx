import {
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
  Text,
  Textarea,
  tokens,
} from '@fluentui/react-components';
import { DocumentArrowLeft20Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InvoiceDetail } from '../../../api.ts';
import { useInvoiceFormat } from '../../../components/invoices/useInvoiceFormat.ts';
import { useFormat } from '../../../format.ts';
import { useRouter } from '../../../router.tsx';
import { InvoiceActionError } from './InvoiceActionError.tsx';
import { useCreditInvoice, useCustomerTax } from './useInvoiceActions.ts';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  steps: {
    margin: 0,
    paddingLeft: tokens.spacingHorizontalXL,
    display: 'grid',
    gap: tokens.spacingVerticalXS,
  },
});

/**
 * "Correct with a credit note": what it does first (nothing issued changes; a credit note cancels
 * the invoice; the month is invoiced again with today's profile, tax and rate), the reason, then
 * the new numbers with a way to open each.
 */
export function CreditNoteDialog(props: {
  customerId: string;
  invoice: InvoiceDetail;
  pageOf: (invoiceId: string) => string;
  /**
   * Whether the invoice can be corrected now (issued, not yet credited). The dialog stays mounted
   * after it is corrected, when the invoice turns "credited", to show the new numbers.
   */
  canCredit: boolean;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const format = useFormat();
  const f = useInvoiceFormat();
  const { navigate } = useRouter();
  const inv = props.invoice;
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const credit = useCreditInvoice(props.customerId, inv.id);
  const tax = useCustomerTax(props.customerId, open);
  const done = credit.data;
  const close = () => {
    setOpen(false);
    setReason('');
    credit.reset();
  };
  const go = (id: string) => {
    close();
    navigate(props.pageOf(id));
  };
  const number = inv.number ?? '';
  const month = f.month(inv.month);
  const trimmed = reason.trim();

  return (
    <>
      {props.canCredit && (
        <Button
          size="small"
          icon={<DocumentArrowLeft20Regular />}
          onClick={() => setOpen(true)}
          data-testid="credit-note-open"
        >
          {t('invoices.credit.button')}
        </Button>
      )}
      <Dialog open={open} onOpenChange={(_, data) => !data.open && close()} modalType="modal">
        <DialogSurface data-testid="credit-note-dialog">
          <DialogBody>
            <DialogTitle>{t('invoices.credit.title', { number })}</DialogTitle>
            <DialogContent className={styles.content}>
              {done ? (
                <MessageBar intent="success" layout="multiline" data-testid="credit-note-result">
                  <MessageBarBody>
                    <MessageBarTitle>{t('invoices.credit.doneTitle')}</MessageBarTitle>
                    {t('invoices.credit.done', {
                      number,
                      creditNote: done.creditNote.number,
                      replacement: done.replacement.number,
                    })}
                  </MessageBarBody>
                </MessageBar>
              ) : (
                <>
                  <Text>{t('invoices.credit.intro')}</Text>
                  <ol className={styles.steps} data-testid="credit-note-consequences">
                    <li>{t('invoices.credit.stays', { number })}</li>
                    <li>{t('invoices.credit.cancels', { total: format.money(inv.total, inv.currency) })}</li>
                    <li>
                      {t('invoices.credit.reissues', {
                        month,
                        tax: tax.data ? f.taxLine(tax.data) : '…',
                      })}
                    </li>
                  </ol>
                  <Field label={t('invoices.credit.reason')} hint={t('invoices.credit.reasonHint')} required>
                    <Textarea
                      value={reason}
                      maxLength={500}
                      onChange={(_, data) => setReason(data.value)}
                      data-testid="credit-note-reason"
                    />
                  </Field>
                  {credit.error && (
                    <InvoiceActionError error={credit.error} failedTitle={t('invoices.credit.failed')} />
                  )}
                </>
              )}
            </DialogContent>
            <DialogActions>
              {done ? (
                <>
                  <Button onClick={() => go(done.creditNote.id)} data-testid="credit-note-open-credit-note">
                    {t('invoices.credit.open', { number: done.creditNote.number })}
                  </Button>
                  <Button
                    appearance="primary"
                    onClick={() => go(done.replacement.id)}
                    data-testid="credit-note-open-replacement"
                  >
                    {t('invoices.credit.open', { number: done.replacement.number })}
                  </Button>
                </>
              ) : (
                <>
                  <Button onClick={close} disabled={credit.isPending}>
                    {t('invoices.cancel')}
                  </Button>
                  <Button
                    appearance="primary"
                    disabled={!trimmed || credit.isPending}
                    icon={credit.isPending ? <Spinner size="tiny" /> : undefined}
                    onClick={() => credit.mutate(trimmed)}
                    data-testid="credit-note-confirm"
                  >
                    {t('invoices.credit.confirm')}
                  </Button>
                </>
              )}
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </>
  );
}
