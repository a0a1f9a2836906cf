import {
  Dropdown,
  Field,
  makeStyles,
  Option,
  OptionGroup,
  SpinButton,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  api,
  type CatalogEntry,
  type CommitmentBillingPlan,
  type CommitmentBody,
  type Term,
} from '../../../api.ts';
import { type Buyer, myBuyer } from '../../../components/commitments/buyer.ts';
import { catalogGroups, catalogPrice, catalogRegions } from '../../../components/commitments/catalog.ts';
import { useCommitmentFormat } from '../../../components/commitments/useCommitmentFormat.ts';
import { ErrorBar, Loading } from '../../../components/QueryState.tsx';
import { useFormat } from '../../../format.ts';
import { paths } from '../../../router.tsx';
import { BillingSubscriptionField } from './buy/BillingSubscriptionField.tsx';
import { BuyLayout, BuySection, FieldRow } from './buy/BuyLayout.tsx';
import { BuyPageFrame } from './buy/BuyPageFrame.tsx';
import { PurchaseSummary } from './buy/PurchaseSummary.tsx';
import { TermScopeNameSections } from './buy/TermScopeNameSections.tsx';
import { useBuyForm, useQuote } from './buy/useBuyForm.ts';

const useStyles = makeStyles({
  option: { display: 'flex', justifyContent: 'space-between', gap: tokens.spacingHorizontalL, width: '100%' },
  muted: { color: tokens.colorNeutralForeground3 },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
});

/**
 * Buy a reservation (R6, R14): subscription, region, VM size, term, plan, quantity, scope, name.
 * The customer buys for itself (the default), or the partner for the customer (R20): same page.
 */
export function BuyReservationPage({ buyer = myBuyer }: { buyer?: Buyer }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const format = useFormat();
  const f = useCommitmentFormat();
  const form = useBuyForm('reservation', buyer);
  const catalog = useQuery({
    queryKey: [...buyer.cacheKey, 'reservation-catalog'],
    queryFn: () => api.reservationCatalogAt(buyer.apiBase),
  });
  const [region, setRegion] = useState('');
  const [sku, setSku] = useState('');
  const [term, setTerm] = useState<Term>('P1Y');
  const [billingPlan, setBillingPlan] = useState<CommitmentBillingPlan>('Monthly');
  const [quantity, setQuantity] = useState(1);

  const entries = catalog.data?.items ?? [];
  const regions = useMemo(() => catalogRegions(entries), [entries]);
  const groups = useMemo(() => catalogGroups(entries, region, t('buy.otherSizes')), [entries, region, t]);
  const entry = entries.find((e) => e.region === region && e.sku === sku);
  const priceOf = (e: CatalogEntry) => catalogPrice(e, term, billingPlan);

  const common = form.common();
  const quoteBody: CommitmentBody | null =
    common && entry && quantity >= 1
      ? { ...common, sku, region, term, billingPlan, quantity: Math.floor(quantity) }
      : null;
  const quote = useQuote('reservation', quoteBody, buyer);
  const instances = t('commitment.instances', { count: quantity, formatted: format.number(quantity) });
  const quoteCurrent = quote.settled && !quote.isPlaceholderData;

  return (
    <BuyPageFrame kind="reservation" form={form}>
      {catalog.isError && <ErrorBar error={catalog.error} onRetry={() => void catalog.refetch()} />}
      {catalog.isPending ? (
        <Loading />
      ) : (
        <BuyLayout
          summary={
            <PurchaseSummary
              kind="reservation"
              side={buyer.side}
              company={buyer.company}
              ready={quoteBody !== null}
              quote={quote.data}
              quoteError={quote.isError && quote.settled ? quote.error : null}
              quoting={quoteBody !== null && (!quoteCurrent || quote.isFetching)}
              buyError={form.buy.error}
              buying={form.buy.isPending}
              held={form.held}
              listHref={paths.myCommitments('reservation')}
              onBuy={() => quoteBody && form.submit(quoteBody)}
              unitsLabel={() => instances}
              detail={instances}
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
          <BuySection step={2} title={t('buy.sections.product')} testId="buy-section-product">
            <FieldRow>
              <Field label={t('commitment.region')} required>
                <Dropdown
                  placeholder={t('buy.chooseRegion')}
                  value={region ? (regions.find(([code]) => code === region)?.[1] ?? region) : ''}
                  selectedOptions={region ? [region] : []}
                  onOptionSelect={(_, data) => {
                    const next = data.optionValue ?? '';
                    setRegion(next);
                    if (!entries.some((e) => e.region === next && e.sku === sku)) setSku('');
                  }}
                  data-testid="buy-region"
                >
                  {regions.map(([code, name]) => (
                    <Option key={code} value={code} text={name}>
                      {name}
                    </Option>
                  ))}
                </Dropdown>
              </Field>
              <Field label={t('commitment.vmSize')} required hint={t('buy.flexibilityHint')}>
                <Dropdown
                  placeholder={region ? t('buy.chooseVmSize') : t('buy.chooseRegionFirst')}
                  disabled={!region}
                  value={sku}
                  selectedOptions={sku ? [sku] : []}
                  onOptionSelect={(_, data) => setSku(data.optionValue ?? '')}
                  listbox={{ style: { maxHeight: 360 } }}
                  data-testid="buy-vm-size"
                >
                  {groups.map(([group, list]) => (
                    <OptionGroup key={group} label={group}>
                      {list.map((e) => {
                        const price = priceOf(e);
                        return (
                          <Option key={e.sku} value={e.sku} text={e.sku}>
                            <span className={styles.option}>
                              <span className={styles.mono}>{e.sku}</span>
                              {price && (
                                <Text size={200} className={styles.muted}>
                                  {f.unitPrice('reservation', price.unitPrice, price.currency, billingPlan)}
                                </Text>
                              )}
                            </span>
                          </Option>
                        );
                      })}
                    </OptionGroup>
                  ))}
                </Dropdown>
              </Field>
            </FieldRow>
            <FieldRow>
              <Field label={t('commitment.quantity')} required hint={t('buy.quantityHint')}>
                <SpinButton
                  min={1}
                  max={1000}
                  value={quantity}
                  onChange={(_, data) => {
                    const next = data.value ?? Number.parseInt(data.displayValue ?? '', 10);
                    if (Number.isFinite(next)) setQuantity(Math.min(1000, Math.max(1, Math.floor(next))));
                  }}
                  data-testid="buy-quantity"
                />
              </Field>
              <div />
            </FieldRow>
          </BuySection>
          <TermScopeNameSections
            kind="reservation"
            term={term}
            billingPlan={billingPlan}
            onTermChange={(value) => {
              setTerm(value.term);
              setBillingPlan(value.billingPlan);
            }}
            form={form}
          />
        </BuyLayout>
      )}
    </BuyPageFrame>
  );
}
