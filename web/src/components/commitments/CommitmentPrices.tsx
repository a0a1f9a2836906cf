import { useTranslation } from 'react-i18next';
import type { CommitmentView } from '../../api.ts';
import { useFormat } from '../../format.ts';
import { PriceComparison } from './PriceComparison.tsx';
import { useCommitmentFormat } from './useCommitmentFormat.ts';

/**
 * A bought reservation's or savings plan's unit price charged beside the retail one (when the API
 * sent it: customers whose partner hides retail do not get it), and its total. Customers read
 * prices at the currency's precision; partner views pass `precise` for up to six decimals.
 */
export function CommitmentPrices(props: {
  commitment: CommitmentView;
  chargedTitle: string;
  chargedHint: string;
  precise?: boolean;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const f = useCommitmentFormat();
  const c = props.commitment;
  const caption = f.unitCaption(c.kind, c.billingPlan, c.currency);
  const unit = (amount: string) =>
    props.precise ? format.unitPrice(amount, c.currency) : format.money(amount, c.currency);
  return (
    <PriceComparison
      chargedTitle={props.chargedTitle}
      chargedHint={props.chargedHint}
      charged={{
        amount: unit(c.unitPrice),
        caption,
        lines: [
          <span key="total" data-testid="commitment-total">
            {t('commitment.totalForTerm')}: <strong>{format.money(c.totalPrice, c.currency)}</strong>
          </span>,
          f.charging(c.term, c.billingPlan),
        ],
      }}
      retail={c.retailUnitPrice === undefined ? undefined : { amount: unit(c.retailUnitPrice), caption }}
    />
  );
}
