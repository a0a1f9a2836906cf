import { makeStyles, tokens } from '@fluentui/react-components';
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UtilizationDay } from '../../api.ts';
import { useFormat } from '../../format.ts';

// A daily utilisation chart in plain SVG: one bar per UTC day of the last 30 (ending on the last day
// with results), 0–100 %, a tooltip on hover and a summary for screen readers.

const days = 30;
const height = 168;
const margin = { top: 10, right: 4, bottom: 24, left: 40 };
const plotHeight = height - margin.top - margin.bottom;
const gridLines = [0, 50, 100];
const dayMs = 86_400_000;

const useStyles = makeStyles({
  wrap: { position: 'relative', width: '100%', minWidth: 0 },
  svg: { display: 'block', width: '100%', height: `${height}px`, overflow: 'visible' },
  grid: { stroke: tokens.colorNeutralStroke2, strokeWidth: 1 },
  baseline: { stroke: tokens.colorNeutralStroke1, strokeWidth: 1 },
  axisText: { fill: tokens.colorNeutralForeground3, fontSize: '11px', fontFamily: tokens.fontFamilyBase },
  track: { fill: tokens.colorNeutralBackground3 },
  trackHover: { fill: tokens.colorNeutralBackground3Hover },
  bar: { fill: tokens.colorBrandBackground },
  barHover: { fill: tokens.colorBrandBackgroundHover },
  empty: { fill: tokens.colorNeutralStrokeAccessible },
  tooltip: {
    position: 'absolute',
    pointerEvents: 'none',
    whiteSpace: 'nowrap',
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
    boxShadow: tokens.shadow8,
    borderRadius: tokens.borderRadiusMedium,
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    fontSize: tokens.fontSizeBase200,
    lineHeight: tokens.lineHeightBase200,
    zIndex: 1,
  },
  tooltipValue: { fontWeight: tokens.fontWeightSemibold },
});

/** `yyyy-mm-dd` of a UTC time. */
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayStart = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** The 30 days shown: ending on the last day with results, or yesterday before there is any. */
export function chartDays(daily: UtilizationDay[], now = Date.now()): string[] {
  const last = daily.length ? dayStart(daily[daily.length - 1].day) : dayStart(isoDay(now)) - dayMs;
  return Array.from({ length: days }, (_, i) => isoDay(last - (days - 1 - i) * dayMs));
}

/** The chart's width in CSS pixels: drawn 1:1, so the axis text keeps its size in any container. */
function useWidth() {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(560);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const update = () => setWidth(Math.max(240, Math.round(element.clientWidth)));
    update();
    const observer = new ResizeObserver(update);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width] as const;
}

const clamp = (pct: number) => Math.min(100, Math.max(0, pct));
const yOf = (pct: number) => margin.top + plotHeight * (1 - clamp(pct) / 100);

export function UtilizationChart({ daily }: { daily: UtilizationDay[] }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const format = useFormat();
  const [hovered, setHovered] = useState<number | null>(null);
  const [ref, width] = useWidth();
  const slot = (width - margin.left - margin.right) / days;
  const barWidth = Math.max(2, slot * 0.72);

  const fmt = useMemo(() => {
    const short = new Intl.DateTimeFormat(format.locale, { day: 'numeric', month: 'short', timeZone: 'UTC' });
    const long = new Intl.DateTimeFormat(format.locale, {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      timeZone: 'UTC',
    });
    return {
      short: (day: string) => short.format(dayStart(day)),
      long: (day: string) => long.format(dayStart(day)),
    };
  }, [format.locale]);

  const slots = useMemo(() => {
    const byDay = new Map(daily.map((d) => [d.day, d]));
    return chartDays(daily).map((day) => ({ day, data: byDay.get(day) ?? null }));
  }, [daily]);

  const summary = useMemo(() => {
    const range = { from: fmt.long(slots[0].day), to: fmt.long(slots[slots.length - 1].day) };
    const known = slots.filter(
      (s): s is { day: string; data: UtilizationDay & { utilizationPct: number } } =>
        s.data?.utilizationPct !== null && s.data?.utilizationPct !== undefined,
    );
    if (known.length === 0) return t('utilisation.chartEmpty', range);
    const min = known.reduce((a, b) => (b.data.utilizationPct < a.data.utilizationPct ? b : a));
    const max = known.reduce((a, b) => (b.data.utilizationPct > a.data.utilizationPct ? b : a));
    const average = known.reduce((sum, s) => sum + s.data.utilizationPct, 0) / known.length;
    return t('utilisation.chart', {
      ...range,
      count: known.length,
      average: format.percent(average),
      min: format.percent(min.data.utilizationPct),
      minDay: fmt.short(min.day),
      max: format.percent(max.data.utilizationPct),
      maxDay: fmt.short(max.day),
    });
  }, [slots, fmt, format, t]);

  const valueText = (data: UtilizationDay | null) =>
    !data
      ? t('utilisation.noData')
      : data.utilizationPct === null
        ? t('utilisation.noCapacity')
        : format.percent(data.utilizationPct);

  const labelled = [0, Math.floor(days / 2), days - 1];
  const active = hovered === null ? null : slots[hovered];
  const activeTop =
    active?.data?.utilizationPct !== null && active?.data?.utilizationPct !== undefined
      ? yOf(active.data.utilizationPct)
      : margin.top + plotHeight;

  return (
    <div ref={ref} className={styles.wrap} data-testid="utilisation-chart-wrap">
      <svg
        className={styles.svg}
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={summary}
        data-testid="utilisation-chart"
        onMouseMove={(event) => {
          // The day under the pointer (anywhere in its column).
          const x = event.clientX - event.currentTarget.getBoundingClientRect().left;
          const i = Math.floor((x - margin.left) / slot);
          setHovered(i >= 0 && i < days ? i : null);
        }}
        onMouseLeave={() => setHovered(null)}
      >
        {gridLines.map((pct) => (
          <g key={pct}>
            <line
              className={pct === 0 ? styles.baseline : styles.grid}
              x1={margin.left}
              x2={width - margin.right}
              y1={yOf(pct)}
              y2={yOf(pct)}
              strokeDasharray={pct === 0 ? undefined : '3 3'}
            />
            <text
              className={styles.axisText}
              x={margin.left - 8}
              y={yOf(pct)}
              textAnchor="end"
              dominantBaseline="middle"
            >
              {format.percent(pct)}
            </text>
          </g>
        ))}
        {slots.map((s, i) => {
          const x = margin.left + i * slot + (slot - barWidth) / 2;
          const pct = s.data?.utilizationPct;
          const hover = hovered === i;
          return (
            <g key={s.day} data-testid="utilisation-day" data-day={s.day} data-pct={pct ?? ''}>
              <rect
                className={hover ? styles.trackHover : styles.track}
                x={x}
                y={margin.top}
                width={barWidth}
                height={plotHeight}
                rx={2}
              />
              {pct !== null && pct !== undefined && (
                <rect
                  className={hover ? styles.barHover : styles.bar}
                  x={x}
                  y={yOf(pct)}
                  width={barWidth}
                  height={margin.top + plotHeight - yOf(pct)}
                  rx={2}
                  data-testid="utilisation-bar"
                />
              )}
              {s.data && pct === null && (
                <rect
                  className={styles.empty}
                  x={x}
                  y={margin.top + plotHeight - 2}
                  width={barWidth}
                  height={2}
                />
              )}
            </g>
          );
        })}
        {labelled.map((i) => (
          <text
            key={i}
            className={styles.axisText}
            x={margin.left + i * slot + slot / 2}
            y={height - 6}
            textAnchor={i === 0 ? 'start' : i === days - 1 ? 'end' : 'middle'}
            dx={i === 0 ? -slot / 2 + 2 : i === days - 1 ? slot / 2 - 2 : 0}
          >
            {fmt.short(slots[i].day)}
          </text>
        ))}
      </svg>
      {active && hovered !== null && (
        <div
          className={styles.tooltip}
          style={{
            left: margin.left + hovered * slot + slot / 2,
            top: activeTop,
            // Centred over the bar, but kept inside the chart at either end.
            transform: `translate(${hovered < 4 ? '-12%' : hovered > days - 5 ? '-88%' : '-50%'}, calc(-100% - 8px))`,
          }}
          aria-hidden
          data-testid="utilisation-tooltip"
        >
          <div>{fmt.long(active.day)}</div>
          <div className={styles.tooltipValue}>{valueText(active.data)}</div>
        </div>
      )}
    </div>
  );
}
