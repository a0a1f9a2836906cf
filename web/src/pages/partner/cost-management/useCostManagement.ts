import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ApiError, api, type CostManagementView } from '../../../api.ts';

export const costManagementKey = (customerId: string) =>
  ['customers', 'detail', customerId, 'cost-management'] as const;

export function useCostManagement(customerId: string) {
  return useQuery<CostManagementView, ApiError>({
    queryKey: costManagementKey(customerId),
    queryFn: () => api.costManagement(customerId),
  });
}

/** `PUT …/cost-management`: the same value again changes nothing on the server. */
export function useSaveCostManagement(customerId: string) {
  const queryClient = useQueryClient();
  return useMutation<CostManagementView, ApiError, boolean>({
    mutationFn: (enabled) => api.setCostManagement(customerId, enabled),
    onSuccess: (view) => queryClient.setQueryData(costManagementKey(customerId), view),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: costManagementKey(customerId) });
      void queryClient.invalidateQueries({ queryKey: ['activity'] });
    },
  });
}
