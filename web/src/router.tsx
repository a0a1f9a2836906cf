import {
  createContext,
  type MouseEvent,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
} from 'react';

// A deliberately tiny History API router: the server answers index.html for every non-API path,
// so deep links work and the app only needs the pathname (and, for a few pages, the query string).

interface RouterValue {
  path: string;
  navigate: (to: string, options?: { replace?: boolean }) => void;
}

const RouterContext = createContext<RouterValue | null>(null);

export function RouterProvider({ children }: { children: ReactNode }) {
  const [path, setPath] = useState(() => window.location.pathname);

  useEffect(() => {
    const onPopState = () => setPath(window.location.pathname);
    window.addEventListener('popstate', onPopState);
    return () => window.removeEventListener('popstate', onPopState);
  }, []);

  const navigate = useCallback((to: string, options?: { replace?: boolean }) => {
    if (to === window.location.pathname + window.location.search) return;
    if (options?.replace) window.history.replaceState(null, '', to);
    else window.history.pushState(null, '', to);
    setPath(window.location.pathname);
    window.scrollTo(0, 0);
  }, []);

  const value = useMemo(() => ({ path, navigate }), [path, navigate]);
  return <RouterContext.Provider value={value}>{children}</RouterContext.Provider>;
}

export function useRouter(): RouterValue {
  const value = useContext(RouterContext);
  if (!value) throw new Error('useRouter must be used inside <RouterProvider>');
  return value;
}

/** onClick for an `<a href>`: client-side navigation unless the user asked for a new tab/window. */
export function useLinkHandler(href: string) {
  const { navigate } = useRouter();
  return useCallback(
    (event: MouseEvent<HTMLElement>) => {
      if (event.defaultPrevented || event.button !== 0) return;
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      navigate(href);
    },
    [href, navigate],
  );
}

export type CustomerTab =
  | 'account'
  | 'subscriptions'
  | 'orders'
  | 'reservations'
  | 'savings-plans'
  | 'prices'
  | 'billing'
  | 'costs'
  | 'invoices';
export type CommitmentKindSegment = 'reservations' | 'savings-plans';
type Kind = 'reservation' | 'savings_plan';

export type Route =
  | { name: 'root' }
  | { name: 'login' }
  | { name: 'customers' }
  | { name: 'customer'; customerId: string; tab: CustomerTab; itemId?: string }
  | { name: 'activity' }
  | { name: 'prices' }
  | { name: 'costs' }
  | { name: 'notifications' }
  | { name: 'notificationPreferences' }
  | { name: 'approvals' }
  | { name: 'webhooks' }
  | { name: 'mySubscriptions' }
  | { name: 'myCommitments'; kind: Kind }
  | { name: 'buyCommitment'; kind: Kind }
  | { name: 'myCommitment'; kind: Kind; id: string }
  | { name: 'myInvoices'; invoiceId?: string }
  | { name: 'myCosts' }
  | { name: 'notFound' };

export const customerTabs: CustomerTab[] = [
  'account',
  'subscriptions',
  'orders',
  'reservations',
  'savings-plans',
  'prices',
  'billing',
  'costs',
  'invoices',
];
/** Tabs whose rows open at `…/{tab}/{itemId}`: a details drawer, the order highlighted, the invoice shown. */
const tabsWithItems: CustomerTab[] = ['orders', 'reservations', 'savings-plans', 'invoices'];

const kindOf = (segment: string): Kind => (segment === 'reservations' ? 'reservation' : 'savings_plan');
const segmentOf = (kind: Kind): CommitmentKindSegment =>
  kind === 'reservation' ? 'reservations' : 'savings-plans';

export function matchRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/') return { name: 'root' };
  if (path === '/login') return { name: 'login' };
  if (path === '/partner' || path === '/partner/customers') return { name: 'customers' };
  if (path === '/partner/settings' || path === '/partner/settings/activity') return { name: 'activity' };
  if (path === '/partner/settings/prices') return { name: 'prices' };
  if (path === '/partner/costs') return { name: 'costs' };
  if (path === '/partner/notifications') return { name: 'notifications' };
  if (path === '/partner/settings/notifications') return { name: 'notificationPreferences' };
  if (path === '/partner/approvals') return { name: 'approvals' };
  if (path === '/partner/settings/webhooks') return { name: 'webhooks' };
  if (path === '/customer' || path === '/customer/subscriptions') return { name: 'mySubscriptions' };
  const mine = /^\/customer\/(reservations|savings-plans)(?:\/([^/]+))?$/.exec(path);
  if (mine) {
    const kind = kindOf(mine[1]);
    if (!mine[2]) return { name: 'myCommitments', kind };
    if (mine[2] === 'buy') return { name: 'buyCommitment', kind };
    return { name: 'myCommitment', kind, id: decodeURIComponent(mine[2]) };
  }
  if (path === '/customer/costs') return { name: 'myCosts' };
  const invoices = /^\/customer\/invoices(?:\/([^/]+))?$/.exec(path);
  if (invoices)
    return { name: 'myInvoices', invoiceId: invoices[1] ? decodeURIComponent(invoices[1]) : undefined };
  const customer = /^\/partner\/customers\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?$/.exec(path);
  if (customer) {
    const tab = (customer[2] ?? 'account') as CustomerTab;
    if (!customerTabs.includes(tab)) return { name: 'notFound' };
    if (customer[3] && !tabsWithItems.includes(tab)) return { name: 'notFound' };
    const itemId = customer[3] ? decodeURIComponent(customer[3]) : undefined;
    return { name: 'customer', customerId: decodeURIComponent(customer[1]), tab, itemId };
  }
  return { name: 'notFound' };
}

export const paths = {
  login: '/login',
  customers: '/partner/customers',
  customer: (id: string, tab: CustomerTab = 'account') =>
    `/partner/customers/${encodeURIComponent(id)}/${tab}`,
  customerCommitment: (id: string, kind: Kind, itemId: string) =>
    `/partner/customers/${encodeURIComponent(id)}/${segmentOf(kind)}/${encodeURIComponent(itemId)}`,
  /** The order history with one order opened and highlighted. */
  customerOrder: (id: string, orderId: string) =>
    `/partner/customers/${encodeURIComponent(id)}/orders/${encodeURIComponent(orderId)}`,
  activity: '/partner/settings/activity',
  prices: '/partner/settings/prices',
  costs: '/partner/costs',
  notifications: '/partner/notifications',
  notificationPreferences: '/partner/settings/notifications',
  approvals: '/partner/approvals',
  webhooks: '/partner/settings/webhooks',
  mySubscriptions: '/customer/subscriptions',
  myCommitments: (kind: Kind) => `/customer/${segmentOf(kind)}`,
  buyCommitment: (kind: Kind) => `/customer/${segmentOf(kind)}/buy`,
  myCommitment: (kind: Kind, id: string) => `/customer/${segmentOf(kind)}/${encodeURIComponent(id)}`,
  /** A customer's Invoices tab with one invoice shown. */
  customerInvoice: (id: string, invoiceId: string) =>
    `/partner/customers/${encodeURIComponent(id)}/invoices/${encodeURIComponent(invoiceId)}`,
  myInvoices: '/customer/invoices',
  myCosts: '/customer/costs',
  myInvoice: (invoiceId: string) => `/customer/invoices/${encodeURIComponent(invoiceId)}`,
};
