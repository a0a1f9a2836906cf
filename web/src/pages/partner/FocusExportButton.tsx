import { useTranslation } from 'react-i18next';
import { FocusExportDialog } from '../../components/FocusExportDialog.tsx';

/**
 * The partner's FOCUS 1.2 export: of one customer (its page's header), or of every customer (the
 * customers list). Partner view: actual and amortized cost, purchases and unused commitment.
 */
export function FocusExportButton(props: { customerId?: string; company?: string }) {
  const { t } = useTranslation();
  return (
    <FocusExportDialog
      endpoint="/api/exports/focus"
      query={props.customerId ? { customerId: props.customerId } : undefined}
      label={t('focusExport.partnerButton')}
      description={
        props.company
          ? t('focusExport.partnerCustomer', { company: props.company })
          : t('focusExport.partnerAll')
      }
      testId={props.customerId ? 'focus-export-customer' : 'focus-export-all'}
    />
  );
}
