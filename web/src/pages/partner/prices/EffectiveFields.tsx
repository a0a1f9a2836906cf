import { Radio, RadioGroup } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { DateField } from '../../../components/DateField.tsx';
import type { Draft } from './draft.ts';
import { useUtcDate } from './useUtcDate.ts';

/** "At once" or "From a date": a dated change is scheduled, never back-dated. */
export function EffectiveFields(props: {
  draft: Draft;
  onChange: (change: Pick<Draft, 'timing' | 'date'>) => void;
  invalidDate: boolean;
  readOnly: boolean;
}) {
  const { t } = useTranslation();
  const utcDate = useUtcDate();
  const { timing, date } = props.draft;
  return (
    <>
      <RadioGroup
        layout="horizontal"
        value={timing}
        disabled={props.readOnly}
        onChange={(_, data) => props.onChange({ timing: data.value as Draft['timing'], date })}
        aria-label={t('priceList.effectiveTitle')}
        data-testid="effective-timing"
      >
        <Radio value="now" label={t('priceList.atOnce')} data-testid="effective-now" />
        <Radio value="date" label={t('priceList.fromDate')} data-testid="effective-date" />
      </RadioGroup>
      {timing === 'date' && (
        <DateField
          label={t('priceList.effectiveDate')}
          value={date}
          onChange={(value) => props.onChange({ timing, date: value })}
          fromYear={new Date().getUTCFullYear()}
          hint={t('priceList.dateHint', { date: utcDate(`${date}T00:00:00Z`) })}
          validationMessage={props.invalidDate ? t('priceList.pastDate') : undefined}
          disabled={props.readOnly}
          testId="effective-date-field"
        />
      )}
    </>
  );
}
