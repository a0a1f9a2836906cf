import { parseBillingPlan, parseTerm } from '../../domain/commitments.ts';
import { invalid } from '../../domain/errors.ts';
import type { CommitmentRequest } from '../../services/commitment-purchase.ts';
import type { Commitment } from '../../services/commitments.ts';
import { armUtilization, type Utilization } from '../../services/utilization.ts';
import type { AppliedScope, AppliedScopeType } from '../../store/schema.ts';

/** ARM's request shapes for purchases and scopes, and its resource shapes (reference §3, §4). */

export interface ArmScopeInput {
  appliedScopeType?: string;
  appliedScopes?: string[] | null;
  appliedScopeProperties?: {
    subscriptionId?: string;
    resourceGroupId?: string;
    managementGroupId?: string;
  } | null;
}

const subscriptionIdOf = (path?: string) => path?.match(/\/subscriptions\/([^/]+)/i)?.[1];

/** ARM says Single + resourceGroupId for a resource-group scope; Mitra names it ResourceGroup. */
export function scopeFromArm(p: ArmScopeInput): { type: AppliedScopeType; scope: AppliedScope } {
  const type = (p.appliedScopeType ?? 'Shared').toLowerCase();
  if (type === 'shared') return { type: 'Shared', scope: {} };
  if (type === 'managementgroup') {
    const mg = p.appliedScopeProperties?.managementGroupId;
    if (!mg)
      throw invalid(
        'missing-applied-scopes-for-management-group',
        'appliedScopeProperties.managementGroupId is required for a ManagementGroup scope.',
      );
    return { type: 'ManagementGroup', scope: { managementGroupId: mg.split('/').pop() } };
  }
  if (type !== 'single')
    throw invalid(
      'invalid-applied-scope-type',
      `appliedScopeType "${p.appliedScopeType}" is not known; use Shared, Single or ManagementGroup.`,
    );
  const rg = p.appliedScopeProperties?.resourceGroupId;
  if (rg) {
    const m = /\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)/i.exec(rg);
    if (!m)
      throw invalid(
        'invalid-resource-group-id',
        'resourceGroupId must look like /subscriptions/{id}/resourceGroups/{name}.',
      );
    return { type: 'ResourceGroup', scope: { subscriptionId: m[1].toLowerCase(), resourceGroup: m[2] } };
  }
  const sub =
    subscriptionIdOf(p.appliedScopes?.[0]) ??
    subscriptionIdOf(p.appliedScopeProperties?.subscriptionId) ??
    p.appliedScopeProperties?.subscriptionId;
  if (!sub)
    throw invalid(
      'missing-applied-scopes-for-single',
      'A Single scope needs appliedScopes ["/subscriptions/{id}"] or appliedScopeProperties.subscriptionId.',
    );
  if ((p.appliedScopes?.length ?? 0) > 1)
    throw invalid('invalid-single-applied-scopes-count', 'A Single scope names exactly one subscription.');
  return { type: 'Single', scope: { subscriptionId: sub.toLowerCase() } };
}

export function scopeToArm(c: Commitment) {
  const scope = c.applied_scope;
  switch (c.applied_scope_type) {
    case 'Shared':
      return {
        appliedScopeType: 'Shared',
        appliedScopes: null,
        appliedScopeProperties: null,
        userFriendlyAppliedScopeType: 'Shared',
      };
    case 'Single':
      return {
        appliedScopeType: 'Single',
        appliedScopes: [`/subscriptions/${scope.subscriptionId}`],
        appliedScopeProperties: { subscriptionId: `/subscriptions/${scope.subscriptionId}` },
        userFriendlyAppliedScopeType: 'Single',
      };
    case 'ResourceGroup':
      return {
        appliedScopeType: 'Single',
        appliedScopes: [`/subscriptions/${scope.subscriptionId}/resourceGroups/${scope.resourceGroup}`],
        appliedScopeProperties: {
          resourceGroupId: `/subscriptions/${scope.subscriptionId}/resourceGroups/${scope.resourceGroup}`,
        },
        userFriendlyAppliedScopeType: 'ResourceGroup',
      };
    default:
      return {
        appliedScopeType: 'ManagementGroup',
        appliedScopes: null,
        appliedScopeProperties: {
          managementGroupId: `/providers/Microsoft.Management/managementGroups/${scope.managementGroupId}`,
        },
        userFriendlyAppliedScopeType: 'ManagementGroup',
      };
  }
}

export interface ArmPurchaseBody {
  sku?: { name?: string };
  location?: string;
  properties?: ArmScopeInput & {
    reservedResourceType?: string;
    billingScopeId?: string;
    term?: string;
    billingPlan?: string;
    quantity?: number;
    displayName?: string;
    renew?: boolean;
    reservedResourceProperties?: { instanceFlexibility?: 'On' | 'Off' };
    commitment?: { grain?: string; currencyCode?: string; amount?: number };
  };
}

export function reservationRequestFromArm(body: ArmPurchaseBody): CommitmentRequest {
  const p = body.properties ?? {};
  if (p.reservedResourceType && p.reservedResourceType.toLowerCase() !== 'virtualmachines') {
    throw invalid(
      'reserved-resource-type-not-supported',
      `Only VirtualMachines reservations are sold here, not ${p.reservedResourceType}.`,
    );
  }
  if (!body.sku?.name)
    throw invalid('sku-required', 'sku.name (the VM size, e.g. Standard_D2s_v3) is required.');
  if (!body.location) throw invalid('location-required', 'location (the region, e.g. eastus) is required.');
  if (!p.billingScopeId)
    throw invalid('billing-scope-required', 'properties.billingScopeId (/subscriptions/{id}) is required.');
  const quantity = p.quantity ?? 1;
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > 1000)
    throw invalid('invalid-quantity', 'properties.quantity must be a whole number from 1 to 1000.');
  const scope = scopeFromArm(p);
  return {
    kind: 'reservation',
    billingSubscription: p.billingScopeId,
    sku: body.sku.name,
    region: body.location,
    term: parseTerm(p.term ?? ''),
    billingPlan: parseBillingPlan(p.billingPlan ?? 'Upfront'),
    quantity,
    displayName: p.displayName,
    appliedScopeType: scope.type,
    appliedScope: scope.scope,
    renew: p.renew ?? false,
    instanceFlexibility: p.reservedResourceProperties?.instanceFlexibility ?? 'On',
  };
}

export function savingsPlanRequestFromArm(body: ArmPurchaseBody): CommitmentRequest {
  const p = body.properties ?? {};
  if (!p.billingScopeId)
    throw invalid('billing-scope-required', 'properties.billingScopeId (/subscriptions/{id}) is required.');
  const amount = p.commitment?.amount;
  if (typeof amount !== 'number')
    throw invalid(
      'commitment-required',
      'properties.commitment {grain: "Hourly", currencyCode, amount} is required.',
    );
  if (p.commitment?.grain && p.commitment.grain.toLowerCase() !== 'hourly')
    throw invalid('invalid-commitment-grain', 'The commitment grain must be Hourly.');
  const scope = scopeFromArm(p);
  return {
    kind: 'savings_plan',
    billingSubscription: p.billingScopeId,
    hourlyCommitment: String(amount),
    term: parseTerm(p.term ?? ''),
    billingPlan: parseBillingPlan(p.billingPlan ?? 'P1M'),
    quantity: 1,
    displayName: p.displayName,
    appliedScopeType: scope.type,
    appliedScope: scope.scope,
    renew: p.renew ?? false,
  };
}

const iso = (d: Date | string) => new Date(d).toISOString();
export const money = (currencyCode: string, amount: string) => ({ currencyCode, amount: Number(amount) });

function provisioning(c: Commitment) {
  const state = c.status === 'Exchanged' ? 'Cancelled' : c.status;
  return { provisioningState: state, displayProvisioningState: state };
}

export function armReservation(
  c: Commitment,
  billingAzureSubscriptionId: string,
  list = false,
  utilization?: Utilization,
) {
  return {
    id: `/providers/microsoft.capacity/reservationOrders/${c.order_id}/reservations/${c.id}`,
    name: list ? `${c.order_id}/${c.id}` : c.id,
    type: 'Microsoft.Capacity/reservationOrders/reservations',
    location: c.region,
    etag: c.etag,
    sku: { name: c.sku },
    properties: {
      reservedResourceType: c.reserved_resource_type,
      instanceFlexibility: c.instance_flexibility,
      displayName: c.display_name,
      ...scopeToArm(c),
      archived: false,
      quantity: c.quantity,
      ...provisioning(c),
      effectiveDateTime: iso(c.purchased_at),
      benefitStartTime: iso(c.purchased_at),
      lastUpdatedDateTime: iso(c.updated_at),
      expiryDate: iso(c.expires_at).slice(0, 10),
      expiryDateTime: iso(c.expires_at),
      purchaseDate: iso(c.purchased_at).slice(0, 10),
      purchaseDateTime: iso(c.purchased_at),
      skuDescription: c.sku,
      billingPlan: c.billing_plan,
      billingScopeId: `/subscriptions/${billingAzureSubscriptionId}`,
      term: c.term,
      renew: c.renew,
      userFriendlyRenewState: c.renew ? 'On' : 'Off',
      extendedStatusInfo:
        c.status === 'Exchanged'
          ? { statusCode: 'None', message: `Exchanged for ${c.exchanged_into}` }
          : undefined,
      utilization: armUtilization(utilization),
    },
  };
}

export function armReservationOrder(
  c: Commitment,
  billingAzureSubscriptionId: string,
  utilization?: Utilization,
) {
  return {
    id: `/providers/microsoft.capacity/reservationOrders/${c.order_id}`,
    type: 'Microsoft.Capacity/reservationOrders',
    name: c.order_id,
    etag: c.etag,
    properties: {
      displayName: c.display_name,
      requestDateTime: iso(c.purchased_at),
      createdDateTime: iso(c.purchased_at),
      expiryDate: iso(c.expires_at).slice(0, 10),
      expiryDateTime: iso(c.expires_at),
      benefitStartTime: iso(c.purchased_at),
      originalQuantity: c.quantity,
      term: c.term,
      billingPlan: c.billing_plan,
      provisioningState: provisioning(c).provisioningState,
      billingScopeId: `/subscriptions/${billingAzureSubscriptionId}`,
      reservations: [armReservation(c, billingAzureSubscriptionId, false, utilization)],
      planInformation: {
        pricingCurrencyTotal: money(c.currency, c.total_price),
        startDate: iso(c.purchased_at).slice(0, 10),
      },
    },
  };
}

export function armSavingsPlan(c: Commitment, billingAzureSubscriptionId: string, utilization?: Utilization) {
  const scope = scopeToArm(c);
  return {
    id: `/providers/Microsoft.BillingBenefits/savingsPlanOrders/${c.order_id}/savingsPlans/${c.id}`,
    name: c.id,
    type: 'Microsoft.BillingBenefits/savingsPlanOrders/savingsPlans',
    sku: { name: c.sku },
    properties: {
      displayName: c.display_name,
      appliedScopeType: scope.appliedScopeType,
      userFriendlyAppliedScopeType: scope.userFriendlyAppliedScopeType,
      appliedScopeProperties: scope.appliedScopeProperties,
      ...provisioning(c),
      billingScopeId: `/subscriptions/${billingAzureSubscriptionId}`,
      term: c.term,
      billingPlan: c.billing_plan === 'Monthly' ? 'P1M' : c.term,
      commitment: { grain: 'Hourly', currencyCode: c.currency, amount: Number(c.hourly_commitment) },
      effectiveDateTime: iso(c.purchased_at),
      benefitStartTime: iso(c.purchased_at),
      purchaseDateTime: iso(c.purchased_at),
      expiryDateTime: iso(c.expires_at),
      renew: c.renew,
      utilization: armUtilization(utilization),
    },
  };
}

export function armSavingsPlanOrder(c: Commitment, billingAzureSubscriptionId: string) {
  return {
    id: `/providers/Microsoft.BillingBenefits/savingsPlanOrders/${c.order_id}`,
    name: c.order_id,
    type: 'Microsoft.BillingBenefits/savingsPlanOrders',
    sku: { name: c.sku },
    properties: {
      displayName: c.display_name,
      provisioningState: provisioning(c).provisioningState,
      billingScopeId: `/subscriptions/${billingAzureSubscriptionId}`,
      term: c.term,
      billingPlan: c.billing_plan === 'Monthly' ? 'P1M' : c.term,
      expiryDateTime: iso(c.expires_at),
      benefitStartTime: iso(c.purchased_at),
      planInformation: {
        pricingCurrencyTotal: money(c.currency, c.total_price),
        startDate: iso(c.purchased_at).slice(0, 10),
      },
      savingsPlans: [
        `/providers/Microsoft.BillingBenefits/savingsPlanOrders/${c.order_id}/savingsPlans/${c.id}`,
      ],
    },
  };
}
