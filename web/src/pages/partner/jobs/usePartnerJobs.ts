import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  type ApiError,
  type AzurePlanResult,
  api,
  type BillingProfile,
  type BillingProfilePatch,
  type CreatedCustomer,
  type CreatedUser,
  type Me,
  type NewCustomerBody,
} from '../../../api.ts';

const detail = (customerId: string) => ['customers', 'detail', customerId] as const;
export const customerUsersKey = (customerId: string) => [...detail(customerId), 'users'] as const;
export const billingProfileKey = (customerId: string) => [...detail(customerId), 'billing-profile'] as const;

/** Admin and Sales agents create customers and buy for them (partner center's roles). */
export const canOrder = (me: Me | null | undefined) =>
  me?.kind === 'partner' && me.roles.some((r) => r === 'admin_agent' || r === 'sales_agent');

export function useCreateCustomer() {
  const queryClient = useQueryClient();
  return useMutation<CreatedCustomer, ApiError, NewCustomerBody>({
    mutationFn: api.createCustomer,
    onSuccess: (created) => {
      queryClient.setQueryData(detail(created.customer.id), created.customer);
      void queryClient.invalidateQueries({ queryKey: ['customers', 'list'] });
      void queryClient.invalidateQueries({ queryKey: ['activity'] });
    },
  });
}

export function useCustomerUsers(customerId: string) {
  return useQuery({ queryKey: customerUsersKey(customerId), queryFn: () => api.customerUsers(customerId) });
}

export function useAddCustomerUser(customerId: string) {
  const queryClient = useQueryClient();
  return useMutation<CreatedUser, ApiError, { email: string; displayName: string }>({
    mutationFn: (body) => api.addCustomerUser(customerId, body),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: customerUsersKey(customerId) });
      void queryClient.invalidateQueries({ queryKey: ['activity'] });
    },
  });
}

export function useBillingProfile(customerId: string) {
  return useQuery<BillingProfile, ApiError>({
    queryKey: billingProfileKey(customerId),
    queryFn: () => api.billingProfile(customerId),
  });
}

export function useUpdateBillingProfile(customerId: string) {
  const queryClient = useQueryClient();
  return useMutation<BillingProfile, ApiError, { patch: BillingProfilePatch; etag: string }>({
    mutationFn: ({ patch, etag }) => api.updateBillingProfile(customerId, patch, etag),
    onSuccess: (profile) => {
      queryClient.setQueryData(billingProfileKey(customerId), profile);
      // The company name and contact show in the header, the list and the activity log too.
      for (const key of [detail(customerId), ['customers', 'list'], ['activity']])
        void queryClient.invalidateQueries({ queryKey: key, exact: key === detail(customerId) });
    },
  });
}

export function useBuyAzurePlan(customerId: string) {
  const queryClient = useQueryClient();
  return useMutation<AzurePlanResult, ApiError, string>({
    mutationFn: (friendlyName) => api.buyAzurePlan(customerId, friendlyName),
    onSuccess: () => {
      // A new subscription moves the customer's subscriptions, orders and permissions (R4), the
      // list's Azure plan badge and the activity log.
      for (const key of [detail(customerId), ['customers', 'list'], ['activity']])
        void queryClient.invalidateQueries({ queryKey: key });
    },
  });
}
