import { makeStyles, mergeClasses, Spinner, Text, tokens } from '@fluentui/react-components';
import {
  ArrowRight16Regular,
  ArrowTrending16Regular,
  ArrowTrendingDown16Regular,
} from '@fluentui/react-icons';
import type { UseQueryResult } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import {
  type ApiError,
  type CommitmentKind,
  isApiError,
  type Utilization,
  type UtilizationGrain,
  type UtilizationTrend,
} from '../../api.ts';
import { useFormat } from '../../format.ts';
import { ErrorBar } from '../QueryState.tsx';
import { UtilizationChart } from './UtilizationChart.tsx';

const useStyles = makeStyles({
  panel: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: 0 },
  hint: { color: tokens.colorNeutralForeground3 },
  figures: {
    display: 'grid',
    gridTemplateColumns: 'repeat(3, minmax(0, 1fr))',
    gap: tokens.spacingHorizontalS,
    margin: 0,
  },
  figure: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXXS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground2,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  figureLabel: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  figureValue: {
    margin: 0,
    fontSize: tokens.fontSizeBase500,
    lineHeight: tokens.lineHeightBase500,
    fontWeight: tokens.fontWeightSemibold,
    fontVariantNumeric: 'tabular-nums',
  },
  trend: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalXS,
    fontSize: tokens.fontSizeBase200,
    color: tokens.colorNeutralForeground3,
  },
  trendWord: { fontWeight: tokens.fontWeightSemibold },
  UP: { color: tokens.colorPaletteGreenForeground1 },
  DOWN: { color: tokens.colorPaletteDarkOrangeForeground1 },
  SAME: { color: tokens.colorNeutralForeground2 },
  chartTitle: { fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2 },
  placeholder: {
    padding: tokens.spacingVerticalL,
    borderRadius: tokens.borderRadiusMedium,
    border: `1px dashed ${tokens.colorNeutralStroke1}`,
    color: tokens.colorNeutralForeground3,
    textAlign: 'center',
  },
});

const grains: UtilizationGrain[] = [1, 7, 30];
const trendIcons: Record<UtilizationTrend, typeof ArrowRight16Regular> = {
  UP: ArrowTrending16Regular,
  DOWN: ArrowTrendingDown16Regular,
  SAME: ArrowRight16Regular,
};

/** True until benefit runs have produced a first day: every aggregate null and no days. */
export const isEmptyUtilization = (u: Utilization) =>
  u.daily.length === 0 && u.aggregates.every((a) => a.value === null);

/**
 * Utilisation of a reservation or savings plan: the last day, 7 and 30 days as figures, the trend,
 * and the last 30 days as a chart. Before the first benefit run, the placeholder says when it comes.
 */
export function UtilizationPanel(props: {
  kind: CommitmentKind;
  query: UseQueryResult<Utilization, ApiError>;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const format = useFormat();
  const { query } = props;

  if (query.isPending) return <Spinner size="tiny" label={t('common.loading')} labelPosition="after" />;
  // The commitment itself has loaded: a 404 here means no utilisation to show (yet), not an error.
  if (query.isError && !isApiError(query.error, 404))
    return <ErrorBar error={query.error} onRetry={() => void query.refetch()} />;
  const u = query.data;
  if (!u || isEmptyUtilization(u)) {
    return (
      <div className={styles.placeholder} data-testid="utilisation-placeholder">
        {t('commitment.utilisationPlaceholder')}
      </div>
    );
  }
  const value = (grain: UtilizationGrain) => u.aggregates.find((a) => a.grain === grain)?.value ?? null;
  const Trend = u.trend ? trendIcons[u.trend] : null;

  return (
    <div className={styles.panel} data-testid="utilisation-panel">
      <Text size={200} className={styles.hint}>
        {t(`utilisation.hint.${props.kind}`)}
      </Text>
      <dl className={styles.figures} aria-label={t('utilisation.figures')}>
        {grains.map((grain) => (
          <div key={grain} className={styles.figure}>
            <dt className={styles.figureLabel}>{t(`utilisation.grain.${grain}`)}</dt>
            <dd
              className={styles.figureValue}
              data-testid={`utilisation-figure-${grain}`}
              data-value={value(grain) ?? ''}
            >
              {format.percent(value(grain))}
            </dd>
          </div>
        ))}
      </dl>
      <div className={styles.trend} data-testid="utilisation-trend" data-trend={u.trend ?? ''}>
        {u.trend && Trend ? (
          <>
            <Trend className={styles[u.trend]} aria-hidden />
            <span className={mergeClasses(styles.trendWord, styles[u.trend])}>
              {t(`utilisation.trend.${u.trend}`)}
            </span>
            <span>· {t('utilisation.trendAgainst')}</span>
          </>
        ) : (
          <span>{t('utilisation.trendUnknown')}</span>
        )}
      </div>
      <Text className={styles.chartTitle}>{t('utilisation.daily')}</Text>
      <UtilizationChart daily={u.daily} />
    </div>
  );
}
