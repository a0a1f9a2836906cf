import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { localeOf } from './i18n.ts';
import { minorUnits } from './money.ts';

// Display-only formatting. Money arrives as decimal strings and is passed to Intl as a string, so no
// float conversion ever touches an amount that is stored or sent back.

const decimalPattern = /^[+-]?\d+(\.\d+)?$/;

export function humanize(code: string): string {
  const words = code
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function useFormat() {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.language);

  return useMemo(() => {
    const dateFmt = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
    // A calendar day ('2026-12-01', a bill line's date) is the same day wherever the browser is.
    const dayFmt = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
    const dateTimeFmt = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    const regions = displayNames(locale, 'region');
    const languageNames = displayNames(locale, 'language');
    const percentFmt = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });

    const parse = (iso: string | null | undefined) => {
      if (!iso) return null;
      const date = new Date(iso);
      return Number.isNaN(date.getTime()) ? null : date;
    };

    /** A label from the `group` namespace, falling back to a readable form of the code itself. */
    const label = (group: string, code: string | null | undefined): string => {
      if (!code) return t('common.none');
      return t(`${group}.${code}`, { defaultValue: humanize(code) });
    };

    return {
      locale,
      date: (iso: string | null | undefined) => {
        const d = parse(iso);
        if (!d) return t('common.none');
        return /^\d{4}-\d{2}-\d{2}$/.test(iso ?? '') ? dayFmt.format(d) : dateFmt.format(d);
      },
      dateTime: (iso: string | null | undefined) => {
        const d = parse(iso);
        return d ? dateTimeFmt.format(d) : t('common.none');
      },
      /** Totals and invoice lines: the currency's ISO 4217 minor unit (IDR keeps its two decimals). */
      money: (amount: string, currency: string | undefined) => formatMoney(locale, amount, currency, false),
      /** Unit prices: keep up to six decimals so small per-hour rates stay visible. */
      unitPrice: (amount: string, currency: string | undefined) =>
        formatMoney(locale, amount, currency, true),
      number: (value: number) => new Intl.NumberFormat(locale).format(value),
      /** A percentage given as 0–100 ("87.5" → "87.5%"), one decimal at most; "—" for null. */
      percent: (value: number | null | undefined) =>
        value === null || value === undefined ? t('common.none') : percentFmt.format(value / 100),
      country: (code: string | null | undefined) => {
        if (!code) return t('common.none');
        try {
          return regions?.of(code.toUpperCase()) ?? code;
        } catch {
          return code;
        }
      },
      /** A language or culture code ("id", "id-ID") in words, keeping the code when unknown. */
      language: (code: string | null | undefined) => {
        if (!code) return t('common.none');
        try {
          return languageNames?.of(code) ?? code;
        } catch {
          return code;
        }
      },
      duration: (iso: string | null | undefined) => formatDuration(iso, t) ?? t('common.none'),
      label,
      operation: (code: string) => label('operation', code),
      role: (code: string) => label('roles', code),
    };
  }, [locale, t]);
}

export type Formatters = ReturnType<typeof useFormat>;

function displayNames(locale: string, type: 'region' | 'language'): Intl.DisplayNames | null {
  try {
    return new Intl.DisplayNames([locale], { type });
  } catch {
    return null;
  }
}

function formatMoney(locale: string, amount: string, currency: string | undefined, precise: boolean): string {
  if (!decimalPattern.test(amount)) return amount;
  const value = amount as Intl.StringNumericLiteral;
  const digits = currency ? minorUnits(currency) : 2;
  const options: Intl.NumberFormatOptions = precise
    ? { minimumFractionDigits: 2, maximumFractionDigits: 6 }
    : { minimumFractionDigits: digits, maximumFractionDigits: digits };
  if (currency && /^[A-Za-z]{3}$/.test(currency)) {
    try {
      return new Intl.NumberFormat(locale, { style: 'currency', currency, ...options }).format(value);
    } catch {
      // Unknown currency code: fall through to a plain number plus the code.
    }
  }
  const plain = new Intl.NumberFormat(locale, {
    minimumFractionDigits: precise ? 2 : digits,
    maximumFractionDigits: precise ? 6 : digits,
  });
  return currency ? `${plain.format(value)} ${currency}` : plain.format(value);
}

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** ISO 8601 durations as used by terms ("P1M", "P1Y", "P3Y", "P30D") in words. */
function formatDuration(iso: string | null | undefined, t: Translate): string | null {
  if (!iso) return null;
  const match = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$/.exec(iso);
  if (!match || (!match[1] && !match[2] && !match[3])) return iso;
  const parts: string[] = [];
  if (match[1]) parts.push(t('duration.year', { count: Number(match[1]) }));
  if (match[2]) parts.push(t('duration.month', { count: Number(match[2]) }));
  if (match[3]) parts.push(t('duration.day', { count: Number(match[3]) }));
  return parts.join(' ');
}
