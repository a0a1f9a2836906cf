import type { PermissionResource } from '../store/schema.ts';
import { invalid, MitraError } from './errors.ts';

/**
 * Customer permissions (rules R1–R5, R19): which resources a customer may buy itself. Pure rules;
 * the service supplies the facts.
 */
export const permissionResources: PermissionResource[] = ['AzureReservedInstances', 'AzureSavingsPlan'];

export type PermissionSet = Record<PermissionResource, boolean>;

export const noPermissions = (): PermissionSet => ({
  AzureReservedInstances: false,
  AzureSavingsPlan: false,
});

/**
 * Markets where reservations are not sold (R19), by ISO country code. Partner center's
 * reservation documentation names them; Brazil and the Russian Federation are the ones the
 * reference confirms. Savings plans are not restricted by this list.
 */
export const reservationRestrictedMarkets: ReadonlySet<string> = new Set(['BR', 'RU']);

export function parseResource(value: string): PermissionResource {
  const found = permissionResources.find((r) => r.toLowerCase() === value.toLowerCase());
  if (!found) {
    throw invalid(
      'unknown-permission-resource',
      `"${value}" is not a permission resource; use AzureReservedInstances or AzureSavingsPlan.`,
    );
  }
  return found;
}

export function permissionSetOf(list: { resource: string; action: string }[]): PermissionSet {
  const set = noPermissions();
  for (const p of list) set[parseResource(p.resource)] = true;
  return set;
}

export function permissionListOf(set: PermissionSet): { resource: PermissionResource; action: 'Purchase' }[] {
  return permissionResources
    .filter((r) => set[r])
    .map((resource) => ({ resource, action: 'Purchase' as const }));
}

export interface EnableFacts {
  companyName: string;
  country: string;
  /** An active Azure plan or Azure Global subscription this partner bought for the customer. */
  hasQualifyingSubscription: boolean;
}

/** Why a permission cannot be turned on, or null when it can (R4, R19). Turning off always works. */
export function enableRefusal(resource: PermissionResource, facts: EnableFacts): MitraError | null {
  if (!facts.hasQualifyingSubscription) {
    // 409: the customer's state forbids it (412 is kept for stale etags).
    return new MitraError(
      'conflict',
      'azure-plan-required',
      `${facts.companyName} has no active Azure plan or Azure Global subscription bought by you. Buy an Azure plan for the customer first (catalog product DZH318Z0BPS6, "Azure plan"), then allow purchases.`,
      800011,
    );
  }
  if (
    resource === 'AzureReservedInstances' &&
    reservationRestrictedMarkets.has(facts.country.toUpperCase())
  ) {
    return new MitraError(
      'conflict',
      'market-not-supported',
      `Azure reservations are not sold in ${facts.country.toUpperCase()}, the market of ${facts.companyName}, so the customer cannot be allowed to buy them.`,
      800013,
    );
  }
  return null;
}

export interface PermissionChange {
  resource: PermissionResource;
  allowed: boolean;
}

export function changesBetween(before: PermissionSet, after: PermissionSet): PermissionChange[] {
  return permissionResources
    .filter((r) => before[r] !== after[r])
    .map((resource) => ({ resource, allowed: after[resource] }));
}

export const permissionLabels: Record<PermissionResource, string> = {
  AzureReservedInstances: 'Azure reservations',
  AzureSavingsPlan: 'Azure savings plan',
};
