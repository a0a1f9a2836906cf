import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../../api.ts';

/** Refusals with a short title of their own in the UI language; the server's sentence says what to do. */
const titled = [
  'billing-month-not-ended',
  'invoice-already-credited',
  'exchange-rate-missing',
  'credit-note-reason-required',
  'invoice-not-found',
  'admin-agent-required',
  'invalid-request',
  'network-error',
];

export function InvoiceActionError(props: { error: ApiError; failedTitle: string }) {
  const { t } = useTranslation();
  const { code } = props.error;
  return (
    <MessageBar
      intent={code === 'network-error' ? 'warning' : 'error'}
      layout="multiline"
      data-testid="invoice-action-error"
      data-code={code}
    >
      <MessageBarBody>
        <MessageBarTitle>
          {titled.includes(code) ? t(`invoices.errors.${code}`) : props.failedTitle}
        </MessageBarTitle>
        {props.error.message}
      </MessageBarBody>
    </MessageBar>
  );
}
