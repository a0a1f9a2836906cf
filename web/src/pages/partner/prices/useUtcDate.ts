import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { localeOf } from '../../../i18n.ts';

/**
 * Price list dates in the user's language, read as UTC days: a version effective from 00:00 UTC on
 * 1 January shows as 1 January wherever the browser is, not 31 December west of Greenwich.
 */
export function useUtcDate() {
  const { i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  return useMemo(() => {
    const format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
    return (iso: string) => format.format(new Date(iso));
  }, [locale]);
}
