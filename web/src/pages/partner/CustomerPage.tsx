import {
  Breadcrumb,
  BreadcrumbButton,
  BreadcrumbDivider,
  BreadcrumbItem,
  makeStyles,
  Tab,
  TabList,
  tokens,
} from '@fluentui/react-components';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorBar, Loading } from '../../components/QueryState.tsx';
import { useFormat } from '../../format.ts';
import { type CustomerTab, customerTabs, paths, useRouter } from '../../router.tsx';
import { isAdminAgent, useMe } from '../../session.ts';
import { CustomerAccountTab } from './CustomerAccountTab.tsx';
import { CustomerOrdersTab } from './CustomerOrdersTab.tsx';
import { CustomerPricesTab } from './CustomerPricesTab.tsx';
import { CustomerSubscriptionsTab } from './CustomerSubscriptionsTab.tsx';
import { CustomerBillingTab } from './commitments/CustomerBillingTab.tsx';
import { CustomerCommitmentsTab } from './commitments/CustomerCommitmentsTab.tsx';
import { CustomerCostsTab } from './costs/CustomerCostsTab.tsx';
import { FocusExportButton } from './FocusExportButton.tsx';
import { CustomerInvoicesTab } from './invoices/CustomerInvoicesTab.tsx';
import { buySegment } from './jobs/links.ts';
import { PartnerBuyPage } from './jobs/PartnerBuyPage.tsx';

const useStyles = makeStyles({
  tabs: {
    marginBottom: tokens.spacingVerticalL,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
});

const adminOnlyTabs: CustomerTab[] = ['billing', 'costs', 'invoices'];

export const customerKey = (id: string) => ['customers', 'detail', id] as const;

export function CustomerPage(props: { customerId: string; tab: CustomerTab; itemId?: string }) {
  const { customerId, tab } = props;
  const { t } = useTranslation();
  const styles = useStyles();
  const format = useFormat();
  const { navigate } = useRouter();
  const me = useMe().data;
  // Billing is the partner's own cost and Invoices what the customer is charged: Admin agents only,
  // so the tabs are not even shown to others.
  const tabs = customerTabs.filter((value) => !adminOnlyTabs.includes(value) || (me && isAdminAgent(me)));
  // The Invoices tab's label lives with the other invoice strings.
  const tabLabel = (value: CustomerTab) =>
    value === 'invoices'
      ? t('invoices.title')
      : value === 'prices'
        ? t('priceList.tab')
        : t(`customer.${value}`);
  const customer = useQuery({ queryKey: customerKey(customerId), queryFn: () => api.customer(customerId) });

  const breadcrumb = (
    <Breadcrumb size="small" aria-label={t('nav.customers')}>
      <BreadcrumbItem>
        <BreadcrumbButton
          href={paths.customers}
          onClick={(event) => {
            event.preventDefault();
            navigate(paths.customers);
          }}
          data-testid="breadcrumb-customers"
        >
          {t('nav.customers')}
        </BreadcrumbButton>
      </BreadcrumbItem>
      <BreadcrumbDivider />
      <BreadcrumbItem>
        <BreadcrumbButton current>{customer.data?.companyName ?? '…'}</BreadcrumbButton>
      </BreadcrumbItem>
    </Breadcrumb>
  );

  if (customer.isPending) return <Loading />;
  if (customer.isError) {
    return (
      <>
        <PageHeader above={breadcrumb} title={t('nav.customers')} />
        <ErrorBar
          error={isApiError(customer.error, 404) ? new Error(t('customer.notFound')) : customer.error}
          onRetry={isApiError(customer.error, 404) ? undefined : () => void customer.refetch()}
        />
      </>
    );
  }

  const detail = customer.data;
  // `…/reservations/buy` is the partner's buy page (R20), not the drawer of a reservation "buy".
  const buying = props.itemId === buySegment && (tab === 'reservations' || tab === 'savings-plans');
  const itemId = buying ? undefined : props.itemId;
  return (
    <>
      <PageHeader
        above={breadcrumb}
        title={<span data-testid="customer-name">{detail.companyName}</span>}
        description={`${detail.domain} · ${format.country(detail.country)} · ${detail.currency}`}
        actions={<FocusExportButton customerId={customerId} company={detail.companyName} />}
      />
      <TabList
        className={styles.tabs}
        selectedValue={tab}
        onTabSelect={(_, data) => navigate(paths.customer(customerId, data.value as CustomerTab))}
        aria-label={t('customer.tabs')}
        data-testid="customer-tabs"
      >
        {tabs.map((value) => (
          <Tab key={value} value={value} data-testid={`tab-${value}`}>
            {tabLabel(value)}
          </Tab>
        ))}
      </TabList>
      {tab === 'account' && <CustomerAccountTab customer={detail} />}
      {tab === 'subscriptions' && (
        <CustomerSubscriptionsTab customerId={customerId} company={detail.companyName} />
      )}
      {tab === 'orders' && (
        <CustomerOrdersTab key={props.itemId ?? ''} customerId={customerId} orderId={props.itemId} />
      )}
      {buying && (
        <PartnerBuyPage
          key={tab}
          customer={detail}
          kind={tab === 'reservations' ? 'reservation' : 'savings_plan'}
        />
      )}
      {tab === 'reservations' && !buying && (
        <CustomerCommitmentsTab customer={detail} kind="reservation" itemId={itemId} />
      )}
      {tab === 'savings-plans' && !buying && (
        <CustomerCommitmentsTab customer={detail} kind="savings_plan" itemId={itemId} />
      )}
      {tab === 'prices' && <CustomerPricesTab customer={detail} />}
      {tab === 'billing' && <CustomerBillingTab customer={detail} />}
      {tab === 'costs' && <CustomerCostsTab customer={detail} />}
      {tab === 'invoices' && <CustomerInvoicesTab customer={detail} invoiceId={props.itemId} />}
    </>
  );
}
