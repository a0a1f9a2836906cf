import { Dropdown, Field, makeStyles, Option, Text, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { BuyerSubscription } from '../../../../components/commitments/buyer.ts';
import { useFormat } from '../../../../format.ts';

const useStyles = makeStyles({
  option: { display: 'flex', flexDirection: 'column' },
  muted: { color: tokens.colorNeutralForeground3 },
});

/**
 * The Azure plan / Azure Global subscription the partner bills the purchase through (R6 b, R8).
 * A customer user sees its roles on each (it must be Owner); the partner sees none (R20).
 */
export function BillingSubscriptionField(props: {
  side: 'customer' | 'partner';
  subscriptions: BuyerSubscription[];
  value: string;
  onChange: (id: string) => void;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const format = useFormat();
  const selected = props.subscriptions.find((s) => s.id === props.value);
  const notOwner = props.side === 'customer' && selected && !selected.roles?.includes('Owner');
  /** "Azure plan" is both a name and a kind: say it once. */
  const title = (s: BuyerSubscription) => {
    const kind = format.label('productType', s.productType);
    return s.friendlyName.toLowerCase() === kind.toLowerCase()
      ? s.friendlyName
      : `${s.friendlyName} · ${kind}`;
  };
  return (
    <Field
      label={t('buy.billingSubscription')}
      hint={
        props.side === 'partner'
          ? t('partnerJobs.buy.billingSubscriptionHint')
          : t('buy.billingSubscriptionHint')
      }
      required
      validationState={notOwner ? 'warning' : 'none'}
      validationMessage={notOwner ? t('buy.notOwnerHere') : undefined}
    >
      <Dropdown
        placeholder={t('commitment.chooseSubscription')}
        value={selected ? `${selected.friendlyName} · ${selected.entitlementId ?? selected.id}` : ''}
        selectedOptions={props.value ? [props.value] : []}
        onOptionSelect={(_, data) => props.onChange(data.optionValue ?? '')}
        disabled={props.disabled}
        data-testid="buy-billing-subscription"
      >
        {props.subscriptions.map((s) => (
          <Option key={s.id} value={s.id} text={title(s)}>
            <span className={styles.option}>
              <span>{title(s)}</span>
              <Text size={200} className={styles.muted}>
                {s.entitlementId ?? s.id}
                {s.roles &&
                  ` · ${s.roles.length ? s.roles.map((role) => format.role(role)).join(', ') : t('buy.ownerRequired.noRole')}`}
              </Text>
            </span>
          </Option>
        ))}
      </Dropdown>
    </Field>
  );
}
