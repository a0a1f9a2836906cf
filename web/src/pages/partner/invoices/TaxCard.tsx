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
  Input,
  makeStyles,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { Edit16Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TaxSettings } from '../../../api.ts';
import { useInvoiceFormat } from '../../../components/invoices/useInvoiceFormat.ts';
import { InvoiceActionError } from './InvoiceActionError.tsx';
import { useCustomerTax, useSetCustomerTax } from './useInvoiceActions.ts';

const useStyles = makeStyles({
  card: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXXS,
    flex: '0 0 300px',
    boxSizing: 'border-box',
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    backgroundColor: tokens.colorNeutralBackground1,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  row: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalS,
  },
  label: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  value: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400 },
  hint: { color: tokens.colorNeutralForeground3 },
  fields: { display: 'grid', gridTemplateColumns: '1fr 140px', gap: tokens.spacingHorizontalM },
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

// The server's own pattern (TaxSettings in invoice-schemas.ts): a percent below 100, four decimals.
const ratePattern = /^\d{1,2}(\.\d{1,4})?$/;

/** The tax printed on the customer's future invoices ("PPN 11%"), and its editor for Admin agents. */
export function TaxCard({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const f = useInvoiceFormat();
  const tax = useCustomerTax(customerId, true);
  return (
    <div className={styles.card} data-testid="invoice-tax-card">
      <Text className={styles.label}>{t('invoices.tax.title')}</Text>
      <div className={styles.row}>
        <Text className={styles.value} data-testid="invoice-tax-value">
          {tax.data ? f.taxLine(tax.data) : tax.isError ? tax.error.message : '…'}
        </Text>
        {tax.data && <TaxDialog customerId={customerId} current={tax.data} />}
      </div>
      <Text size={200} className={styles.hint}>
        {t('invoices.tax.applies')}
      </Text>
    </div>
  );
}

function TaxDialog({ customerId, current }: { customerId: string; current: TaxSettings }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(current.taxName);
  const [rate, setRate] = useState(current.taxRate);
  const save = useSetCustomerTax(customerId);
  // People type "11,5" in Indonesian; the API takes a dot.
  const normalizedRate = rate.trim().replace(',', '.');
  const rateOk = ratePattern.test(normalizedRate);
  const nameOk = name.trim().length >= 1 && name.trim().length <= 40;
  const start = (next: boolean) => {
    if (next) {
      setName(current.taxName);
      setRate(current.taxRate);
      save.reset();
    }
    setOpen(next);
  };

  return (
    <Dialog open={open} onOpenChange={(_, data) => start(data.open)}>
      <DialogTrigger disableButtonEnhancement>
        <Button size="small" appearance="subtle" icon={<Edit16Regular />} data-testid="invoice-tax-edit">
          {t('invoices.tax.edit')}
        </Button>
      </DialogTrigger>
      <DialogSurface data-testid="invoice-tax-dialog">
        <DialogBody>
          <DialogTitle>{t('invoices.tax.title')}</DialogTitle>
          <DialogContent className={styles.content}>
            <Text>{t('invoices.tax.applies')}</Text>
            <div className={styles.fields}>
              <Field
                label={t('invoices.tax.name')}
                hint={t('invoices.tax.nameHint')}
                validationMessage={nameOk ? undefined : t('invoices.tax.invalidName')}
              >
                <Input
                  value={name}
                  maxLength={40}
                  onChange={(_, data) => setName(data.value)}
                  data-testid="invoice-tax-name"
                />
              </Field>
              <Field
                label={t('invoices.tax.rate')}
                hint={t('invoices.tax.rateHint')}
                validationMessage={rateOk ? undefined : t('invoices.tax.invalidRate')}
              >
                <Input
                  value={rate}
                  inputMode="decimal"
                  contentAfter="%"
                  onChange={(_, data) => setRate(data.value)}
                  data-testid="invoice-tax-rate"
                />
              </Field>
            </div>
            {save.error && <InvoiceActionError error={save.error} failedTitle={t('invoices.tax.failed')} />}
          </DialogContent>
          <DialogActions>
            <Button onClick={() => start(false)} disabled={save.isPending}>
              {t('invoices.cancel')}
            </Button>
            <Button
              appearance="primary"
              disabled={!rateOk || !nameOk || save.isPending}
              icon={save.isPending ? <Spinner size="tiny" /> : undefined}
              onClick={() =>
                save.mutate(
                  { taxName: name.trim(), taxRate: normalizedRate },
                  { onSuccess: () => setOpen(false) },
                )
              }
              data-testid="invoice-tax-save"
            >
              {t('invoices.tax.save')}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
