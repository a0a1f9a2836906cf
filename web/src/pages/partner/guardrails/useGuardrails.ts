import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  type ApiError,
  type ApprovalStatus,
  type ApprovalView,
  api,
  type GuardrailsBody,
  type GuardrailsView,
  type ItemList,
} from '../../../api.ts';

export const guardrailsKey = (customerId: string) =>
  ['customers', 'detail', customerId, 'guardrails'] as const;
export const approvalsKey = ['approvals'] as const;

export function useGuardrails(customerId: string) {
  return useQuery<GuardrailsView, ApiError>({
    queryKey: guardrailsKey(customerId),
    queryFn: () => api.guardrails(customerId),
  });
}

export function useSaveGuardrails(customerId: string) {
  const queryClient = useQueryClient();
  return useMutation<GuardrailsView, ApiError, GuardrailsBody>({
    mutationFn: (body) => api.setGuardrails(customerId, body),
    onSuccess: (view) => queryClient.setQueryData(guardrailsKey(customerId), view),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: guardrailsKey(customerId) });
      void queryClient.invalidateQueries({ queryKey: ['activity'] });
    },
  });
}

export function useApprovals(status: ApprovalStatus | undefined) {
  return useQuery<ItemList<ApprovalView>, ApiError>({
    queryKey: [...approvalsKey, status ?? 'all'],
    queryFn: () => api.approvals(status),
  });
}

/** Approve or decline; every list, the customer's purchases and its guardrails are read again. */
export function useDecide() {
  const queryClient = useQueryClient();
  return useMutation<
    ApprovalView,
    ApiError,
    { id: string; decision: 'approve' } | { id: string; decision: 'decline'; reason: string }
  >({
    mutationFn: (d) => (d.decision === 'approve' ? api.approve(d.id) : api.decline(d.id, d.reason)),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: approvalsKey });
      void queryClient.invalidateQueries({ queryKey: ['customers'] });
      void queryClient.invalidateQueries({ queryKey: ['activity'] });
    },
  });
}
