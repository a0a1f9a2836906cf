import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  Field,
  MessageBar,
  MessageBarBody,
  makeStyles,
  Radio,
  RadioGroup,
  Text,
  tokens,
} from '@fluentui/react-components';
import { ArrowDownload20Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DateField } from './DateField.tsx';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  hint: { color: tokens.colorNeutralForeground3 },
});

const DAY = 86_400_000;
const iso = (d: Date) => d.toISOString().slice(0, 10);
const nextDay = (day: string) => iso(new Date(Date.parse(`${day}T00:00:00Z`) + DAY));

/**
 * "Export FOCUS": a period (first and last day, as people count them; the API's `to` is the day
 * after) and a format, then a plain link the browser downloads with the session cookie — the
 * server streams the file, so a month of hourly rows never passes through the page.
 */
export function FocusExportDialog(props: {
  /** `/api/exports/focus` or `/api/my/exports/focus`. */
  endpoint: string;
  /** Extra query (customerId, subscriptionId). */
  query?: Record<string, string>;
  label: string;
  description: string;
  /** Shown instead of the form when the export is not open to the caller. */
  unavailable?: string | null;
  testId?: string;
  appearance?: 'primary' | 'secondary' | 'subtle';
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const today = new Date();
  const [first, setFirst] = useState(iso(new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1))));
  const [last, setLast] = useState(iso(today));
  const [format, setFormat] = useState<'csv' | 'parquet'>('csv');
  const backwards = last < first;
  const tooLong = Date.parse(last) - Date.parse(first) >= 366 * DAY;
  const params = new URLSearchParams({ ...props.query, from: first, to: nextDay(last), format });
  const href = `${props.endpoint}?${params}`;
  const testId = props.testId ?? 'focus-export';
  return (
    <Dialog>
      <DialogTrigger disableButtonEnhancement>
        <Button
          appearance={props.appearance ?? 'secondary'}
          icon={<ArrowDownload20Regular />}
          data-testid={testId}
        >
          {props.label}
        </Button>
      </DialogTrigger>
      <DialogSurface aria-describedby={undefined}>
        <DialogBody>
          <DialogTitle>{props.label}</DialogTitle>
          <DialogContent className={styles.content}>
            <Text className={styles.hint}>{props.description}</Text>
            {props.unavailable ? (
              <MessageBar intent="warning" data-testid={`${testId}-unavailable`}>
                <MessageBarBody>{props.unavailable}</MessageBarBody>
              </MessageBar>
            ) : (
              <>
                <DateField
                  label={t('focusExport.firstDay')}
                  value={first}
                  onChange={setFirst}
                  fromYear={today.getUTCFullYear() - 3}
                  years={4}
                  testId={`${testId}-first`}
                />
                <DateField
                  label={t('focusExport.lastDay')}
                  value={last}
                  onChange={setLast}
                  fromYear={today.getUTCFullYear() - 3}
                  years={4}
                  validationMessage={
                    backwards ? t('focusExport.backwards') : tooLong ? t('focusExport.tooLong') : undefined
                  }
                  testId={`${testId}-last`}
                />
                <Field label={t('focusExport.format')}>
                  <RadioGroup
                    value={format}
                    onChange={(_, data) => setFormat(data.value as 'csv' | 'parquet')}
                    layout="horizontal"
                  >
                    <Radio value="csv" label={t('focusExport.csv')} data-testid={`${testId}-csv`} />
                    <Radio
                      value="parquet"
                      label={t('focusExport.parquet')}
                      data-testid={`${testId}-parquet`}
                    />
                  </RadioGroup>
                </Field>
                <Text size={200} className={styles.hint}>
                  {t('focusExport.utc')}
                </Text>
              </>
            )}
          </DialogContent>
          <DialogActions>
            <DialogTrigger disableButtonEnhancement>
              <Button appearance="secondary">{t('focusExport.close')}</Button>
            </DialogTrigger>
            {!props.unavailable && (
              <Button
                as="a"
                appearance="primary"
                icon={<ArrowDownload20Regular />}
                href={backwards || tooLong ? undefined : href}
                disabled={backwards || tooLong}
                download
                data-testid={`${testId}-download`}
              >
                {t('focusExport.download')}
              </Button>
            )}
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
