import {
  Button,
  Card,
  CardHeader,
  Divider,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { Info16Regular, ReceiptMoney20Regular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import type { ApiError, CommitmentKind, CommitmentQuote, HeldPurchase } from '../../../../api.ts';
import { PriceComparison } from '../../../../components/commitments/PriceComparison.tsx';
import { useCommitmentFormat } from '../../../../components/commitments/useCommitmentFormat.ts';
import { RouterLink } from '../../../../components/RouterLink.tsx';
import { useFormat } from '../../../../format.ts';
import { PurchaseError } from './PurchaseError.tsx';

const useStyles = makeStyles({
  card: { padding: tokens.spacingHorizontalL, gap: tokens.spacingVerticalM },
  icon: { color: tokens.colorBrandForeground1, fontSize: '20px' },
  title: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400 },
  placeholder: {
    padding: tokens.spacingVerticalL,
    borderRadius: tokens.borderRadiusMedium,
    border: `1px dashed ${tokens.colorNeutralStroke1}`,
    color: tokens.colorNeutralForeground3,
    textAlign: 'center',
  },
  product: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  muted: { color: tokens.colorNeutralForeground3 },
  note: {
    display: 'flex',
    gap: tokens.spacingHorizontalXS,
    alignItems: 'flex-start',
    color: tokens.colorNeutralForeground3,
    fontSize: tokens.fontSizeBase200,
  },
  noteIcon: { flexShrink: 0, marginTop: '2px' },
  buy: { width: '100%' },
});

/** The right-hand card of a purchase: the price of the current choices, refusals, and Buy. */
export function PurchaseSummary(props: {
  kind: CommitmentKind;
  /** The customer buying for itself, or the partner on the customer's behalf (R20). */
  side: 'customer' | 'partner';
  /** The customer bought for, named in the partner's billing note. */
  company?: string;
  ready: boolean;
  quote: CommitmentQuote | undefined;
  quoteError: ApiError | null;
  quoting: boolean;
  buyError: ApiError | null;
  buying: boolean;
  onBuy: () => void;
  /** "2 instances" / "US$1.50 per hour": what the units of the quote are. */
  unitsLabel: (quote: CommitmentQuote) => string;
  billingPlan: string;
  term: string;
  /** What is bought, beside the product's title: "2 instances", "US$1.50 per hour". */
  detail?: string;
  /** The purchase was held for the partner's approval (B2). */
  held?: HeldPurchase | null;
  /** Where the customer's list of this kind is (held purchases are shown there). */
  listHref?: string;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const format = useFormat();
  const f = useCommitmentFormat();
  const { quote } = props;
  const canBuy =
    props.ready && Boolean(quote) && !props.quoteError && !props.quoting && !props.buying && !props.held;
  const partner = props.side === 'partner';

  // A side the quote does not carry (retail hidden by the partner, B9) is not shown at all.
  const side = (unitPrice: string | undefined, total: string | undefined) =>
    quote && unitPrice !== undefined && total !== undefined
      ? {
          amount: format.money(total, quote.currency),
          caption: t('commitment.totalForTerm'),
          lines: [
            `${f.unitPrice(props.kind, unitPrice, quote.currency, props.billingPlan)} × ${props.unitsLabel(quote)}`,
            f.charging(props.term, props.billingPlan),
          ],
        }
      : undefined;

  return (
    <Card className={styles.card} data-testid="purchase-summary">
      <CardHeader
        image={<ReceiptMoney20Regular className={styles.icon} />}
        header={
          <Text as="h2" className={styles.title}>
            {t('buy.summary')}
          </Text>
        }
        action={props.quoting ? <Spinner size="tiny" aria-label={t('buy.quoting')} /> : undefined}
      />
      {!props.ready && <div className={styles.placeholder}>{t(`buy.incomplete.${props.kind}`)}</div>}
      {props.ready && !quote && !props.quoteError && <Spinner size="small" label={t('buy.quoting')} />}
      {props.ready && props.quoteError && (
        <PurchaseError error={props.quoteError} kind={props.kind} side={props.side} />
      )}
      {props.ready && quote && !props.quoteError && (
        <>
          <div className={styles.product}>
            <Text weight="semibold" data-testid="quote-product">
              {quote.skuTitle}
            </Text>
            <Text size={200} className={styles.muted}>
              {[props.detail, f.term(props.term), f.plan(props.billingPlan)].filter(Boolean).join(' · ')}
            </Text>
          </div>
          <PriceComparison
            chargedTitle={partner ? t('partnerCommitments.customerPrice') : t('commitment.youPay')}
            chargedHint={partner ? t('partnerCommitments.customerPriceHint') : t('commitment.youPayHint')}
            charged={side(quote.unitPrice, quote.total)!}
            retail={side(quote.retailUnitPrice, quote.retailTotal)}
          />
        </>
      )}
      {props.buyError && <PurchaseError error={props.buyError} kind={props.kind} side={props.side} />}
      {props.held && (
        <MessageBar intent="warning" layout="multiline" data-testid="purchase-held">
          <MessageBarBody>
            <MessageBarTitle>{t('held.title')}</MessageBarTitle>
            {t('held.next')}{' '}
            {props.listHref && (
              <RouterLink href={props.listHref} data-testid="purchase-held-list">
                {t(`held.list.${props.kind}`)}
              </RouterLink>
            )}
          </MessageBarBody>
        </MessageBar>
      )}
      <Divider />
      <Text className={styles.note}>
        <Info16Regular className={styles.noteIcon} />
        {partner ? t('partnerJobs.buy.billingNote', { company: props.company }) : t('buy.billingNote')}
      </Text>
      <Button
        appearance="primary"
        size="large"
        className={styles.buy}
        disabled={!canBuy}
        onClick={props.onBuy}
        icon={props.buying ? <Spinner size="tiny" /> : undefined}
        data-testid="buy-submit"
      >
        {props.buying
          ? t('buy.buying')
          : props.held
            ? t('held.button')
            : quote && props.ready && !props.quoteError
              ? t('buy.buyFor', { amount: format.money(quote.total, quote.currency) })
              : t('buy.buy')}
      </Button>
    </Card>
  );
}
