import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  type ApiError,
  api,
  type CreditNoteResult,
  type MonthClosed,
  type TaxSettings,
} from '../../../api.ts';

// The Admin agent's invoice actions (B10). Each answer changes invoices of one customer (a credit
// note) or of all (closing a month), so every customer's invoice queries are read again after.

const invoicesOfAll = ['customers', 'detail'] as const;
const taxKey = (customerId: string) => ['customers', 'detail', customerId, 'tax'] as const;
const refreshAll = (queryClient: ReturnType<typeof useQueryClient>) =>
  queryClient.invalidateQueries({
    queryKey: invoicesOfAll,
    predicate: (query) => query.queryKey.includes('invoices') || query.queryKey.includes('bills'),
  });

export function useCreditInvoice(customerId: string, invoiceId: string) {
  const queryClient = useQueryClient();
  return useMutation<CreditNoteResult, ApiError, string>({
    mutationFn: (reason) => api.creditInvoice(customerId, invoiceId, reason),
    onSuccess: () => refreshAll(queryClient),
  });
}

export function useCloseMonth() {
  const queryClient = useQueryClient();
  return useMutation<MonthClosed, ApiError, string>({
    mutationFn: (month) => api.closeMonth(month),
    onSuccess: () => refreshAll(queryClient),
  });
}

export function useCustomerTax(customerId: string, enabled: boolean) {
  return useQuery<TaxSettings, ApiError>({
    queryKey: taxKey(customerId),
    queryFn: () => api.customerTax(customerId),
    enabled,
  });
}

export function useSetCustomerTax(customerId: string) {
  const queryClient = useQueryClient();
  return useMutation<TaxSettings, ApiError, TaxSettings>({
    mutationFn: (tax) => api.setCustomerTax(customerId, tax),
    onSuccess: (tax) => {
      queryClient.setQueryData(taxKey(customerId), tax);
      // Drafts are priced with the customer's tax of today: read them again.
      void queryClient.invalidateQueries({ queryKey: ['customers', 'detail', customerId, 'invoices'] });
    },
  });
}
