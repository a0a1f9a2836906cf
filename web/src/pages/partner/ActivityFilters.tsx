import { Dropdown, Field, Input, makeStyles, Option, tokens } from '@fluentui/react-components';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { activityRetentionDays, utcDay } from '../../dates.ts';
import { useFormat } from '../../format.ts';

/** The operation types of the activity log (docs/api-mitra.md, plus the two the server also records). */
export const operationTypes = [
  'add_customer',
  'update_customer_billing_profile',
  'create_customer_user',
  'create_order',
  'update_order',
  'update_subscription',
  'register_application',
  'create_self_serve_policy',
  'update_self_serve_policy',
  'delete_self_serve_policy',
  'create_role_assignment',
  'delete_role_assignment',
  'update_reservation',
  'refund_reservation',
  'exchange_reservation',
];

export interface ActivityFilterValues {
  startDate: string; // yyyy-mm-dd, a UTC calendar day as the API reads it
  endDate: string;
  customerId: string; // '' = all
  operationType: string; // '' = all
}

const ALL = '__all__';

const useStyles = makeStyles({
  row: { display: 'flex', gap: tokens.spacingHorizontalM, flexWrap: 'wrap', alignItems: 'flex-end' },
  date: { width: '160px' },
  dropdown: { minWidth: '240px' },
});

export function ActivityFilters(props: {
  value: ActivityFilterValues;
  onChange: (value: ActivityFilterValues) => void;
  rangeError?: string;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const format = useFormat();
  const { value, onChange } = props;
  const customers = useQuery({
    queryKey: ['customers', 'options'],
    queryFn: () => api.customers({ size: 200 }),
    staleTime: 5 * 60_000,
  });
  const customerItems = customers.data?.items ?? [];
  const customerName = customerItems.find((c) => c.id === value.customerId)?.companyName;
  const set = (patch: Partial<ActivityFilterValues>) => onChange({ ...value, ...patch });

  return (
    <div className={styles.row} data-testid="activity-filters">
      <Field label={t('activity.startDate')} validationMessage={props.rangeError}>
        <Input
          type="date"
          className={styles.date}
          value={value.startDate}
          min={utcDay(activityRetentionDays)}
          max={value.endDate || undefined}
          onChange={(_, data) => set({ startDate: data.value })}
          data-testid="activity-start"
        />
      </Field>
      <Field label={t('activity.endDate')}>
        <Input
          type="date"
          className={styles.date}
          value={value.endDate}
          min={value.startDate || undefined}
          onChange={(_, data) => set({ endDate: data.value })}
          data-testid="activity-end"
        />
      </Field>
      <Field label={t('activity.customer')}>
        <Dropdown
          className={styles.dropdown}
          value={value.customerId ? (customerName ?? '…') : t('activity.allCustomers')}
          selectedOptions={[value.customerId || ALL]}
          onOptionSelect={(_, data) =>
            set({ customerId: data.optionValue === ALL ? '' : (data.optionValue ?? '') })
          }
          data-testid="activity-customer"
        >
          <Option value={ALL}>{t('activity.allCustomers')}</Option>
          {customerItems.map((customer) => (
            <Option key={customer.id} value={customer.id}>
              {customer.companyName}
            </Option>
          ))}
        </Dropdown>
      </Field>
      <Field label={t('activity.operationType')}>
        <Dropdown
          className={styles.dropdown}
          value={value.operationType ? format.operation(value.operationType) : t('activity.allOperations')}
          selectedOptions={[value.operationType || ALL]}
          onOptionSelect={(_, data) =>
            set({ operationType: data.optionValue === ALL ? '' : (data.optionValue ?? '') })
          }
          data-testid="activity-operation"
        >
          <Option value={ALL}>{t('activity.allOperations')}</Option>
          {operationTypes.map((type) => (
            <Option key={type} value={type}>
              {format.operation(type)}
            </Option>
          ))}
        </Dropdown>
      </Field>
    </div>
  );
}
