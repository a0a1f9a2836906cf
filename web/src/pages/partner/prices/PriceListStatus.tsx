import { Badge, makeStyles, Text, tokens } from '@fluentui/react-components';
import { CalendarClock16Regular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import { localeOf } from '../../../i18n.ts';
import { type Markups, type PriceListView, priceKinds } from '../../../priceLists.ts';
import { useUtcDate } from './useUtcDate.ts';

const useStyles = makeStyles({
  status: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  line: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  muted: { color: tokens.colorNeutralForeground3 },
  scheduled: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    border: `1px dashed ${tokens.colorBrandStroke2}`,
    backgroundColor: tokens.colorBrandBackground2,
  },
  heading: { fontWeight: tokens.fontWeightSemibold },
});

/** "Reservations 5 % · Savings plans 3 % · …", numbers written the user's way ("7,5" in Indonesian). */
export function useMarkupSummary() {
  const { t, i18n } = useTranslation();
  const number = new Intl.NumberFormat(localeOf(i18n.language), { maximumFractionDigits: 2 });
  return (markups: Markups) =>
    priceKinds
      .map((k) => `${t(`priceList.kinds.${k}`)} ${number.format(markups[k] as Intl.StringNumericLiteral)} %`)
      .join(' · ');
}

/** Where the prices come from now, since when, and what is scheduled to change. */
export function PriceListStatus(props: { view: PriceListView; companyName?: string }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const date = useUtcDate();
  const summary = useMarkupSummary();
  const { view } = props;
  const own = view.current;
  return (
    <div className={styles.status} data-testid="price-list-status">
      <div className={styles.line}>
        <Badge
          appearance="tint"
          color={view.source === 'customer' ? 'brand' : view.source === 'default' ? 'informative' : 'warning'}
          data-testid="price-list-source"
        >
          {t(`priceList.source.${view.source}`)}
        </Badge>
        {own && (
          <Text className={styles.muted}>
            {t('priceList.inEffectSince', { date: date(own.effectiveFrom), by: own.createdBy })}
          </Text>
        )}
      </div>
      {view.scope === 'customer' && !own && (
        <Text>
          {view.fallback
            ? t('priceList.usesDefault', { company: props.companyName ?? '' })
            : t('priceList.noDefault')}
        </Text>
      )}
      {view.scope === 'default' && !own && <Text>{t('priceList.noDefault')}</Text>}
      {view.scheduled.length > 0 && (
        <div className={styles.scheduled} data-testid="price-list-scheduled">
          <Text className={styles.heading}>{t('priceList.scheduledTitle')}</Text>
          {view.scheduled.map((v) => (
            <div key={v.id} className={styles.line}>
              <CalendarClock16Regular />
              <Text weight="semibold">{t('priceList.scheduledFrom', { date: date(v.effectiveFrom) })}</Text>
              <Text className={styles.muted}>
                {t('priceList.scheduledSummary', {
                  markups: summary(v.markups),
                  count: v.overrides.length,
                  by: v.createdBy,
                })}
              </Text>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
