import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { ApiError, CommitmentKind } from '../../../../api.ts';

/** Codes with a title (and, for some, an explanation) of their own in the UI language. */
const known = [
  'permission-not-enabled',
  'owner-role-required',
  'billing-subscription-not-eligible',
  'billing-subscription-not-active',
  'market-not-supported',
  'sku-not-available',
  'price-missing',
  'network-error',
];

/** Titles that read differently when the partner buys on the customer's behalf ("the customer's market"). */
const partnerWorded = ['market-not-supported', 'billing-subscription-not-eligible'];

/** A refused quote or purchase, in place: a title in the UI language, then what to do. */
export function PurchaseError(props: {
  error: ApiError;
  kind: CommitmentKind;
  side?: 'customer' | 'partner';
}) {
  const { t } = useTranslation();
  const code = known.includes(props.error.code) ? props.error.code : 'other';
  const title =
    props.side === 'partner' && partnerWorded.includes(code)
      ? t(`partnerJobs.buy.errors.${code}`)
      : t(`buy.errors.${code}`);
  const what = t(`myCommitments.${props.kind}.what`);
  // The permission refusal is explained in the UI language (the partner has to act, not the user);
  // every other refusal shows the server's own sentence — it names the role and subscription, etc.
  const explanation =
    code === 'permission-not-enabled' ? t('buy.errors.permissionExplanation', { what }) : props.error.message;
  return (
    <MessageBar
      intent={code === 'network-error' ? 'warning' : 'error'}
      layout="multiline"
      data-testid="purchase-error"
      data-code={props.error.code}
    >
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle>
        {explanation}
      </MessageBarBody>
    </MessageBar>
  );
}
