import { makeStyles, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { isApiError, type Me } from '../../api.ts';
import { InvoiceDocument } from '../../components/invoices/InvoiceDocument.tsx';
import { InvoiceDownloads } from '../../components/invoices/InvoiceDownloads.tsx';
import { InvoiceList } from '../../components/invoices/InvoiceList.tsx';
import {
  defaultInvoice,
  documentLanguageOf,
  myInvoiceSource as source,
  useInvoice,
  useInvoiceList,
} from '../../components/invoices/source.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorBar, Loading } from '../../components/QueryState.tsx';
import { useTableStyles } from '../../components/tableStyles.ts';
import { FocusExportButton } from './FocusExportButton.tsx';

const useStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
});

/**
 * The customer's invoices and credit notes (B10), for every user of the organisation: issued ones
 * only (a month's invoice appears once its month closes), read-only, PDF and CSV in both languages.
 */
export function MyInvoicesPage({ me, invoiceId }: { me: Me; invoiceId?: string }) {
  const { t } = useTranslation();
  const styles = { ...useTableStyles(), ...useStyles() };
  const list = useInvoiceList(source);
  const items = list.data?.items ?? [];
  const selectedId = invoiceId ?? defaultInvoice(items);
  const invoice = useInvoice(source, selectedId);
  const numberOf = (id: string) => items.find((i) => i.id === id)?.number ?? null;
  const inv = invoice.data;

  return (
    <>
      <PageHeader
        title={t('invoices.title')}
        description={t('invoices.myIntro', { company: me.tenant.name })}
        actions={<FocusExportButton />}
      />
      {list.isError && <ErrorBar error={list.error} onRetry={() => void list.refetch()} />}
      {list.isPending ? (
        <Loading />
      ) : items.length === 0 ? (
        <div className={styles.surface}>
          <div className={styles.empty} data-testid="my-invoices-empty">
            {t('invoices.myEmpty')}
          </div>
        </div>
      ) : (
        <div className={styles.stack} data-testid="my-invoices">
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
                <InvoiceDownloads
                  key={inv.id}
                  urlOf={(format, lang) => source.documentUrl(inv.id, format, lang)}
                  defaultLanguage={documentLanguageOf(inv.billTo.language)}
                />
              }
            />
          )}
        </div>
      )}
    </>
  );
}
