import { Field, makeStyles, Select, tokens } from '@fluentui/react-components';
import { type ReactNode, useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { localeOf } from '../i18n.ts';

const useStyles = makeStyles({
  parts: {
    display: 'flex',
    gap: tokens.spacingHorizontalS,
    flexWrap: 'wrap',
    border: 'none',
    margin: 0,
    padding: 0,
    minWidth: 0,
  },
  day: { width: '88px' },
  month: { width: '168px' },
  year: { width: '104px' },
});

type Part = 'day' | 'month' | 'year';

const pad = (n: number) => String(n).padStart(2, '0');
const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Day, month and year in the order the locale writes them ("23 November 2026", "November 23, 2026"). */
function partOrder(locale: string): Part[] {
  const parts = new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  })
    .formatToParts(new Date(Date.UTC(2026, 10, 23)))
    .map((p) => p.type)
    .filter((t): t is Part => t === 'day' || t === 'month' || t === 'year');
  return parts.length === 3 ? parts : ['day', 'month', 'year'];
}

/**
 * A calendar day as `yyyy-mm-dd`, entered as day, month and year in the user's language and in
 * its order, so Indonesian users never meet a US-style mm/dd/yyyy field (a native date input
 * follows the browser's locale, not the portal's language).
 */
export function DateField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** The years offered: from `fromYear`, `years` of them. */
  fromYear: number;
  years?: number;
  hint?: string;
  validationMessage?: string;
  disabled?: boolean;
  testId?: string;
}) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const id = useId();
  const locale = localeOf(i18n.language);
  const [year, month, day] = props.value.split('-').map(Number);
  const monthNames = useMemo(() => {
    const format = new Intl.DateTimeFormat(locale, { month: 'long', timeZone: 'UTC' });
    return Array.from({ length: 12 }, (_, m) => format.format(new Date(Date.UTC(2026, m, 1))));
  }, [locale]);
  const emit = (y: number, m: number, d: number) =>
    props.onChange(`${y}-${pad(m)}-${pad(Math.min(d, daysIn(y, m)))}`);

  const selects: Record<Part, ReactNode> = {
    day: (
      <Select
        key="day"
        id={`${id}-day`}
        className={styles.day}
        aria-label={t('priceList.day')}
        value={String(day)}
        disabled={props.disabled}
        onChange={(_, data) => emit(year, month, Number(data.value))}
        data-testid={props.testId && `${props.testId}-day`}
      >
        {Array.from({ length: daysIn(year, month) }, (_, i) => i + 1).map((d) => (
          <option key={d} value={d}>
            {d}
          </option>
        ))}
      </Select>
    ),
    month: (
      <Select
        key="month"
        id={`${id}-month`}
        className={styles.month}
        aria-label={t('priceList.month')}
        value={String(month)}
        disabled={props.disabled}
        onChange={(_, data) => emit(year, Number(data.value), day)}
        data-testid={props.testId && `${props.testId}-month`}
      >
        {monthNames.map((name, m) => (
          <option key={name} value={m + 1}>
            {name}
          </option>
        ))}
      </Select>
    ),
    year: (
      <Select
        key="year"
        id={`${id}-year`}
        className={styles.year}
        aria-label={t('priceList.year')}
        value={String(year)}
        disabled={props.disabled}
        onChange={(_, data) => emit(Number(data.value), month, day)}
        data-testid={props.testId && `${props.testId}-year`}
      >
        {Array.from({ length: props.years ?? 6 }, (_, i) => props.fromYear + i).map((y) => (
          <option key={y} value={y}>
            {y}
          </option>
        ))}
      </Select>
    ),
  };
  const order = partOrder(locale);
  return (
    <Field
      label={{ children: props.label, htmlFor: `${id}-${order[0]}` }}
      hint={props.hint}
      validationMessage={props.validationMessage}
      validationState={props.validationMessage ? 'error' : 'none'}
    >
      <fieldset className={styles.parts} aria-label={props.label}>
        {order.map((part) => selects[part])}
      </fieldset>
    </Field>
  );
}
