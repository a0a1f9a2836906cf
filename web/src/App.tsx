import { makeStyles, Spinner } from '@fluentui/react-components';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me } from './api.ts';
import { CustomerShell } from './components/CustomerShell.tsx';
import { PartnerShell } from './components/PartnerShell.tsx';
import { ErrorBar } from './components/QueryState.tsx';
import { BuyReservationPage } from './pages/customer/commitments/BuyReservationPage.tsx';
import { BuySavingsPlanPage } from './pages/customer/commitments/BuySavingsPlanPage.tsx';
import { MyCommitmentPage } from './pages/customer/commitments/MyCommitmentPage.tsx';
import { MyCommitmentsPage } from './pages/customer/commitments/MyCommitmentsPage.tsx';
import { CostAnalysisPage } from './pages/customer/costs/CostAnalysisPage.tsx';
import { MyInvoicesPage } from './pages/customer/MyInvoicesPage.tsx';
import { MySubscriptionsPage } from './pages/customer/MySubscriptionsPage.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { ActivityLogPage } from './pages/partner/ActivityLogPage.tsx';
import { ApprovalsPage } from './pages/partner/approvals/ApprovalsPage.tsx';
import { CustomerPage } from './pages/partner/CustomerPage.tsx';
import { CustomersPage } from './pages/partner/CustomersPage.tsx';
import { PartnerCostsPage } from './pages/partner/costs/PartnerCostsPage.tsx';
import { NotificationPreferencesPage } from './pages/partner/notifications/NotificationPreferencesPage.tsx';
import { NotificationsPage } from './pages/partner/notifications/NotificationsPage.tsx';
import { PricesPage } from './pages/partner/PricesPage.tsx';
import { WebhooksPage } from './pages/partner/webhooks/WebhooksPage.tsx';
import { matchRoute, paths, type Route, useRouter } from './router.tsx';
import { homeOf, useMe } from './session.ts';

const useStyles = makeStyles({
  center: { height: '100vh', display: 'grid', placeItems: 'center', padding: '24px' },
});

const partnerRoutes: Route['name'][] = [
  'customers',
  'customer',
  'activity',
  'prices',
  'costs',
  'notifications',
  'notificationPreferences',
  'approvals',
  'webhooks',
];
const customerRoutes: Route['name'][] = [
  'mySubscriptions',
  'myCommitments',
  'buyCommitment',
  'myCommitment',
  'myInvoices',
  'myCosts',
];

/** Where the current route must send this visitor instead, if anywhere. */
function redirectFor(route: Route, path: string, me: Me | null | undefined): string | null {
  if (me === undefined) return null;
  if (me === null) {
    if (route.name === 'login') return null;
    const keep = route.name !== 'root' && route.name !== 'notFound';
    return keep ? `${paths.login}?next=${encodeURIComponent(path)}` : paths.login;
  }
  if (route.name === 'login' || route.name === 'root') return homeOf(me);
  if (me.kind === 'customer' && partnerRoutes.includes(route.name)) return homeOf(me);
  if (me.kind === 'partner' && customerRoutes.includes(route.name)) return homeOf(me);
  return null;
}

const titleKey: Partial<Record<Route['name'], string>> = {
  login: 'login.title',
  customers: 'nav.customers',
  customer: 'nav.customers',
  activity: 'nav.activity',
  prices: 'nav.prices',
  costs: 'nav.costs',
  notifications: 'notifications.title',
  notificationPreferences: 'notifications.prefsTitle',
  approvals: 'nav.approvals',
  webhooks: 'nav.webhooks',
  mySubscriptions: 'nav.subscriptions',
  myInvoices: 'invoices.title',
  myCosts: 'costAnalysis.title',
  notFound: 'notFound.title',
};

/** The page title of a customer-portal route about reservations or savings plans. */
function commitmentTitleKey(route: Route): string | null {
  if (route.name === 'myCommitments' || route.name === 'myCommitment')
    return route.kind === 'reservation' ? 'nav.reservations' : 'nav.savingsPlans';
  if (route.name === 'buyCommitment') return `myCommitments.${route.kind}.buy`;
  return null;
}

export function App() {
  const { t } = useTranslation();
  const styles = useStyles();
  const me = useMe();
  const { path, navigate } = useRouter();
  const route = matchRoute(path);
  const target = redirectFor(route, path, me.data);

  useEffect(() => {
    if (target) navigate(target, { replace: true });
  }, [target, navigate]);

  useEffect(() => {
    const key = commitmentTitleKey(route) ?? titleKey[route.name];
    const product = me.data?.kind === 'customer' ? t('app.customerPortal') : t('app.partnerCenter');
    document.title = key ? `${t(key)} · ${product}` : product;
  }, [route, me.data?.kind, t]);

  if (me.isPending) {
    return (
      <div className={styles.center}>
        <Spinner label={t('common.loading')} />
      </div>
    );
  }
  if (me.isError) {
    return (
      <div className={styles.center}>
        <ErrorBar error={me.error} onRetry={() => void me.refetch()} />
      </div>
    );
  }
  if (target) return null;
  const user = me.data;
  if (!user) return <LoginPage />;

  if (user.kind === 'customer') {
    return <CustomerPortal me={user} route={route} />;
  }

  const selectedNav =
    route.name === 'activity' ||
    route.name === 'prices' ||
    route.name === 'costs' ||
    route.name === 'approvals' ||
    route.name === 'webhooks'
      ? route.name
      : route.name === 'notificationPreferences'
        ? 'notifications'
        : 'customers';
  return (
    <PartnerShell me={user} selectedNav={selectedNav}>
      {route.name === 'customers' && <CustomersPage />}
      {route.name === 'customer' && (
        <CustomerPage
          key={route.customerId}
          customerId={route.customerId}
          tab={route.tab}
          itemId={route.itemId}
        />
      )}
      {route.name === 'activity' && <ActivityLogPage />}
      {route.name === 'prices' && <PricesPage me={user} />}
      {route.name === 'costs' && <PartnerCostsPage />}
      {route.name === 'notifications' && <NotificationsPage />}
      {route.name === 'notificationPreferences' && <NotificationPreferencesPage me={user} />}
      {route.name === 'approvals' && <ApprovalsPage />}
      {route.name === 'webhooks' && <WebhooksPage me={user} />}
      {route.name === 'notFound' && <NotFoundPage home={homeOf(user)} />}
    </PartnerShell>
  );
}

function CustomerPortal({ me, route }: { me: Me; route: Route }) {
  const selected =
    route.name === 'myCommitments' || route.name === 'buyCommitment' || route.name === 'myCommitment'
      ? route.kind === 'reservation'
        ? 'reservations'
        : 'savingsPlans'
      : route.name === 'myInvoices'
        ? 'invoices'
        : route.name === 'myCosts'
          ? 'costs'
          : 'subscriptions';
  return (
    <CustomerShell me={me} selectedNav={selected}>
      {route.name === 'mySubscriptions' && <MySubscriptionsPage me={me} />}
      {route.name === 'myCommitments' && <MyCommitmentsPage key={route.kind} kind={route.kind} me={me} />}
      {route.name === 'buyCommitment' && route.kind === 'reservation' && <BuyReservationPage />}
      {route.name === 'buyCommitment' && route.kind === 'savings_plan' && <BuySavingsPlanPage />}
      {route.name === 'myCommitment' && (
        <MyCommitmentPage key={`${route.kind}/${route.id}`} kind={route.kind} id={route.id} />
      )}
      {route.name === 'myInvoices' && <MyInvoicesPage me={me} invoiceId={route.invoiceId} />}
      {route.name === 'myCosts' && <CostAnalysisPage me={me} />}
      {!customerRoutes.includes(route.name) && <NotFoundPage home={homeOf(me)} />}
    </CustomerShell>
  );
}
