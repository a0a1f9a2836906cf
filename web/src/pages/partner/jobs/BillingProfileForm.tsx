import { Dropdown, Field, Input, makeStyles, Option, Text, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError, BillingProfileFields } from '../../../api.ts';
import { useFormat } from '../../../format.ts';
import { errorField, fieldMessage } from './JobError.tsx';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  heading: {
    fontWeight: tokens.fontWeightSemibold,
    paddingTop: tokens.spacingVerticalS,
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  row: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(200px, 1fr))',
    gap: tokens.spacingHorizontalM,
    alignItems: 'start',
  },
});

export type BillingDraft = BillingProfileFields;

export const emptyBillingDraft: BillingDraft = {
  companyName: '',
  email: '',
  firstName: '',
  lastName: '',
  addressLine1: '',
  city: '',
  state: '',
  postalCode: '',
  phone: '',
  culture: 'en-US',
  language: 'en',
};

export const languages = ['en', 'id'];
export const cultures = ['en-US', 'en-GB', 'en-AU', 'en-SG', 'id-ID'];

/** The fields that must not be empty (as the server requires). */
const required: (keyof BillingDraft)[] = [
  'companyName',
  'email',
  'firstName',
  'lastName',
  'addressLine1',
  'city',
  'postalCode',
];
export const billingDraftComplete = (d: BillingDraft) => required.every((k) => d[k].trim() !== '');

export function FormSection(props: { title: string; children: ReactNode }) {
  const styles = useStyles();
  return (
    <section className={styles.section}>
      <Text as="h3" className={styles.heading}>
        {props.title}
      </Text>
      {props.children}
    </section>
  );
}

export function FieldRow({ children }: { children: ReactNode }) {
  return <div className={useStyles().row}>{children}</div>;
}

/**
 * The billing profile as partner center has it (company name, contact, address, language and
 * culture), for "Add customer" and "Edit billing profile" alike. The server's refusal for a field
 * is shown on that field.
 */
export function BillingProfileForm(props: {
  value: BillingDraft;
  onChange: (next: BillingDraft) => void;
  error: ApiError | null;
  disabled?: boolean;
  /** Rendered above the contact: the company block of "Add customer" holds the name itself. */
  hideCompanyName?: boolean;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const { value, disabled } = props;
  const bad = errorField(props.error);
  const text = (
    field: keyof BillingDraft,
    label: string,
    options: { required?: boolean; type?: string } = {},
  ) => (
    <Field
      label={label}
      required={options.required}
      validationState={bad === field ? 'error' : 'none'}
      validationMessage={bad === field ? fieldMessage(t, props.error) : undefined}
    >
      <Input
        value={value[field]}
        type={options.type as 'text' | 'email' | 'tel' | undefined}
        disabled={disabled}
        onChange={(_, data) => props.onChange({ ...value, [field]: data.value })}
        data-testid={`profile-${field}`}
      />
    </Field>
  );
  const choice = (field: 'language' | 'culture', label: string, options: string[]) => {
    const all = options.includes(value[field]) ? options : [value[field], ...options];
    return (
      <Field label={label} required validationState={bad === field ? 'error' : 'none'}>
        <Dropdown
          value={`${format.language(value[field])} (${value[field]})`}
          selectedOptions={[value[field]]}
          disabled={disabled}
          onOptionSelect={(_, data) =>
            data.optionValue && props.onChange({ ...value, [field]: data.optionValue })
          }
          data-testid={`profile-${field}`}
        >
          {all.map((code) => (
            <Option key={code} value={code} text={`${format.language(code)} (${code})`}>
              {`${format.language(code)} (${code})`}
            </Option>
          ))}
        </Dropdown>
      </Field>
    );
  };
  const f = (key: string) => t(`partnerJobs.profile.fields.${key}`);
  return (
    <>
      {!props.hideCompanyName && text('companyName', f('companyName'), { required: true })}
      <FormSection title={t('partnerJobs.profile.contact')}>
        <FieldRow>
          {text('firstName', f('firstName'), { required: true })}
          {text('lastName', f('lastName'), { required: true })}
        </FieldRow>
        <FieldRow>
          {text('email', f('email'), { required: true, type: 'email' })}
          {text('phone', f('phone'), { type: 'tel' })}
        </FieldRow>
      </FormSection>
      <FormSection title={t('partnerJobs.profile.address')}>
        {text('addressLine1', f('addressLine1'), { required: true })}
        <FieldRow>
          {text('city', f('city'), { required: true })}
          {text('state', f('state'))}
          {text('postalCode', f('postalCode'), { required: true })}
        </FieldRow>
      </FormSection>
      <FormSection title={t('partnerJobs.profile.languageSection')}>
        <FieldRow>
          {choice('language', f('language'), languages)}
          {choice('culture', f('culture'), cultures)}
        </FieldRow>
      </FormSection>
    </>
  );
}
