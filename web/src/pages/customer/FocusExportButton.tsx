import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { isApiError, request } from '../../api.ts';
import { FocusExportDialog } from '../../components/FocusExportDialog.tsx';

/**
 * Whether the caller's export is open: the server checks cost management (R17) before it reads
 * the period, so a period that ends before it starts answers 403 when it is off and 400 when it
 * is on, without reading any cost data.
 */
async function exportOpen(): Promise<{ open: boolean; message: string | null }> {
  try {
    await request('GET', '/api/my/exports/focus?from=2000-01-02&to=2000-01-01');
    return { open: true, message: null };
  } catch (error) {
    if (isApiError(error, 403)) return { open: false, message: error.message };
    return { open: true, message: null };
  }
}

/**
 * "Export (FOCUS)" for customer users (R17–R18): their subscriptions' usage at pay-as-you-go
 * retail in their billing currency, covered usage at 0, no purchases. Pages of the customer
 * portal include it where cost data is shown.
 */
export function FocusExportButton(props: { subscriptionId?: string }) {
  const { t } = useTranslation();
  const open = useQuery({ queryKey: ['my', 'focus-export', 'open'], queryFn: exportOpen });
  return (
    <FocusExportDialog
      endpoint="/api/my/exports/focus"
      query={props.subscriptionId ? { subscriptionId: props.subscriptionId } : undefined}
      label={t('focusExport.customerButton')}
      description={t('focusExport.customerDescription')}
      unavailable={open.data && !open.data.open ? (open.data.message ?? t('focusExport.disabled')) : null}
      testId="focus-export-my"
      appearance="subtle"
    />
  );
}
