import { makeStyles, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { CostFigures } from '../../../api.ts';

/**
 * Inline SVG bars, one group per month or customer: what the partner pays (stacked by usage,
 * purchases and unused charges) beside what it bills. Heights come from the shown, rounded
 * figures; the table below carries the exact amounts.
 */

const useStyles = makeStyles({
  wrap: {
    backgroundColor: tokens.colorNeutralBackground1,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: tokens.spacingHorizontalM,
    marginBottom: tokens.spacingVerticalM,
    overflowX: 'auto',
  },
  legend: {
    display: 'flex',
    gap: tokens.spacingHorizontalL,
    flexWrap: 'wrap',
    fontSize: tokens.fontSizeBase200,
    color: tokens.colorNeutralForeground2,
    marginBottom: tokens.spacingVerticalS,
  },
  key: { display: 'inline-flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  swatch: { width: '10px', height: '10px', borderRadius: '2px', display: 'inline-block' },
});

const colors = {
  usage: tokens.colorPaletteBlueBorderActive,
  purchases: tokens.colorPaletteDarkOrangeBorderActive,
  unused: tokens.colorPaletteRedBorderActive,
  billed: tokens.colorPaletteGreenBorderActive,
};

const n = (v: string | null) => Math.max(0, Number(v ?? 0));

export function CostChart(props: {
  groups: { key: string; label: string; figures: CostFigures }[];
  money: (amount: string) => string;
  testId: string;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const height = 180;
  const groupWidth = 64;
  const bar = 22;
  const left = 8;
  const width = Math.max(320, left + props.groups.length * groupWidth + 8);
  const max = Math.max(
    1,
    ...props.groups.map((g) =>
      Math.max(
        n(g.figures.billed),
        n(g.figures.usage) +
          n(g.figures.purchases) +
          n(g.figures.unusedReservations) +
          n(g.figures.unusedSavingsPlans),
      ),
    ),
  );
  const scale = (v: number) => (v / max) * (height - 8);
  return (
    <div className={styles.wrap} data-testid={props.testId}>
      <div className={styles.legend}>
        {(
          [
            ['usage', 'costs.usage'],
            ['purchases', 'costs.purchases'],
            ['unused', 'costs.unused'],
            ['billed', 'costs.billed'],
          ] as const
        ).map(([k, label]) => (
          <span key={k} className={styles.key}>
            <span className={styles.swatch} style={{ backgroundColor: colors[k] }} />
            {t(label)}
          </span>
        ))}
      </div>
      <svg width={width} height={height + 36} role="img" aria-label={t('costs.chartLabel')}>
        <line x1={0} x2={width} y1={height} y2={height} stroke={tokens.colorNeutralStroke1} />
        {props.groups.map((g, i) => {
          const x = left + i * groupWidth;
          const parts = [
            { k: 'usage', v: n(g.figures.usage) },
            { k: 'purchases', v: n(g.figures.purchases) },
            { k: 'unused', v: n(g.figures.unusedReservations) + n(g.figures.unusedSavingsPlans) },
          ] as const;
          let y = height;
          return (
            <g key={g.key} data-testid="cost-chart-group" data-key={g.key}>
              <title>
                {`${g.label}: ${t('costs.partnerPays')} ${props.money(g.figures.partnerPays)}, ${t('costs.billed')} ${props.money(g.figures.billed)}`}
              </title>
              {parts.map((p) => {
                const h = scale(p.v);
                y -= h;
                return h > 0 ? (
                  <rect key={p.k} x={x} y={y} width={bar} height={h} fill={colors[p.k]} />
                ) : null;
              })}
              <rect
                x={x + bar + 4}
                y={height - scale(n(g.figures.billed))}
                width={bar}
                height={scale(n(g.figures.billed))}
                fill={colors.billed}
              />
              <text
                x={x + bar + 2}
                y={height + 16}
                textAnchor="middle"
                fontSize={11}
                fill={tokens.colorNeutralForeground2}
              >
                {g.label.length > 10 ? `${g.label.slice(0, 9)}…` : g.label}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}
