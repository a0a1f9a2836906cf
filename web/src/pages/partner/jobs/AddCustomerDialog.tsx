import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Dropdown,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  Option,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { Dismiss24Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../../format.ts';
import { paths, useRouter } from '../../../router.tsx';
import {
  type BillingDraft,
  BillingProfileForm,
  billingDraftComplete,
  emptyBillingDraft,
  FieldRow,
  FormSection,
} from './BillingProfileForm.tsx';
import { InitialPassword } from './InitialPassword.tsx';
import { errorField, fieldMessage, JobError } from './JobError.tsx';
import { useCreateCustomer } from './usePartnerJobs.ts';

const useStyles = makeStyles({
  surface: { maxWidth: '760px', width: 'calc(100vw - 48px)' },
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  muted: { color: tokens.colorNeutralForeground3 },
});

/** Markets offered first; any other ISO code can be typed by scripts through the API. */
const markets = [
  'ID',
  'SG',
  'MY',
  'TH',
  'PH',
  'VN',
  'AU',
  'NZ',
  'JP',
  'KR',
  'IN',
  'US',
  'CA',
  'GB',
  'DE',
  'FR',
  'NL',
  'BR',
];
const currencies = ['USD', 'IDR', 'SGD', 'MYR', 'AUD', 'EUR', 'GBP', 'JPY'];
/** The language and culture a customer in this market most likely reads. */
const localeOfMarket = (country: string) =>
  country === 'ID'
    ? { language: 'id', culture: 'id-ID' }
    : { language: 'en', culture: { GB: 'en-GB', AU: 'en-AU', SG: 'en-SG' }[country] ?? 'en-US' };

/** "Add customer" (R20): the customer's tenant, billing profile and first user, in one step. */
export function AddCustomerDialog(props: { onClose: () => void }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const format = useFormat();
  const { navigate } = useRouter();
  const create = useCreateCustomer();
  const [domain, setDomain] = useState('');
  const [country, setCountry] = useState('ID');
  const [currency, setCurrency] = useState('USD');
  const [billing, setBilling] = useState<BillingDraft>({ ...emptyBillingDraft, ...localeOfMarket('ID') });
  const [user, setUser] = useState({ email: '', displayName: '' });
  const [userEmailTouched, setUserEmailTouched] = useState(false);
  const error = create.error;
  const bad = errorField(error);
  const busy = create.isPending;
  const created = create.data;
  const suggestedEmail = domain.trim() ? `admin@${domain.trim().toLowerCase()}` : '';
  const userEmail = userEmailTouched ? user.email : suggestedEmail;
  const complete =
    domain.trim() !== '' &&
    billingDraftComplete(billing) &&
    userEmail.trim() !== '' &&
    user.displayName.trim() !== '';
  const countryName = (code: string) => `${format.country(code)} (${code})`;
  const fieldState = (field: string) => ({
    validationState: bad === field ? ('error' as const) : ('none' as const),
    validationMessage: bad === field ? fieldMessage(t, error) : undefined,
  });

  const submit = () => {
    if (!complete || busy) return;
    create.mutate({
      ...billing,
      domain: domain.trim(),
      country,
      currency,
      user: { email: userEmail.trim(), displayName: user.displayName.trim() },
    });
  };

  const close = (
    <Button
      appearance="subtle"
      aria-label={t('access.close')}
      icon={<Dismiss24Regular />}
      onClick={props.onClose}
    />
  );

  if (created) {
    return (
      <Dialog open onOpenChange={(_, data) => !data.open && props.onClose()} modalType="alert">
        <DialogSurface className={styles.surface} data-testid="add-customer-done">
          <DialogBody>
            <DialogTitle>
              {t('partnerJobs.addCustomer.done', { company: created.customer.companyName })}
            </DialogTitle>
            <DialogContent className={styles.content}>
              <Text>{t('partnerJobs.addCustomer.doneBody', { company: created.customer.companyName })}</Text>
              <InitialPassword user={created.user} />
            </DialogContent>
            <DialogActions>
              <Button
                appearance="primary"
                onClick={() => navigate(paths.customer(created.customer.id))}
                data-testid="add-customer-open"
              >
                {t('partnerJobs.addCustomer.open', { company: created.customer.companyName })}
              </Button>
              <Button onClick={props.onClose} data-testid="add-customer-close">
                {t('access.close')}
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    );
  }

  return (
    <Dialog open onOpenChange={(_, data) => !data.open && !busy && props.onClose()} modalType="modal">
      <DialogSurface className={styles.surface} data-testid="add-customer-dialog">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            submit();
          }}
        >
          <DialogBody>
            <DialogTitle action={close}>{t('partnerJobs.addCustomer.title')}</DialogTitle>
            <DialogContent className={styles.content}>
              <Text className={styles.muted}>{t('partnerJobs.addCustomer.intro')}</Text>
              <FormSection title={t('partnerJobs.addCustomer.company')}>
                <FieldRow>
                  <Field
                    label={t('partnerJobs.profile.fields.companyName')}
                    required
                    {...fieldState('companyName')}
                  >
                    <Input
                      value={billing.companyName}
                      disabled={busy}
                      onChange={(_, data) => setBilling({ ...billing, companyName: data.value })}
                      data-testid="profile-companyName"
                    />
                  </Field>
                  <Field
                    label={t('partnerJobs.addCustomer.domain')}
                    hint={t('partnerJobs.addCustomer.domainHint')}
                    required
                    {...fieldState('domain')}
                  >
                    <Input
                      value={domain}
                      disabled={busy}
                      placeholder="fabrikam.onmicrosoft.com"
                      onChange={(_, data) => setDomain(data.value)}
                      data-testid="customer-domain"
                    />
                  </Field>
                </FieldRow>
                <FieldRow>
                  <Field
                    label={t('partnerJobs.addCustomer.country')}
                    hint={t('partnerJobs.addCustomer.countryHint')}
                    required
                  >
                    <Dropdown
                      value={countryName(country)}
                      selectedOptions={[country]}
                      disabled={busy}
                      onOptionSelect={(_, data) => {
                        const next = data.optionValue ?? country;
                        setCountry(next);
                        setBilling({ ...billing, ...localeOfMarket(next) });
                      }}
                      data-testid="customer-country"
                    >
                      {[...markets]
                        .sort((a, b) => format.country(a).localeCompare(format.country(b), format.locale))
                        .map((code) => (
                          <Option key={code} value={code} text={countryName(code)}>
                            {countryName(code)}
                          </Option>
                        ))}
                    </Dropdown>
                  </Field>
                  <Field
                    label={t('partnerJobs.addCustomer.currency')}
                    hint={t('partnerJobs.addCustomer.currencyHint')}
                    required
                  >
                    <Dropdown
                      value={currency}
                      selectedOptions={[currency]}
                      disabled={busy}
                      onOptionSelect={(_, data) => setCurrency(data.optionValue ?? currency)}
                      data-testid="customer-currency"
                    >
                      {currencies.map((code) => (
                        <Option key={code} value={code}>
                          {code}
                        </Option>
                      ))}
                    </Dropdown>
                  </Field>
                </FieldRow>
              </FormSection>
              <BillingProfileForm
                value={billing}
                onChange={setBilling}
                error={error}
                disabled={busy}
                hideCompanyName
              />
              <FormSection title={t('partnerJobs.addCustomer.firstUser')}>
                <Text size={200} className={styles.muted}>
                  {t('partnerJobs.addCustomer.firstUserHint')}
                </Text>
                <FieldRow>
                  <Field
                    label={t('partnerJobs.users.displayName')}
                    required
                    {...fieldState('user.displayName')}
                  >
                    <Input
                      value={user.displayName}
                      disabled={busy}
                      onChange={(_, data) => setUser({ ...user, displayName: data.value })}
                      data-testid="user-displayName"
                    />
                  </Field>
                  <Field label={t('partnerJobs.users.signInEmail')} required {...fieldState('user.email')}>
                    <Input
                      type="email"
                      value={userEmail}
                      disabled={busy}
                      onChange={(_, data) => {
                        setUserEmailTouched(true);
                        setUser({ ...user, email: data.value });
                      }}
                      data-testid="user-email"
                    />
                  </Field>
                </FieldRow>
              </FormSection>
              {error && <JobError error={error} failedTitle={t('partnerJobs.addCustomer.failed')} />}
              {!error && (
                <MessageBar intent="info" layout="multiline">
                  <MessageBarBody>
                    <MessageBarTitle>{t('partnerJobs.addCustomer.nextTitle')}</MessageBarTitle>
                    {t('partnerJobs.addCustomer.next')}
                  </MessageBarBody>
                </MessageBar>
              )}
            </DialogContent>
            <DialogActions>
              <Button
                type="submit"
                appearance="primary"
                disabled={!complete || busy}
                icon={busy ? <Spinner size="tiny" /> : undefined}
                data-testid="add-customer-submit"
              >
                {busy ? t('partnerJobs.addCustomer.creating') : t('partnerJobs.addCustomer.create')}
              </Button>
              <Button onClick={props.onClose} disabled={busy}>
                {t('permissions.cancel')}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
