import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  type ApiError,
  api,
  type CommitmentBody,
  type CommitmentKind,
  type CommitmentList,
  type CommitmentPatch,
  type CommitmentView,
  type ExchangeQuote,
  type ExchangeResult,
  type RefundResult,
  type Utilization,
} from '../../../api.ts';
import { useDebounced } from '../../../useDebounced.ts';

const detail = (customerId: string) => ['customers', 'detail', customerId] as const;
export const customerCommitmentsKey = (customerId: string, kind: CommitmentKind) =>
  [...detail(customerId), kind] as const;
export const billsKey = (customerId: string) => [...detail(customerId), 'bills'] as const;

export function useCustomerCommitments(customerId: string, kind: CommitmentKind) {
  return useQuery<CommitmentList, ApiError>({
    queryKey: customerCommitmentsKey(customerId, kind),
    queryFn: () => api.customerCommitments(customerId, kind),
  });
}

export function useCustomerCommitment(customerId: string, kind: CommitmentKind, id: string) {
  const queryClient = useQueryClient();
  return useQuery<CommitmentView, ApiError>({
    queryKey: [...customerCommitmentsKey(customerId, kind), id],
    queryFn: () => api.customerCommitment(customerId, kind, id),
    initialData: () =>
      queryClient
        .getQueryData<CommitmentList>(customerCommitmentsKey(customerId, kind))
        ?.items.find((c) => c.id === id),
  });
}

export function useCustomerUtilization(customerId: string, kind: CommitmentKind, id: string) {
  return useQuery<Utilization, ApiError>({
    queryKey: [...customerCommitmentsKey(customerId, kind), id, 'utilization'],
    queryFn: () => api.customerUtilization(customerId, kind, id),
    staleTime: 5 * 60_000,
  });
}

/** The VM reservations on sale for this customer (sizes, regions, the partner's and retail prices). */
export function useCustomerReservationCatalog(customerId: string, enabled: boolean) {
  return useQuery({
    queryKey: [...detail(customerId), 'reservation-catalog'],
    queryFn: () => api.customerReservationCatalog(customerId),
    enabled,
    staleTime: 10 * 60_000,
  });
}

/**
 * The exchange priced by the server for the current choices, asked again (debounced) when they
 * change; `settled` is false while the choices on screen are newer than the quote.
 */
export function useExchangeQuote(customerId: string, id: string, body: CommitmentBody | null) {
  const debounced = useDebounced(body, 250);
  const settled = JSON.stringify(debounced) === JSON.stringify(body);
  const query = useQuery<ExchangeQuote, ApiError>({
    queryKey: [...customerCommitmentsKey(customerId, 'reservation'), id, 'exchange-quote', debounced],
    queryFn: () => api.exchangeQuote(customerId, id, debounced!),
    enabled: debounced !== null,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    gcTime: 60_000,
    retry: false,
  });
  return { ...query, settled };
}

/** The customer's subscriptions (the same cache entry as the Subscriptions tab). */
export function useCustomerSubscriptions(customerId: string) {
  return useQuery({
    queryKey: [...detail(customerId), 'subscriptions'],
    queryFn: () => api.customerSubscriptions(customerId),
  });
}

/** After any change: the lists, the bill, the order history and the activity log move too. */
function useRefresh(customerId: string) {
  const queryClient = useQueryClient();
  return () => {
    for (const key of [
      customerCommitmentsKey(customerId, 'reservation'),
      customerCommitmentsKey(customerId, 'savings_plan'),
      billsKey(customerId),
      [...detail(customerId), 'orders'],
      ['activity'],
    ]) {
      void queryClient.invalidateQueries({ queryKey: key });
    }
  };
}

export function useUpdateCommitment(customerId: string, kind: CommitmentKind, id: string) {
  const queryClient = useQueryClient();
  const refresh = useRefresh(customerId);
  return useMutation<CommitmentView, ApiError, CommitmentPatch>({
    mutationFn: (patch) => api.updateCustomerCommitment(customerId, kind, id, patch),
    onSuccess: (view) => {
      queryClient.setQueryData([...customerCommitmentsKey(customerId, kind), id], view);
      refresh();
    },
  });
}

export function useRefundQuote(customerId: string, id: string, enabled: boolean) {
  return useQuery({
    queryKey: [...customerCommitmentsKey(customerId, 'reservation'), id, 'refund-quote'],
    queryFn: () => api.refundQuote(customerId, id),
    enabled,
    staleTime: 0,
    gcTime: 0,
    retry: false,
  });
}

export function useRefund(customerId: string, id: string) {
  const queryClient = useQueryClient();
  const refresh = useRefresh(customerId);
  return useMutation<RefundResult, ApiError, string | undefined>({
    mutationFn: (reason) => api.refund(customerId, id, reason),
    onSuccess: (result) => {
      queryClient.setQueryData(
        [...customerCommitmentsKey(customerId, 'reservation'), id],
        result.reservation,
      );
      refresh();
    },
  });
}

export function useExchange(customerId: string, id: string) {
  const queryClient = useQueryClient();
  const refresh = useRefresh(customerId);
  return useMutation<ExchangeResult, ApiError, CommitmentBody>({
    mutationFn: (body) => api.exchange(customerId, id, body),
    onSuccess: (result) => {
      queryClient.setQueryData([...customerCommitmentsKey(customerId, 'reservation'), id], result.returned);
      refresh();
    },
  });
}
