import { Badge, type BadgeProps } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { InvoiceSummary } from '../../api.ts';
import { useInvoiceFormat } from './useInvoiceFormat.ts';

const colorOf: Record<string, NonNullable<BadgeProps['color']>> = {
  draft: 'warning',
  issued: 'success',
  credited: 'subtle',
  credit_note: 'informative',
};

/** Draft / Issued / Credited / Credit note. */
export function InvoiceStatusBadge({ invoice }: { invoice: Pick<InvoiceSummary, 'kind' | 'status'> }) {
  const { t } = useTranslation();
  const status = useInvoiceFormat().statusOf(invoice);
  return (
    <Badge
      appearance={status === 'draft' ? 'outline' : 'tint'}
      color={colorOf[status]}
      shape="rounded"
      data-testid="invoice-status"
      data-status={status}
    >
      {t(`invoices.statuses.${status}`)}
    </Badge>
  );
}
