import { makeStyles, Spinner } from '@fluentui/react-components';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me } from './api.ts';
import { CustomerShell } from './components/CustomerShell.tsx';
import { PartnerShell } from './components/PartnerShell.tsx';
import { ErrorBar } from './components/QueryState.tsx';
import { MySubscriptionsPage } from './pages/customer/MySubscriptionsPage.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { ActivityLogPage } from './pages/partner/ActivityLogPage.tsx';
import { CustomerPage } from './pages/partner/CustomerPage.tsx';
import { CustomersPage } from './pages/partner/CustomersPage.tsx';
import { PricesPage } from './pages/partner/PricesPage.tsx';
import { matchRoute, paths, type Route, useRouter } from './router.tsx';
import { homeOf, useMe } from './session.ts';

const useStyles = makeStyles({
  center: { height: '100vh', display: 'grid', placeItems: 'center', padding: '24px' },
});

const partnerRoutes: Route['name'][] = ['customers', 'customer', 'activity', 'prices'];

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
  if (me.kind === 'partner' && route.name === 'mySubscriptions') return homeOf(me);
  return null;
}

const titleKey: Partial<Record<Route['name'], string>> = {
  login: 'login.title',
  customers: 'nav.customers',
  customer: 'nav.customers',
  activity: 'nav.activity',
  prices: 'nav.prices',
  mySubscriptions: 'nav.subscriptions',
  notFound: 'notFound.title',
};

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
    const key = titleKey[route.name];
    const product = me.data?.kind === 'customer' ? t('app.customerPortal') : t('app.partnerCenter');
    document.title = key ? `${t(key)} · ${product}` : product;
  }, [route.name, me.data?.kind, t]);

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
    return (
      <CustomerShell me={user}>
        {route.name === 'mySubscriptions' ? (
          <MySubscriptionsPage me={user} />
        ) : (
          <NotFoundPage home={homeOf(user)} />
        )}
      </CustomerShell>
    );
  }

  const selectedNav = route.name === 'activity' || route.name === 'prices' ? route.name : 'customers';
  return (
    <PartnerShell me={user} selectedNav={selectedNav}>
      {route.name === 'customers' && <CustomersPage />}
      {route.name === 'customer' && (
        <CustomerPage key={route.customerId} customerId={route.customerId} tab={route.tab} />
      )}
      {route.name === 'activity' && <ActivityLogPage />}
      {route.name === 'prices' && <PricesPage me={user} />}
      {route.name === 'notFound' && <NotFoundPage home={homeOf(user)} />}
    </PartnerShell>
  );
}
