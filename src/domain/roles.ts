import type { SubscriptionRole } from '../store/schema.ts';

/** Azure's built-in role definition ids, as ARM names them (reference: azure-arm-api.md §5). */
export const roleDefinitionIds: Record<SubscriptionRole, string> = {
  Owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  Contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  Reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
};

export const subscriptionRoles: SubscriptionRole[] = ['Owner', 'Contributor', 'Reader'];

export function roleOfDefinition(roleDefinitionId: string): SubscriptionRole | undefined {
  const guid = roleDefinitionId.split('/').pop()?.toLowerCase();
  return subscriptionRoles.find((r) => roleDefinitionIds[r] === guid);
}

/** Who may change role assignments on a subscription from the customer side: its Owners (Azure's rule). */
export const canAssignRoles = (rolesOnSubscription: SubscriptionRole[]) =>
  rolesOnSubscription.includes('Owner');
