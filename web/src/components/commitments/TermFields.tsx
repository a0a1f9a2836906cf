import { Field, makeStyles, Radio, RadioGroup, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { type CommitmentBillingPlan, commitmentBillingPlans, type Term, terms } from '../../api.ts';
import { useCommitmentFormat } from './useCommitmentFormat.ts';

const useStyles = makeStyles({
  row: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(220px, 1fr))',
    gap: tokens.spacingHorizontalL,
    alignItems: 'start',
  },
  radios: { marginLeft: `calc(-1 * ${tokens.spacingHorizontalS})` },
});

/** Term (1 or 3 years) and billing plan (upfront or monthly). */
export function TermFields(props: {
  term: Term;
  billingPlan: CommitmentBillingPlan;
  onChange: (value: { term: Term; billingPlan: CommitmentBillingPlan }) => void;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const f = useCommitmentFormat();
  return (
    <div className={styles.row}>
      <Field label={t('commitment.term')}>
        <RadioGroup
          className={styles.radios}
          layout="horizontal"
          value={props.term}
          disabled={props.disabled}
          onChange={(_, data) => props.onChange({ term: data.value as Term, billingPlan: props.billingPlan })}
        >
          {terms.map((term) => (
            <Radio key={term} value={term} label={f.term(term)} data-testid={`term-${term}`} />
          ))}
        </RadioGroup>
      </Field>
      <Field label={t('commitment.billingPlan')} hint={t(`buy.planHint.${props.billingPlan}`)}>
        <RadioGroup
          className={styles.radios}
          layout="horizontal"
          value={props.billingPlan}
          disabled={props.disabled}
          onChange={(_, data) =>
            props.onChange({ term: props.term, billingPlan: data.value as CommitmentBillingPlan })
          }
        >
          {commitmentBillingPlans.map((plan) => (
            <Radio key={plan} value={plan} label={f.plan(plan)} data-testid={`plan-${plan}`} />
          ))}
        </RadioGroup>
      </Field>
    </div>
  );
}
