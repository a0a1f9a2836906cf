import { Field, Input } from '@fluentui/react-components';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommitmentBillingPlan, CommitmentBody, Term } from '../../../api.ts';
import { type Buyer, myBuyer } from '../../../components/commitments/buyer.ts';
import { useCommitmentFormat } from '../../../components/commitments/useCommitmentFormat.ts';
import { paths } from '../../../router.tsx';
import { BillingSubscriptionField } from './buy/BillingSubscriptionField.tsx';
import { BuyLayout, BuySection, FieldRow } from './buy/BuyLayout.tsx';
import { BuyPageFrame } from './buy/BuyPageFrame.tsx';
import { PurchaseSummary } from './buy/PurchaseSummary.tsx';
import { TermScopeNameSections } from './buy/TermScopeNameSections.tsx';
import { useBuyForm, useQuote } from './buy/useBuyForm.ts';

/** The server's rule: an amount above 0 with at most two decimals. */
const amountPattern = /^\d{1,7}(\.\d{1,2})?$/;
const validAmount = (text: string) => amountPattern.test(text) && /[1-9]/.test(text);
const currency = 'USD';

/**
 * Buy a savings plan (R6, R14): subscription, hourly commitment, term, plan, scope, name. The
 * customer buys for itself (the default), or the partner for the customer (R20): same page.
 */
export function BuySavingsPlanPage({ buyer = myBuyer }: { buyer?: Buyer }) {
  const { t } = useTranslation();
  const f = useCommitmentFormat();
  const form = useBuyForm('savings_plan', buyer);
  const [amount, setAmount] = useState('');
  const [term, setTerm] = useState<Term>('P1Y');
  const [billingPlan, setBillingPlan] = useState<CommitmentBillingPlan>('Monthly');
  const hourly = amount.trim().replace(',', '.');
  const amountInvalid = hourly !== '' && !validAmount(hourly);

  const common = form.common();
  const quoteBody: CommitmentBody | null =
    common && validAmount(hourly) ? { ...common, hourlyCommitment: hourly, term, billingPlan } : null;
  const quote = useQuote('savings_plan', quoteBody, buyer);
  const quoteCurrent = quote.settled && !quote.isPlaceholderData;

  return (
    <BuyPageFrame kind="savings_plan" form={form}>
      <BuyLayout
        summary={
          <PurchaseSummary
            kind="savings_plan"
            side={buyer.side}
            company={buyer.company}
            ready={quoteBody !== null}
            quote={quote.data}
            quoteError={quote.isError && quote.settled ? quote.error : null}
            quoting={quoteBody !== null && (!quoteCurrent || quote.isFetching)}
            buyError={form.buy.error}
            buying={form.buy.isPending}
            held={form.held}
            listHref={paths.myCommitments('savings_plan')}
            onBuy={() => quoteBody && form.submit(quoteBody)}
            unitsLabel={(q) => q.units}
            detail={quoteBody ? f.hourly(hourly, currency) : undefined}
            billingPlan={billingPlan}
            term={term}
          />
        }
      >
        <BuySection step={1} title={t('buy.sections.billing')} testId="buy-section-billing">
          <BillingSubscriptionField
            side={buyer.side}
            subscriptions={form.azure}
            value={form.subscriptionId}
            onChange={form.setSubscription}
          />
        </BuySection>
        <BuySection step={2} title={t('buy.sections.commitment')} testId="buy-section-commitment">
          <FieldRow>
            <Field
              label={t('buy.hourlyCommitment', { currency })}
              required
              hint={buyer.side === 'partner' ? t('partnerJobs.buy.hourlyHint') : t('buy.hourlyHint')}
              validationState={amountInvalid ? 'error' : 'none'}
              validationMessage={amountInvalid ? t('buy.hourlyInvalid') : undefined}
            >
              <Input
                value={amount}
                inputMode="decimal"
                placeholder="1.50"
                contentAfter={t('buy.perHourSuffix', { currency })}
                onChange={(_, data) => setAmount(data.value)}
                data-testid="buy-hourly"
              />
            </Field>
            <div />
          </FieldRow>
        </BuySection>
        <TermScopeNameSections
          kind="savings_plan"
          term={term}
          billingPlan={billingPlan}
          onTermChange={(value) => {
            setTerm(value.term);
            setBillingPlan(value.billingPlan);
          }}
          form={form}
        />
      </BuyLayout>
    </BuyPageFrame>
  );
}
