import { MessageBar, MessageBarBody, makeStyles, Text, tokens } from '@fluentui/react-components';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { type CustomerDetail, isApiError } from '../../../api.ts';
import { InvoiceDocument } from '../../../components/invoices/InvoiceDocument.tsx';
import { InvoiceDownloads } from '../../../components/invoices/InvoiceDownloads.tsx';
import { InvoiceList } from '../../../components/invoices/InvoiceList.tsx';
import {
  customerInvoiceSource,
  defaultInvoice,
  documentLanguageOf,
  useInvoice,
  useInvoiceList,
} from '../../../components/invoices/source.ts';
import { ErrorBar, Loading } from '../../../components/QueryState.tsx';
import { useTableStyles } from '../../../components/tableStyles.ts';
import { isAdminAgent, useMe } from '../../../session.ts';
import { CloseMonth } from './CloseMonth.tsx';
import { CreditNoteDialog } from './CreditNoteDialog.tsx';
import { TaxCard } from './TaxCard.tsx';

const useStyles = makeStyles({
  top: {
    display: 'flex',
    justifyContent: 'space-between',
    alignItems: 'flex-start',
    gap: tokens.spacingHorizontalL,
    flexWrap: 'wrap',
    marginBottom: tokens.spacingVerticalM,
  },
  intro: { color: tokens.colorNeutralForeground3, flex: '1 1 420px', maxWidth: '760px' },
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  actions: { display: 'flex', alignItems: 'flex-end', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
});

/**
 * Invoices (B10): what the customer receives from the partner, in its billing currency with its
 * tax — unlike Billing, which is what the partner is billed. Admin agents only, like Billing.
 */
export function CustomerInvoicesTab({
  customer,
  invoiceId,
}: {
  customer: CustomerDetail;
  invoiceId?: string;
}) {
  const { t } = useTranslation();
  const styles = { ...useTableStyles(), ...useStyles() };
  const me = useMe().data;
  const admin = me ? isAdminAgent(me) : false;
  const source = useMemo(() => customerInvoiceSource(customer.id), [customer.id]);
  const list = useInvoiceList(source, admin);
  const items = list.data?.items ?? [];
  const selectedId = invoiceId ?? defaultInvoice(items);
  const invoice = useInvoice(source, admin ? selectedId : null);
  const numberOf = (id: string) => items.find((i) => i.id === id)?.number ?? null;

  if (!admin) {
    return (
      <MessageBar intent="warning">
        <MessageBarBody>{t('invoices.adminOnly')}</MessageBarBody>
      </MessageBar>
    );
  }
  if (list.isPending) return <Loading />;
  if (list.isError) return <ErrorBar error={list.error} onRetry={() => void list.refetch()} />;
  const inv = invoice.data;

  return (
    <div data-testid="customer-invoices">
      <div className={styles.top}>
        <Text className={styles.intro}>
          {t('invoices.intro', { company: customer.companyName, currency: customer.currency })}
        </Text>
        <TaxCard customerId={customer.id} />
      </div>
      <CloseMonth items={items} source={source} />
      {items.length === 0 ? (
        <div className={styles.surface}>
          <div className={styles.empty}>{t('invoices.empty')}</div>
        </div>
      ) : (
        <div className={styles.stack}>
          <InvoiceList items={items} selectedId={selectedId} pageOf={source.pageOf} />
          {invoice.isError && (
            <ErrorBar
              error={isApiError(invoice.error, 404) ? new Error(t('invoices.notFound')) : invoice.error}
              onRetry={isApiError(invoice.error, 404) ? undefined : () => void invoice.refetch()}
            />
          )}
          {invoice.isPending && selectedId && <Loading />}
          {inv && (
            <InvoiceDocument
              key={inv.id}
              invoice={inv}
              numberOf={numberOf}
              pageOf={source.pageOf}
              actions={
                <div className={styles.actions}>
                  <InvoiceDownloads
                    key={inv.id}
                    urlOf={(format, lang) => source.documentUrl(inv.id, format, lang)}
                    defaultLanguage={documentLanguageOf(inv.billTo.language || customer.language)}
                  />
                  {inv.kind === 'invoice' && inv.status !== 'draft' && (
                    <CreditNoteDialog
                      customerId={customer.id}
                      invoice={inv}
                      pageOf={source.pageOf}
                      canCredit={inv.status === 'issued'}
                    />
                  )}
                </div>
              }
            />
          )}
        </div>
      )}
    </div>
  );
}
