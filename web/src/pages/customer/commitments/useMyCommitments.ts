import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  type ApiError,
  api,
  type CommitmentBody,
  type CommitmentKind,
  type CommitmentQuote,
  type CommitmentView,
  type HeldPurchase,
  type MySubscriptionView,
  type Utilization,
} from '../../../api.ts';
import { type Buyer, myBuyer, setBoughtView } from '../../../components/commitments/buyer.ts';
import { useDebounced } from '../../../useDebounced.ts';

export const mySubscriptionsKey = ['my', 'subscriptions'] as const;
export const myCommitmentsKey = (kind: CommitmentKind) => ['my', kind] as const;

export function useMySubscriptions() {
  return useQuery({ queryKey: mySubscriptionsKey, queryFn: api.mySubscriptions });
}

/** Azure plan and Azure Global subscriptions: the only ones that can carry a purchase (R6). */
export const isAzure = (s: Pick<MySubscriptionView, 'productType'>) =>
  s.productType === 'azure_plan' || s.productType === 'azure_global';
export const isOwner = (s: { roles?: string[] }) => s.roles?.includes('Owner') === true;

export function useMyCommitments(kind: CommitmentKind) {
  return useQuery<{ items: CommitmentView[] }, ApiError>({
    queryKey: myCommitmentsKey(kind),
    queryFn: () => api.myCommitments(kind),
  });
}

export function useMyCommitment(kind: CommitmentKind, id: string) {
  const queryClient = useQueryClient();
  return useQuery<CommitmentView, ApiError>({
    queryKey: [...myCommitmentsKey(kind), id],
    queryFn: () => api.myCommitment(kind, id),
    // Straight from the list (or a purchase) the row is already known: show it at once.
    initialData: () =>
      queryClient
        .getQueryData<{ items: CommitmentView[] }>(myCommitmentsKey(kind))
        ?.items.find((c) => c.id === id || c.orderId === id),
  });
}

/** Utilisation by day and over 1, 7 and 30 days (by the commitment's own id, not the order id). */
export function useMyUtilization(kind: CommitmentKind, id: string) {
  return useQuery<Utilization, ApiError>({
    queryKey: [...myCommitmentsKey(kind), id, 'utilization'],
    queryFn: () => api.myUtilization(kind, id),
    staleTime: 5 * 60_000,
  });
}

export function useRenameMyCommitment(kind: CommitmentKind, id: string) {
  const queryClient = useQueryClient();
  return useMutation<CommitmentView, ApiError, string>({
    mutationFn: (name) => api.renameMyCommitment(kind, id, name),
    onSuccess: (view) => {
      queryClient.setQueryData([...myCommitmentsKey(kind), id], view);
      void queryClient.invalidateQueries({ queryKey: myCommitmentsKey(kind) });
    },
  });
}

/** The price of the current choices, asked again (debounced) whenever they change, at the buyer's base. */
export function useQuote(kind: CommitmentKind, body: CommitmentBody | null, buyer: Buyer = myBuyer) {
  const debounced = useDebounced(body, 250);
  const settled = JSON.stringify(debounced) === JSON.stringify(body);
  const query = useQuery<CommitmentQuote, ApiError>({
    queryKey: ['quote', buyer.apiBase, kind, debounced],
    queryFn: () => api.quoteCommitmentAt(buyer.apiBase, kind, debounced!),
    enabled: debounced !== null,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
    retry: false,
  });
  return { ...query, settled };
}

/** A purchase answered 202: held above the customer's approval threshold (B2). */
export const isHeld = (v: CommitmentView | HeldPurchase): v is HeldPurchase =>
  'approvalId' in v && !('id' in v);

/** Buy: POST with the attempt's Idempotency-Key; the lists (and the partner's bill) are refreshed afterwards. */
export function useBuy(kind: CommitmentKind, buyer: Buyer = myBuyer) {
  const queryClient = useQueryClient();
  return useMutation<CommitmentView | HeldPurchase, ApiError, { body: CommitmentBody; key: string }>({
    mutationFn: ({ body, key }) => api.buyCommitmentAt(buyer.apiBase, kind, body, key),
    onSuccess: (view) => {
      // Held for the partner's approval (B2): nothing bought yet; the list shows it as awaiting.
      if (isHeld(view)) void queryClient.invalidateQueries({ queryKey: buyer.cacheKey });
      else setBoughtView(queryClient, buyer, kind, view);
    },
  });
}
