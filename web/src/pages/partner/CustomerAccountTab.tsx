import { Card, CardHeader, makeStyles, Text, tokens } from '@fluentui/react-components';
import { Building20Regular, ContactCard20Regular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import type { CustomerDetail } from '../../api.ts';
import { DetailList } from '../../components/DetailList.tsx';
import { useFormat } from '../../format.ts';
import { CostManagement } from './cost-management/CostManagement.tsx';
import { Guardrails } from './guardrails/Guardrails.tsx';
import { useBillingProfileEdit } from './jobs/BillingProfileEdit.tsx';
import { CustomerUsers } from './jobs/CustomerUsers.tsx';
import { CustomerPermissions } from './permissions/CustomerPermissions.tsx';

const useStyles = makeStyles({
  grid: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(360px, 1fr))',
    gap: tokens.spacingHorizontalL,
    alignItems: 'start',
  },
  card: { padding: tokens.spacingHorizontalL, gap: tokens.spacingVerticalM },
  cardTitle: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400 },
  icon: { color: tokens.colorBrandForeground1, fontSize: '20px' },
  subheading: {
    fontWeight: tokens.fontWeightSemibold,
    color: tokens.colorNeutralForeground2,
    marginTop: tokens.spacingVerticalS,
  },
  address: { whiteSpace: 'pre-line' },
});

export function CustomerAccountTab({ customer }: { customer: CustomerDetail }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const format = useFormat();
  const edit = useBillingProfileEdit(customer.id);
  const none = t('common.none');
  const { contact, address } = customer;
  const contactName = [contact.firstName, contact.lastName].filter(Boolean).join(' ') || none;
  const addressText =
    [
      address.line1,
      [address.postalCode, address.city].filter(Boolean).join(' '),
      address.state,
      format.country(address.country),
    ]
      .filter((line) => line && line !== none)
      .join('\n') || none;

  return (
    <div data-testid="customer-account">
      <div className={styles.grid}>
        <Card className={styles.card} data-testid="company-profile">
          <CardHeader
            image={<Building20Regular className={styles.icon} />}
            header={<Text className={styles.cardTitle}>{t('customer.companyProfile')}</Text>}
          />
          <DetailList
            items={[
              { label: t('customers.companyName'), value: customer.companyName },
              { label: t('customers.domain'), value: customer.domain },
              {
                label: t('customer.tenantId'),
                value: (
                  <Text font="monospace" size={200}>
                    {customer.id}
                  </Text>
                ),
              },
              { label: t('customers.country'), value: format.country(customer.country) },
              {
                label: t('customer.relationship'),
                value: format.label('customer.relationshipValues', customer.relationship),
              },
              { label: t('customer.customerSince'), value: format.date(customer.createdAt) },
            ]}
          />
        </Card>
        <Card className={styles.card} data-testid="billing-profile">
          <CardHeader
            image={<ContactCard20Regular className={styles.icon} />}
            header={<Text className={styles.cardTitle}>{t('customer.billingProfile')}</Text>}
            action={edit.action}
          />
          {edit.notice}
          <DetailList
            items={[
              { label: t('customer.billingCurrency'), value: customer.currency },
              { label: t('customer.language'), value: format.language(customer.language) },
              { label: t('customer.culture'), value: format.language(customer.culture) },
            ]}
          />
          <Text className={styles.subheading}>{t('customer.primaryContact')}</Text>
          <DetailList
            items={[
              { label: t('customer.name'), value: contactName },
              { label: t('customer.email'), value: customer.email || none },
              { label: t('customer.phone'), value: contact.phone || none },
            ]}
          />
          <Text className={styles.subheading}>{t('customer.billingAddress')}</Text>
          <Text className={styles.address} data-testid="billing-address">
            {addressText}
          </Text>
          {edit.readOnly}
        </Card>
      </div>
      <CustomerPermissions customer={customer} />
      <CostManagement customer={customer} />
      <Guardrails customer={customer} />
      <CustomerUsers customer={customer} />
      {edit.dialog}
    </div>
  );
}
