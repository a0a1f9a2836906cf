import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  type ApiError,
  api,
  customerInvoiceDocumentUrl,
  type DocumentFormat,
  type DocumentLanguage,
  type InvoiceDetail,
  type InvoiceSummary,
  type ItemList,
  myInvoiceDocumentUrl,
} from '../../api.ts';
import { paths } from '../../router.tsx';

/**
 * Whose invoices a page shows and where they live: the customer's own (`/api/my/invoices`, issued
 * only) or a customer's seen by its partner (`/api/customers/{id}/invoices`, drafts too). The list,
 * the invoice view and the downloads take one, as the buy pages take a buyer.
 */
export interface InvoiceSource {
  key: readonly unknown[];
  list(): Promise<ItemList<InvoiceSummary>>;
  get(invoiceId: string): Promise<InvoiceDetail>;
  documentUrl(invoiceId: string, format: DocumentFormat, lang: DocumentLanguage): string;
  /** Where the page shows one invoice (a deep link). */
  pageOf(invoiceId: string): string;
}

export const myInvoiceSource: InvoiceSource = {
  key: ['my', 'invoices'],
  list: api.myInvoices,
  get: api.myInvoice,
  documentUrl: myInvoiceDocumentUrl,
  pageOf: paths.myInvoice,
};

export const customerInvoiceSource = (customerId: string): InvoiceSource => ({
  key: ['customers', 'detail', customerId, 'invoices'],
  list: () => api.customerInvoices(customerId),
  get: (invoiceId) => api.customerInvoice(customerId, invoiceId),
  documentUrl: (invoiceId, format, lang) => customerInvoiceDocumentUrl(customerId, invoiceId, format, lang),
  pageOf: (invoiceId) => paths.customerInvoice(customerId, invoiceId),
});

export function useInvoiceList(source: InvoiceSource, enabled = true) {
  return useQuery<ItemList<InvoiceSummary>, ApiError>({
    queryKey: source.key,
    queryFn: source.list,
    enabled,
  });
}

export function useInvoice(source: InvoiceSource, invoiceId: string | null) {
  return useQuery<InvoiceDetail, ApiError>({
    queryKey: [...source.key, invoiceId],
    queryFn: () => source.get(invoiceId!),
    enabled: invoiceId !== null,
  });
}

/** After issuing: the list and every invoice of this source are read again. */
export function useRefreshInvoices(source: InvoiceSource) {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: source.key });
}

/**
 * The invoice a page opens on when none is chosen: the newest invoice in force (issued, not
 * credited — after a correction, the replacement rather than its credit note), else the newest
 * document, else the draft.
 */
export function defaultInvoice(items: readonly InvoiceSummary[]): string | null {
  const inForce = items.find((i) => i.kind === 'invoice' && i.status === 'issued');
  return (inForce ?? items.find((i) => i.status !== 'draft') ?? items[0])?.id ?? null;
}

/** The document language of a customer ("id", "id-ID" → Indonesian; anything else English). */
export const documentLanguageOf = (language: string | null | undefined): DocumentLanguage =>
  language?.toLowerCase().startsWith('id') ? 'id' : 'en';
