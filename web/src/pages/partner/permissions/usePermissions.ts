import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ApiError, api, type PermissionResource, type PermissionsView } from '../../../api.ts';

export const permissionsKey = (customerId: string) =>
  ['customers', 'detail', customerId, 'permissions'] as const;

export function usePermissions(customerId: string) {
  return useQuery<PermissionsView, ApiError>({
    queryKey: permissionsKey(customerId),
    queryFn: () => api.permissions(customerId),
  });
}

export type PermissionChange = { resource: PermissionResource; allowed: boolean };

/** A change the API refused, with the resource it was about (earlier changes in the batch stay saved). */
export class PermissionSaveError extends Error {
  readonly resource: PermissionResource;

  constructor(resource: PermissionResource, cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'PermissionSaveError';
    this.resource = resource;
  }
}

/** One `PUT …/permissions/{resource}` per changed resource, in order; stops at the first refusal. */
export function useSavePermissions(customerId: string) {
  const queryClient = useQueryClient();
  return useMutation<PermissionsView | undefined, PermissionSaveError, PermissionChange[]>({
    mutationFn: async (changes) => {
      let view: PermissionsView | undefined;
      for (const { resource, allowed } of changes) {
        try {
          view = await api.setPermission(customerId, resource, allowed);
        } catch (error) {
          throw new PermissionSaveError(resource, error);
        }
        queryClient.setQueryData(permissionsKey(customerId), view);
      }
      return view;
    },
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: permissionsKey(customerId) });
      void queryClient.invalidateQueries({ queryKey: ['activity'] });
    },
  });
}
