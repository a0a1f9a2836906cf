import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { InvoiceDetail, InvoiceSummary } from '../../api.ts';
import { useFormat } from '../../format.ts';

/** How invoices read in the UI language: periods, tax lines, the rate sentence, status labels. */
export function useInvoiceFormat() {
  const { t } = useTranslation();
  const format = useFormat();
  return useMemo(() => {
    const monthFmt = new Intl.DateTimeFormat(format.locale, {
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    });
    // A rate keeps every digit it was stored with (up to ten), trailing zeros dropped.
    const rateFmt = new Intl.NumberFormat(format.locale, { maximumFractionDigits: 10 });
    const percentFmt = new Intl.NumberFormat(format.locale, { maximumFractionDigits: 4 });
    const month = (value: string) => monthFmt.format(new Date(`${value}-01T00:00:00Z`));
    return {
      month,
      /** "PPN 11%", "GST 7,5%". */
      taxLine: (invoice: Pick<InvoiceDetail, 'taxName' | 'taxRate'>) =>
        t('invoices.taxLine', {
          name: invoice.taxName,
          rate: percentFmt.format(invoice.taxRate as Intl.StringNumericLiteral),
        }),
      /** "Converted from USD at 1 USD = 16,520.9077 IDR, rate of 30 Nov 2026." */
      rateSentence: (invoice: InvoiceDetail) => {
        const r = invoice.exchangeRate;
        if (!r) return null;
        return t('invoices.rate', {
          base: r.base,
          quote: r.quote,
          rate: rateFmt.format(r.rate as Intl.StringNumericLiteral),
          date: format.date(r.date),
        });
      },
      /** Draft, Issued, Credited — and Credit note for what corrects an invoice. */
      statusOf: (invoice: Pick<InvoiceSummary, 'kind' | 'status'>) =>
        invoice.kind === 'credit_note' && invoice.status !== 'draft' ? 'credit_note' : invoice.status,
      /** "Invoice INV-000003", "Credit note CN-000001", "Draft invoice · December 2026". */
      title: (invoice: Pick<InvoiceSummary, 'kind' | 'number' | 'month'>) =>
        invoice.number
          ? `${t(`invoices.kind.${invoice.kind}`)} ${invoice.number}`
          : t('invoices.draftTitle', { month: month(invoice.month) }),
    };
  }, [format, t]);
}
