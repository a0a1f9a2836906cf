import { Badge, makeStyles, mergeClasses, Text, tokens } from '@fluentui/react-components';
import { CheckmarkCircle16Filled } from '@fluentui/react-icons';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

const useStyles = makeStyles({
  grid: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(200px, 1fr))',
    gap: tokens.spacingHorizontalM,
  },
  tile: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXXS,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground2,
    minWidth: 0,
  },
  charged: {
    border: `1px solid ${tokens.colorBrandStroke2}`,
    backgroundColor: tokens.colorBrandBackground2,
  },
  head: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalS,
  },
  title: { fontWeight: tokens.fontWeightSemibold },
  amount: {
    fontSize: tokens.fontSizeBase600,
    lineHeight: tokens.lineHeightBase600,
    fontWeight: tokens.fontWeightSemibold,
    fontVariantNumeric: 'tabular-nums',
    marginTop: tokens.spacingVerticalXS,
  },
  retailAmount: { color: tokens.colorNeutralForeground2 },
  caption: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  line: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
});

export interface PriceSide {
  /** The formatted headline amount. */
  amount: string;
  /** What the headline is ("Total for the term", "per instance …"). */
  caption: string;
  lines?: ReactNode[];
}

/**
 * R14: the price charged (the partner's) beside the retail price, with no doubt which one is charged.
 * Without `retail` (the partner hides it from its customers, B9) only the charged price is shown.
 */
export function PriceComparison(props: {
  charged: PriceSide;
  retail?: PriceSide;
  chargedTitle: string;
  chargedHint: string;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  return (
    <div className={styles.grid} data-testid="price-comparison">
      <div className={mergeClasses(styles.tile, styles.charged)} data-testid="price-charged">
        <div className={styles.head}>
          <Text className={styles.title}>{props.chargedTitle}</Text>
          <Badge appearance="filled" color="brand" shape="rounded" icon={<CheckmarkCircle16Filled />}>
            {t('commitment.charged')}
          </Badge>
        </div>
        <Text className={styles.caption}>{props.chargedHint}</Text>
        <Text className={styles.amount} data-testid="price-charged-amount">
          {props.charged.amount}
        </Text>
        <Text className={styles.caption}>{props.charged.caption}</Text>
        {props.charged.lines?.map((line, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a fixed, short list of lines
          <Text key={index} className={styles.line}>
            {line}
          </Text>
        ))}
      </div>
      {props.retail && (
        <div className={styles.tile} data-testid="price-retail">
          <div className={styles.head}>
            <Text className={styles.title}>{t('commitment.retailTitle')}</Text>
            <Badge appearance="outline" color="informative" shape="rounded">
              {t('commitment.notCharged')}
            </Badge>
          </div>
          <Text className={styles.caption}>{t('commitment.retailHint')}</Text>
          <Text
            className={mergeClasses(styles.amount, styles.retailAmount)}
            data-testid="price-retail-amount"
          >
            {props.retail.amount}
          </Text>
          <Text className={styles.caption}>{props.retail.caption}</Text>
          {props.retail.lines?.map((line, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a fixed, short list of lines
            <Text key={index} className={styles.line}>
              {line}
            </Text>
          ))}
        </div>
      )}
    </div>
  );
}
