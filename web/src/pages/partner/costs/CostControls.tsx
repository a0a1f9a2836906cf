import { Button, Dropdown, Field, makeStyles, Option, Spinner, tokens } from '@fluentui/react-components';
import { ArrowDownload20Regular } from '@fluentui/react-icons';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CostView } from '../../../api.ts';
import { localeOf } from '../../../i18n.ts';

const useStyles = makeStyles({
  toolbar: {
    display: 'flex',
    alignItems: 'flex-end',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalM,
    flexWrap: 'wrap',
    marginBottom: tokens.spacingVerticalM,
  },
  fields: { display: 'flex', gap: tokens.spacingHorizontalM, flexWrap: 'wrap', alignItems: 'flex-end' },
  field: { minWidth: '200px' },
  end: { display: 'inline-flex', gap: tokens.spacingHorizontalS, alignItems: 'center' },
});

/** `yyyy-mm` of this month and the `count - 1` before it, newest first (UTC, as the API counts). */
export function recentMonths(count: number, now = new Date()): string[] {
  return Array.from({ length: count }, (_, i) =>
    new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1)).toISOString().slice(0, 7),
  );
}

export function useMonthLabel() {
  const { i18n } = useTranslation();
  const f = new Intl.DateTimeFormat(localeOf(i18n.language), {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
  const short = new Intl.DateTimeFormat(localeOf(i18n.language), {
    month: 'short',
    year: '2-digit',
    timeZone: 'UTC',
  });
  return {
    long: (m: string) => f.format(new Date(`${m}-01T00:00:00Z`)),
    short: (m: string) => short.format(new Date(`${m}-01T00:00:00Z`)),
  };
}

/** The view picker, an optional month picker, and the CSV download of what is shown. */
export function CostControls(props: {
  view: CostView;
  onView: (view: CostView) => void;
  month?: { value: string; options: string[]; onChange: (month: string) => void };
  csvUrl: string;
  fetching: boolean;
  extra?: ReactNode;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const label = useMonthLabel();
  return (
    <div className={styles.toolbar}>
      <div className={styles.fields}>
        {props.month && (
          <Field label={t('costs.month')} className={styles.field}>
            <Dropdown
              value={label.long(props.month.value)}
              selectedOptions={[props.month.value]}
              onOptionSelect={(_, d) => d.optionValue && props.month?.onChange(d.optionValue)}
              data-testid="costs-month"
            >
              {props.month.options.map((m) => (
                <Option key={m} value={m} text={label.long(m)}>
                  {label.long(m)}
                </Option>
              ))}
            </Dropdown>
          </Field>
        )}
        <Field label={t('costs.view')} className={styles.field}>
          <Dropdown
            value={t(`costs.views.${props.view}`)}
            selectedOptions={[props.view]}
            onOptionSelect={(_, d) => d.optionValue && props.onView(d.optionValue as CostView)}
            data-testid="costs-view"
          >
            {(['actual', 'amortized'] as const).map((v) => (
              <Option key={v} value={v} text={t(`costs.views.${v}`)}>
                {t(`costs.views.${v}`)}
              </Option>
            ))}
          </Dropdown>
        </Field>
        {props.extra}
      </div>
      <span className={styles.end}>
        {props.fetching && <Spinner size="tiny" />}
        <Button
          as="a"
          href={props.csvUrl}
          download
          icon={<ArrowDownload20Regular />}
          data-testid="costs-export"
        >
          {t('costs.exportCsv')}
        </Button>
      </span>
    </div>
  );
}
