import type { QueryClient } from '@tanstack/react-query';
import {
  api,
  type CommitmentKind,
  type CommitmentView,
  type CustomerDetail,
  customerPurchaseBase,
  type ItemList,
  myPurchaseBase,
  type SubscriptionView,
} from '../../api.ts';
import { paths } from '../../router.tsx';

/** A subscription a purchase can be billed through; customer users also see their roles on it. */
export type BuyerSubscription = SubscriptionView & { roles?: string[] };

/**
 * Who buys a reservation or savings plan, and where: a customer user for its own organisation
 * (R6), or the partner on a customer's behalf (R20). The buy pages, the quote and the purchase are
 * the same for both; only this changes — the API base, the subscriptions offered, where to go after.
 */
export interface Buyer {
  side: 'customer' | 'partner';
  /** `/api/my` or `/api/customers/{id}`: where the catalog, quotes and purchases live. */
  apiBase: string;
  /** The organisation the purchase is for (the partner's customer), by id and name. */
  customerId?: string;
  company?: string;
  /** Cache key of everything bought at this base, e.g. `['my']`. */
  cacheKey: readonly unknown[];
  subscriptionsKey: readonly unknown[];
  subscriptions: () => Promise<ItemList<BuyerSubscription>>;
  commitmentsKey: (kind: CommitmentKind) => readonly unknown[];
  listHref: (kind: CommitmentKind) => string;
  boughtHref: (kind: CommitmentKind, id: string) => string;
  /** What else moves after a purchase (the partner's bill, order history, activity log). */
  afterBuy?: (queryClient: QueryClient) => void;
}

export const myBuyer: Buyer = {
  side: 'customer',
  apiBase: myPurchaseBase,
  cacheKey: ['my'],
  subscriptionsKey: ['my', 'subscriptions'],
  subscriptions: api.mySubscriptions,
  commitmentsKey: (kind) => ['my', kind],
  listHref: paths.myCommitments,
  boughtHref: (kind, id) => `${paths.myCommitment(kind, id)}?bought=1`,
};

/** The partner buying for one of its customers; caches are the customer page's own. */
export function partnerBuyer(customer: Pick<CustomerDetail, 'id' | 'companyName'>): Buyer {
  const detail = ['customers', 'detail', customer.id] as const;
  const tabOf = (kind: CommitmentKind) => (kind === 'reservation' ? 'reservations' : 'savings-plans');
  return {
    side: 'partner',
    apiBase: customerPurchaseBase(customer.id),
    customerId: customer.id,
    company: customer.companyName,
    cacheKey: detail,
    subscriptionsKey: [...detail, 'subscriptions'],
    subscriptions: () => api.customerSubscriptions(customer.id),
    commitmentsKey: (kind) => [...detail, kind],
    listHref: (kind) => paths.customer(customer.id, tabOf(kind)),
    boughtHref: (kind, id) => `${paths.customerCommitment(customer.id, kind, id)}?bought=1`,
    afterBuy: (queryClient) => {
      for (const key of [[...detail, 'bills'], [...detail, 'orders'], ['activity']])
        void queryClient.invalidateQueries({ queryKey: key });
    },
  };
}

export const setBoughtView = (
  queryClient: QueryClient,
  buyer: Buyer,
  kind: CommitmentKind,
  view: CommitmentView,
) => {
  queryClient.setQueryData([...buyer.commitmentsKey(kind), view.id], view);
  void queryClient.invalidateQueries({ queryKey: buyer.commitmentsKey(kind) });
  buyer.afterBuy?.(queryClient);
};
