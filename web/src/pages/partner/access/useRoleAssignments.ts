import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  type ApiError,
  api,
  type RoleAssignmentList,
  type RoleAssignmentView,
  type SubscriptionRole,
} from '../../../api.ts';

export const roleAssignmentsKey = (customerId: string, subscriptionId: string) =>
  ['customers', 'detail', customerId, 'subscriptions', subscriptionId, 'role-assignments'] as const;

export function useRoleAssignments(customerId: string, subscriptionId: string) {
  return useQuery<RoleAssignmentList, ApiError>({
    queryKey: roleAssignmentsKey(customerId, subscriptionId),
    queryFn: () => api.roleAssignments(customerId, subscriptionId),
  });
}

/** Add (POST) and remove (DELETE) assignments; both refresh the list and the activity log. */
export function useRoleAssignmentChanges(customerId: string, subscriptionId: string) {
  const queryClient = useQueryClient();
  const onSettled = () => {
    void queryClient.invalidateQueries({ queryKey: roleAssignmentsKey(customerId, subscriptionId) });
    void queryClient.invalidateQueries({ queryKey: ['activity'] });
  };
  const add = useMutation<
    { assignment: RoleAssignmentView; existed: boolean },
    ApiError,
    { userId: string; role: SubscriptionRole }
  >({
    mutationFn: async (body) => {
      const list = queryClient.getQueryData<RoleAssignmentList>(
        roleAssignmentsKey(customerId, subscriptionId),
      );
      const existed = Boolean(list?.items.some((a) => a.userId === body.userId && a.role === body.role));
      const assignment = await api.addRoleAssignment(customerId, subscriptionId, body);
      return { assignment, existed };
    },
    onSettled,
  });
  const remove = useMutation<void, ApiError, RoleAssignmentView>({
    mutationFn: (assignment) => api.removeRoleAssignment(customerId, subscriptionId, assignment.id),
    onSettled,
  });
  return { add, remove };
}
