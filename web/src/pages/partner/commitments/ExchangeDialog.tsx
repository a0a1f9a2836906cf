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
  MessageBarTitle,
  makeStyles,
  Option,
  OptionGroup,
  SpinButton,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { ArrowSwap16Regular } from '@fluentui/react-icons';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommitmentBillingPlan, CommitmentBody, CommitmentView, Term } from '../../../api.ts';
import { catalogGroups, catalogPrice, catalogRegions } from '../../../components/commitments/catalog.ts';
import { TermFields } from '../../../components/commitments/TermFields.tsx';
import { useCommitmentFormat } from '../../../components/commitments/useCommitmentFormat.ts';
import { DetailList } from '../../../components/DetailList.tsx';
import { ErrorBar } from '../../../components/QueryState.tsx';
import { RouterLink } from '../../../components/RouterLink.tsx';
import { useFormat } from '../../../format.ts';
import { paths } from '../../../router.tsx';
import type { Notice } from './CommitmentDrawer.tsx';
import { useCustomerReservationCatalog, useExchange, useExchangeQuote } from './useCustomerCommitments.ts';

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
  stale: { opacity: 0.55 },
  quoting: { minHeight: '20px' },
});

/**
 * Exchange: pick the new size, region, term and quantity from the customer's reservation catalog;
 * the server prices each choice (`exchange-quote`): the credit, the new total and the net payable.
 */
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
  // Empty: the new reservation is named after its size, unless the reservation had a name of its own.
  const [name, setName] = useState('');
  const catalog = useCustomerReservationCatalog(props.customerId, open);
  const exchange = useExchange(props.customerId, c.id);

  const entries = catalog.data?.items ?? [];
  const regions = useMemo(() => catalogRegions(entries), [entries]);
  const groups = useMemo(() => catalogGroups(entries, region, t('buy.otherSizes')), [entries, region, t]);
  const chosen = entries.find((e) => e.region === region && e.sku === sku);
  // What is priced: everything but the name, which does not change the price (typing does not re-ask).
  const body: CommitmentBody | null =
    open && chosen && quantity >= 1
      ? {
          billingSubscriptionId: c.billingSubscriptionId,
          sku,
          region,
          term,
          billingPlan,
          quantity,
          appliedScopeType: c.appliedScopeType,
          appliedScope: c.appliedScope,
        }
      : null;
  const quote = useExchangeQuote(props.customerId, c.id, body);
  const q = body ? quote.data : undefined;
  const current = Boolean(body && q && quote.settled && !quote.isPlaceholderData && !quote.isFetching);
  const quoting = Boolean(body && !current && !quote.isError);
  const currency = q?.currency ?? c.currency;
  const refused = current && q?.valid === false;
  const ready = Boolean(body && current && q?.valid);
  const money = (amount: string | undefined) => (amount ? format.money(amount, currency) : t('common.none'));

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
            {catalog.isError && <ErrorBar error={catalog.error} onRetry={() => void catalog.refetch()} />}
            {catalog.isPending ? (
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
                        if (!entries.some((e) => e.region === next && e.sku === sku)) setSku('');
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
                          {list.map((e) => {
                            const price = catalogPrice(e, term, billingPlan);
                            return (
                              <Option key={e.sku} value={e.sku} text={e.sku}>
                                <span className={styles.option}>
                                  <span className={styles.mono}>{e.sku}</span>
                                  {price && (
                                    <Text size={200} className={styles.muted}>
                                      {f.unitPrice(
                                        'reservation',
                                        price.unitPrice,
                                        price.currency,
                                        billingPlan,
                                      )}
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
                      placeholder={t('partnerCommitments.newNamePlaceholder')}
                      maxLength={100}
                      onChange={(_, data) => setName(data.value)}
                      data-testid="exchange-name"
                    />
                  </Field>
                </div>
                <div
                  className={styles.preview}
                  data-testid="exchange-preview"
                  data-state={current ? (q?.valid ? 'valid' : 'refused') : quoting ? 'quoting' : 'none'}
                >
                  <div className={quoting ? styles.stale : undefined}>
                    <DetailList
                      items={[
                        {
                          label: t('partnerCommitments.credit'),
                          value: money(q?.credit),
                          testId: 'exchange-credit',
                        },
                        {
                          label: t('partnerCommitments.newTotal'),
                          value: money(q?.newTotal),
                          testId: 'exchange-new-total',
                        },
                        {
                          label: t('partnerCommitments.netPayable'),
                          value: <span className={styles.net}>{money(q?.netPayable)}</span>,
                          testId: 'exchange-net',
                        },
                      ]}
                    />
                  </div>
                  <div className={styles.quoting}>
                    {quoting ? (
                      <Spinner
                        size="extra-tiny"
                        label={t('partnerCommitments.quoting')}
                        labelPosition="after"
                      />
                    ) : body ? (
                      !refused &&
                      !quote.isError && (
                        <Text size={200} className={styles.muted}>
                          {t('partnerCommitments.quoteNote')} {t('partnerCommitments.exchangeLinesNote')}
                        </Text>
                      )
                    ) : (
                      <Text size={200} className={styles.muted}>
                        {t('partnerCommitments.chooseSize')}
                      </Text>
                    )}
                  </div>
                </div>
                {refused && (
                  <MessageBar intent="warning" layout="multiline" data-testid="exchange-refused">
                    <MessageBarBody>
                      <MessageBarTitle>{t('partnerCommitments.exchangeRefused')}</MessageBarTitle>
                      <span data-testid="exchange-reason">{q?.reason}</span>
                    </MessageBarBody>
                  </MessageBar>
                )}
                {body && quote.isError && quote.settled && (
                  <ErrorBar error={quote.error} onRetry={() => void quote.refetch()} />
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
              disabled={!ready || exchange.isPending}
              icon={exchange.isPending ? <Spinner size="tiny" /> : undefined}
              onClick={() =>
                body &&
                exchange.mutate(name.trim() ? { ...body, displayName: name.trim() } : body, {
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
                })
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
