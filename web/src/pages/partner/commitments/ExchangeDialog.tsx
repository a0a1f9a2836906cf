import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  Dropdown,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  makeStyles,
  Option,
  OptionGroup,
  SpinButton,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { ArrowSwap16Regular } from '@fluentui/react-icons';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type CommitmentBillingPlan, type CommitmentView, type Term } from '../../../api.ts';
import { TermFields } from '../../../components/commitments/TermFields.tsx';
import { useCommitmentFormat } from '../../../components/commitments/useCommitmentFormat.ts';
import { DetailList } from '../../../components/DetailList.tsx';
import { ErrorBar } from '../../../components/QueryState.tsx';
import { RouterLink } from '../../../components/RouterLink.tsx';
import { compare, multiply, subtract } from '../../../decimal.ts';
import { useFormat } from '../../../format.ts';
import { paths } from '../../../router.tsx';
import type { Notice } from './CommitmentDrawer.tsx';
import { reservationOptions, termMonths } from './reservationPrices.ts';
import { useExchange, useRefundQuote } from './useCustomerCommitments.ts';

const useStyles = makeStyles({
  surface: { maxWidth: '680px', width: 'calc(100vw - 48px)' },
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(200px, 1fr))',
    gap: tokens.spacingHorizontalM,
  },
  option: { display: 'flex', justifyContent: 'space-between', gap: tokens.spacingHorizontalL, width: '100%' },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  muted: { color: tokens.colorNeutralForeground3 },
  preview: {
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground3,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
  },
  net: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400 },
});

/** Exchange: pick the new size, region, term and quantity; see the credit and what is left to pay. */
export function ExchangeDialog(props: {
  commitment: CommitmentView;
  customerId: string;
  onNotice: (n: Notice) => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const format = useFormat();
  const f = useCommitmentFormat();
  const c = props.commitment;
  const [open, setOpen] = useState(false);
  const [region, setRegion] = useState(c.region ?? '');
  const [sku, setSku] = useState(c.sku);
  const [term, setTerm] = useState<Term>(c.term);
  const [billingPlan, setBillingPlan] = useState<CommitmentBillingPlan>(c.billingPlan);
  const [quantity, setQuantity] = useState(c.quantity);
  const [name, setName] = useState(c.displayName);
  const prices = useQuery({
    queryKey: ['prices', 'partner'],
    queryFn: () => api.prices('partner'),
    enabled: open,
  });
  const credit = useRefundQuote(props.customerId, c.id, open);
  const exchange = useExchange(props.customerId, c.id);

  const options = useMemo(() => reservationOptions(prices.data?.items ?? []), [prices.data]);
  const regions = useMemo(() => {
    const names = new Map(options.map((o) => [o.region, o.regionName]));
    return [...names.entries()].sort((a, b) => a[1].localeCompare(b[1]));
  }, [options]);
  const groups = useMemo(() => {
    const byGroup = new Map<string, typeof options>();
    for (const option of options.filter((o) => o.region === region))
      byGroup.set(option.group, [...(byGroup.get(option.group) ?? []), option]);
    return [...byGroup.entries()]
      .sort((a, b) => a[0].localeCompare(b[0], 'en', { numeric: true }))
      .map(
        ([group, list]) =>
          [group, list.sort((a, b) => a.sku.localeCompare(b.sku, 'en', { numeric: true }))] as const,
      );
  }, [options, region]);
  const chosen = options.find((o) => o.region === region && o.sku === sku);
  const unitPrice = chosen?.prices.find((p) => p.term === term && p.billingPlan === billingPlan)?.unitPrice;
  const currency = credit.data?.currency ?? c.currency;
  // Estimate only (no preview endpoint): the server's rule, exactly — unit × quantity (× months).
  const newTotal = unitPrice
    ? multiply(multiply(unitPrice, quantity) ?? '0', billingPlan === 'Monthly' ? termMonths(term) : 1)
    : null;
  const net = newTotal && credit.data ? subtract(newTotal, credit.data.amount) : null;
  const tooLow = net !== null && compare(net, '0') === -1;
  const ready = Boolean(chosen && unitPrice && quantity >= 1 && name.trim());

  const close = () => {
    setOpen(false);
    exchange.reset();
  };

  return (
    <Dialog open={open} onOpenChange={(_, data) => (data.open ? setOpen(true) : close())} modalType="modal">
      <DialogTrigger disableButtonEnhancement>
        <Button icon={<ArrowSwap16Regular />} data-testid="exchange-open">
          {t('partnerCommitments.exchange')}
        </Button>
      </DialogTrigger>
      <DialogSurface className={styles.surface} data-testid="exchange-dialog">
        <DialogBody>
          <DialogTitle>{t('partnerCommitments.exchangeTitle', { name: c.displayName })}</DialogTitle>
          <DialogContent className={styles.content}>
            <Text>{t('partnerCommitments.exchangeIntro')}</Text>
            {prices.isError && <ErrorBar error={prices.error} onRetry={() => void prices.refetch()} />}
            {prices.isPending ? (
              <Spinner size="small" label={t('common.loading')} />
            ) : (
              <>
                <div className={styles.row}>
                  <Field label={t('commitment.region')}>
                    <Dropdown
                      value={regions.find(([code]) => code === region)?.[1] ?? region}
                      selectedOptions={region ? [region] : []}
                      onOptionSelect={(_, data) => {
                        const next = data.optionValue ?? '';
                        setRegion(next);
                        if (!options.some((o) => o.region === next && o.sku === sku)) setSku('');
                      }}
                      data-testid="exchange-region"
                    >
                      {regions.map(([code, label]) => (
                        <Option key={code} value={code} text={label}>
                          {label}
                        </Option>
                      ))}
                    </Dropdown>
                  </Field>
                  <Field label={t('commitment.vmSize')}>
                    <Dropdown
                      placeholder={t('buy.chooseVmSize')}
                      value={sku}
                      selectedOptions={sku ? [sku] : []}
                      onOptionSelect={(_, data) => setSku(data.optionValue ?? '')}
                      listbox={{ style: { maxHeight: 320 } }}
                      data-testid="exchange-vm-size"
                    >
                      {groups.map(([group, list]) => (
                        <OptionGroup key={group} label={group}>
                          {list.map((o) => {
                            const price = o.prices.find(
                              (p) => p.term === term && p.billingPlan === billingPlan,
                            );
                            return (
                              <Option key={o.sku} value={o.sku} text={o.sku}>
                                <span className={styles.option}>
                                  <span className={styles.mono}>{o.sku}</span>
                                  {price && (
                                    <Text size={200} className={styles.muted}>
                                      {f.unitPrice('reservation', price.unitPrice, currency, billingPlan)}
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
                </div>
                <TermFields
                  term={term}
                  billingPlan={billingPlan}
                  onChange={(value) => {
                    setTerm(value.term);
                    setBillingPlan(value.billingPlan);
                  }}
                />
                <div className={styles.row}>
                  <Field label={t('commitment.quantity')}>
                    <SpinButton
                      min={1}
                      max={1000}
                      value={quantity}
                      onChange={(_, data) => {
                        const next = data.value ?? Number.parseInt(data.displayValue ?? '', 10);
                        if (Number.isFinite(next)) setQuantity(Math.min(1000, Math.max(1, Math.floor(next))));
                      }}
                      data-testid="exchange-quantity"
                    />
                  </Field>
                  <Field label={t('partnerCommitments.newName')}>
                    <Input
                      value={name}
                      maxLength={100}
                      onChange={(_, data) => setName(data.value)}
                      data-testid="exchange-name"
                    />
                  </Field>
                </div>
                <div className={styles.preview} data-testid="exchange-preview">
                  <DetailList
                    items={[
                      {
                        label: t('partnerCommitments.credit'),
                        value: credit.data
                          ? format.money(credit.data.amount, currency)
                          : credit.isError
                            ? t('partnerCommitments.creditAtExchange')
                            : t('common.loading'),
                        testId: 'exchange-credit',
                      },
                      {
                        label: t('partnerCommitments.newTotal'),
                        value: newTotal ? format.money(newTotal, currency) : t('common.none'),
                        testId: 'exchange-new-total',
                      },
                      {
                        label: t('partnerCommitments.netPayable'),
                        value: (
                          <span className={styles.net}>
                            {net ? format.money(net, currency) : t('common.none')}
                          </span>
                        ),
                        testId: 'exchange-net',
                      },
                    ]}
                  />
                  <Text size={200} className={styles.muted}>
                    {t('partnerCommitments.estimateNote')}
                  </Text>
                </div>
                {tooLow && (
                  <MessageBar intent="warning" layout="multiline" data-testid="exchange-too-low">
                    <MessageBarBody>{t('partnerCommitments.exchangeTooLow')}</MessageBarBody>
                  </MessageBar>
                )}
              </>
            )}
            {exchange.isError && <ErrorBar error={exchange.error} />}
          </DialogContent>
          <DialogActions>
            <Button onClick={close} disabled={exchange.isPending}>
              {t('commitment.cancel')}
            </Button>
            <Button
              appearance="primary"
              disabled={!ready || tooLow || exchange.isPending}
              icon={exchange.isPending ? <Spinner size="tiny" /> : undefined}
              onClick={() =>
                exchange.mutate(
                  {
                    billingSubscriptionId: c.billingSubscriptionId,
                    sku,
                    region,
                    term,
                    billingPlan,
                    quantity,
                    displayName: name.trim(),
                    appliedScopeType: c.appliedScopeType,
                    appliedScope: c.appliedScope,
                  },
                  {
                    onSuccess: (result) => {
                      close();
                      props.onNotice({
                        intent: 'success',
                        text: (
                          <>
                            {t('partnerCommitments.exchanged', {
                              name: result.created.displayName,
                              credit: format.money(result.credit, result.currency),
                              net: format.money(result.netPayable, result.currency),
                            })}{' '}
                            <RouterLink
                              href={paths.customerCommitment(
                                props.customerId,
                                'reservation',
                                result.created.id,
                              )}
                              data-testid="exchange-open-new"
                            >
                              {t('partnerCommitments.openNew')}
                            </RouterLink>
                          </>
                        ),
                      });
                    },
                  },
                )
              }
              data-testid="exchange-confirm"
            >
              {t('partnerCommitments.exchangeConfirm')}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
