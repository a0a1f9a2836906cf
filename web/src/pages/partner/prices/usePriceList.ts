import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ApiError } from '../../../api.ts';
import {
  type PriceListBody,
  type PriceListPreview,
  type PriceListScope,
  type PriceListVersion,
  type PriceListView,
  priceListApi,
  priceListKey,
} from '../../../priceLists.ts';
import { useDebounced } from '../../../useDebounced.ts';

export function usePriceList(scope: PriceListScope) {
  return useQuery<PriceListView, ApiError>({
    queryKey: priceListKey(scope),
    queryFn: () => priceListApi.read(scope),
  });
}

/**
 * The draft priced by the server (`…/preview`), so what the editor shows is what would be
 * charged: the same rule, not a copy of it. Null while the draft has nothing to price.
 */
export function usePricePreview(scope: PriceListScope, body: PriceListBody | null) {
  const debounced = useDebounced(body, 400);
  return useQuery<PriceListPreview, ApiError>({
    queryKey: [...priceListKey(scope), 'preview', debounced],
    queryFn: () => priceListApi.preview(scope, debounced!),
    enabled: debounced !== null,
    placeholderData: keepPreviousData,
    retry: false,
  });
}

export function useSavePriceList(scope: PriceListScope) {
  const queryClient = useQueryClient();
  return useMutation<PriceListVersion, ApiError, PriceListBody>({
    mutationFn: (body) => priceListApi.save(scope, body),
    onSuccess: () => {
      // The default prices every customer without a list: all price list views may change.
      void queryClient.invalidateQueries({
        queryKey: scope === 'default' ? ['price-list'] : priceListKey(scope),
      });
      void queryClient.invalidateQueries({ queryKey: ['prices'] });
      void queryClient.invalidateQueries({ queryKey: ['activity'] });
    },
  });
}

export function useRetailSetting() {
  const queryClient = useQueryClient();
  return useMutation<{ showRetailToCustomers: boolean }, ApiError, boolean>({
    mutationFn: (shown) => priceListApi.setRetailShown(shown),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['price-list'] });
      void queryClient.invalidateQueries({ queryKey: ['activity'] });
    },
  });
}
