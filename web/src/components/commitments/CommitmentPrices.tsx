import { useTranslation } from 'react-i18next';
import type { CommitmentView } from '../../api.ts';
import { useFormat } from '../../format.ts';
import { PriceComparison } from './PriceComparison.tsx';
import { useCommitmentFormat } from './useCommitmentFormat.ts';

/** A bought reservation's or savings plan's unit price charged beside the retail one, and its total. */
export function CommitmentPrices(props: {
  commitment: CommitmentView;
  chargedTitle: string;
  chargedHint: string;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const f = useCommitmentFormat();
  const c = props.commitment;
  const caption = f.unitCaption(c.kind, c.billingPlan, c.currency);
  return (
    <PriceComparison
      chargedTitle={props.chargedTitle}
      chargedHint={props.chargedHint}
      charged={{
        amount: format.unitPrice(c.unitPrice, c.currency),
        caption,
        lines: [
          <span key="total" data-testid="commitment-total">
            {t('commitment.totalForTerm')}: <strong>{format.money(c.totalPrice, c.currency)}</strong>
          </span>,
          f.charging(c.term, c.billingPlan),
        ],
      }}
      retail={{ amount: format.unitPrice(c.retailUnitPrice, c.currency), caption }}
    />
  );
}
