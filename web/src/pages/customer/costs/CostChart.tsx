import { makeStyles, tokens } from '@fluentui/react-components';
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CostLineView } from '../../../api.ts';
import { useFormat } from '../../../format.ts';

// Daily cost in plain SVG: one bar per UTC day of the range (days without usage stay empty), a
// money axis, a tooltip with the exact figure, and a summary for screen readers. Bar heights are
// floats — they are pixels, not money; every figure shown comes from the server's strings.

const height = 200;
const margin = { top: 12, right: 6, bottom: 24, left: 72 };
const plotHeight = height - margin.top - margin.bottom;
const dayMs = 86_400_000;

const useStyles = makeStyles({
  wrap: { position: 'relative', width: '100%', minWidth: 0 },
  svg: { display: 'block', width: '100%', height: `${height}px`, overflow: 'visible' },
  grid: { stroke: tokens.colorNeutralStroke2, strokeWidth: 1 },
  baseline: { stroke: tokens.colorNeutralStroke1, strokeWidth: 1 },
  axisText: { fill: tokens.colorNeutralForeground3, fontSize: '11px', fontFamily: tokens.fontFamilyBase },
  bar: { fill: tokens.colorBrandBackground },
  barHover: { fill: tokens.colorBrandBackgroundHover },
  hoverTrack: { fill: tokens.colorNeutralBackground3 },
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

const dayStart = (day: string) => Date.parse(`${day}T00:00:00Z`);
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Every day from `from` to `to`, both inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = dayStart(from); t <= dayStart(to); t += dayMs) out.push(isoDay(t));
  return out;
}

/** A round axis maximum (1, 2 or 5 × 10ⁿ) at or above the highest bar. */
function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 5, 10].find((m) => m * power >= value) ?? 10) * power;
}

function useWidth() {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(720);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const update = () => setWidth(Math.max(280, Math.round(element.clientWidth)));
    update();
    const observer = new ResizeObserver(update);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width] as const;
}

export function CostChart(props: {
  rows: CostLineView[];
  from: string;
  to: string;
  currency: string;
  total: string;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const format = useFormat();
  const [hovered, setHovered] = useState<number | null>(null);
  const [ref, width] = useWidth();

  const slots = useMemo(() => {
    const byDay = new Map(props.rows.map((r) => [r.day, r.cost]));
    return daysBetween(props.from, props.to).map((day) => ({ day, cost: byDay.get(day) ?? null }));
  }, [props.rows, props.from, props.to]);
  const max = niceMax(Math.max(0, ...slots.map((s) => Number(s.cost ?? 0))));
  const slot = (width - margin.left - margin.right) / Math.max(1, slots.length);
  const barWidth = Math.max(1, slot * 0.72);
  const yOf = (value: number) => margin.top + plotHeight * (1 - Math.min(1, value / max));

  const fmt = useMemo(() => {
    const short = new Intl.DateTimeFormat(format.locale, { day: 'numeric', month: 'short', timeZone: 'UTC' });
    const long = new Intl.DateTimeFormat(format.locale, {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      timeZone: 'UTC',
    });
    let axis: Intl.NumberFormat;
    try {
      axis = new Intl.NumberFormat(format.locale, {
        style: 'currency',
        currency: props.currency,
        notation: 'compact',
        maximumFractionDigits: 1,
      });
    } catch {
      axis = new Intl.NumberFormat(format.locale, { notation: 'compact', maximumFractionDigits: 1 });
    }
    return {
      short: (day: string) => short.format(dayStart(day)),
      long: (day: string) => long.format(dayStart(day)),
      axis: (value: number) => axis.format(value),
    };
  }, [format.locale, props.currency]);

  const summary = useMemo(() => {
    const range = { from: fmt.long(props.from), to: fmt.long(props.to) };
    const known = slots.filter((s): s is { day: string; cost: string } => s.cost !== null);
    if (known.length === 0) return t('costAnalysis.chartEmpty', range);
    const top = known.reduce((a, b) => (Number(b.cost) > Number(a.cost) ? b : a));
    return t('costAnalysis.chart', {
      ...range,
      total: format.money(props.total, props.currency),
      max: format.money(top.cost, props.currency),
      maxDay: fmt.short(top.day),
    });
  }, [slots, fmt, format, props.from, props.to, props.total, props.currency, t]);

  const labelled = slots.length <= 1 ? [0] : [0, Math.floor((slots.length - 1) / 2), slots.length - 1];
  const active = hovered === null ? null : slots[hovered];

  return (
    <div ref={ref} className={styles.wrap}>
      <svg
        className={styles.svg}
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={summary}
        data-testid="cost-chart"
        onMouseMove={(event) => {
          const x = event.clientX - event.currentTarget.getBoundingClientRect().left;
          const i = Math.floor((x - margin.left) / slot);
          setHovered(i >= 0 && i < slots.length ? i : null);
        }}
        onMouseLeave={() => setHovered(null)}
      >
        {[0, max / 2, max].map((value) => (
          <g key={value}>
            <line
              className={value === 0 ? styles.baseline : styles.grid}
              x1={margin.left}
              x2={width - margin.right}
              y1={yOf(value)}
              y2={yOf(value)}
              strokeDasharray={value === 0 ? undefined : '3 3'}
            />
            <text
              className={styles.axisText}
              x={margin.left - 8}
              y={yOf(value)}
              textAnchor="end"
              dominantBaseline="middle"
            >
              {fmt.axis(value)}
            </text>
          </g>
        ))}
        {slots.map((s, i) => {
          const x = margin.left + i * slot + (slot - barWidth) / 2;
          const value = Number(s.cost ?? 0);
          return (
            <g key={s.day} data-testid="cost-day" data-day={s.day} data-cost={s.cost ?? ''}>
              {hovered === i && (
                <rect
                  className={styles.hoverTrack}
                  x={x}
                  y={margin.top}
                  width={barWidth}
                  height={plotHeight}
                  rx={2}
                />
              )}
              {value > 0 && (
                <rect
                  className={hovered === i ? styles.barHover : styles.bar}
                  x={x}
                  y={yOf(value)}
                  width={barWidth}
                  height={Math.max(1, margin.top + plotHeight - yOf(value))}
                  rx={2}
                  data-testid="cost-bar"
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
            textAnchor={
              i === 0 && labelled.length > 1 ? 'start' : i === slots.length - 1 && i > 0 ? 'end' : 'middle'
            }
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
            top: yOf(Number(active.cost ?? 0)),
            transform: `translate(${hovered < slots.length * 0.15 ? '-12%' : hovered > slots.length * 0.85 ? '-88%' : '-50%'}, calc(-100% - 8px))`,
          }}
          aria-hidden
          data-testid="cost-tooltip"
        >
          <div>{fmt.long(active.day)}</div>
          <div className={styles.tooltipValue}>
            {active.cost === null ? t('common.none') : format.money(active.cost, props.currency)}
          </div>
        </div>
      )}
    </div>
  );
}
