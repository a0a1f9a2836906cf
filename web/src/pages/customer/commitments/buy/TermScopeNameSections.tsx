import { Field, Input } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { CommitmentBillingPlan, CommitmentKind, Term } from '../../../../api.ts';
import { ScopeFields } from '../../../../components/commitments/ScopeFields.tsx';
import { TermFields } from '../../../../components/commitments/TermFields.tsx';
import { BuySection } from './BuyLayout.tsx';
import type { useBuyForm } from './useBuyForm.ts';

/** Steps 3–5 of both buy pages: term and billing plan, scope, name. */
export function TermScopeNameSections(props: {
  kind: CommitmentKind;
  term: Term;
  billingPlan: CommitmentBillingPlan;
  onTermChange: (value: { term: Term; billingPlan: CommitmentBillingPlan }) => void;
  form: ReturnType<typeof useBuyForm>;
}) {
  const { t } = useTranslation();
  const { kind, form } = props;
  return (
    <>
      <BuySection step={3} title={t('buy.sections.term')} testId="buy-section-term">
        <TermFields term={props.term} billingPlan={props.billingPlan} onChange={props.onTermChange} />
      </BuySection>
      <BuySection step={4} title={t('buy.sections.scope')} testId="buy-section-scope">
        <ScopeFields value={form.scope} onChange={form.setScope} subscriptions={form.azure} hideLabel />
      </BuySection>
      <BuySection step={5} title={t('buy.sections.name')} testId="buy-section-name">
        <Field hint={t(`buy.nameHint.${kind}`)}>
          <Input
            value={form.name}
            aria-label={t('commitment.name')}
            maxLength={100}
            placeholder={t(`buy.namePlaceholder.${kind}`)}
            onChange={(_, data) => form.setName(data.value)}
            data-testid="buy-name"
          />
        </Field>
      </BuySection>
    </>
  );
}
