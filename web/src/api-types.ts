// Shapes of Mitra's JSON API (`docs/api-mitra.md`). Money is always a decimal string.

export type PartnerRole = 'admin_agent' | 'sales_agent' | 'helpdesk_agent';

export interface Me {
  id: string;
  email: string;
  displayName: string;
  kind: 'partner' | 'customer';
  roles: string[];
  tenant: { id: string; name: string };
}

export interface CustomerSummary {
  id: string;
  companyName: string;
  domain: string;
  country: string;
  currency: string;
  createdAt: string;
  subscriptionCount: number;
  hasAzurePlan: boolean;
}

export interface CustomerDetail {
  id: string;
  companyName: string;
  domain: string;
  country: string;
  currency: string;
  culture: string;
  language: string;
  email: string;
  relationship: string;
  createdAt: string;
  contact: { firstName: string; lastName: string; phone: string };
  address: { line1: string; city: string; state: string; postalCode: string; country: string };
}

export type ProductType = 'azure_plan' | 'azure_global' | 'license';

export interface SubscriptionView {
  id: string;
  entitlementId: string | null;
  offerId: string;
  offerName: string;
  friendlyName: string;
  productType: ProductType;
  status: string;
  quantity: number;
  unitType: string;
  billingCycle: string;
  termDuration: string | null;
  autoRenew: boolean;
  createdAt: string;
}

export type MySubscriptionView = SubscriptionView & { roles: string[] };

export interface OrderLineItem {
  lineItemNumber: number;
  offerId: string;
  friendlyName: string;
  quantity: number;
  termDuration: string | null;
  billingCycle: string;
  unitPrice: string;
}

export interface OrderView {
  id: string;
  createdAt: string;
  status: 'pending' | 'completed' | 'cancelled';
  billingCycle: string;
  currency: string;
  totalPrice: string;
  boughtBy: 'partner' | 'customer';
  createdBy: string;
  lineItems: OrderLineItem[];
}

export type OperationStatus = 'succeeded' | 'failed' | 'progress' | 'decline';

export interface ActivityView {
  id: string;
  operationDate: string;
  customerId: string | null;
  customerName: string | null;
  operationType: string;
  resourceType: string;
  userPrincipalName: string | null;
  applicationId: string | null;
  operationStatus: OperationStatus;
  oldValue: string | null;
  newValue: string | null;
  /** Extra facts of the record (a refusal's `refusedWith` and `reason`); optional until the API sends it. */
  details?: { key: string; value: string }[];
}

export type PermissionResource = 'AzureReservedInstances' | 'AzureSavingsPlan';
export const permissionResources: PermissionResource[] = ['AzureReservedInstances', 'AzureSavingsPlan'];

export interface PermissionsView {
  customerId: string;
  permissions: Record<PermissionResource, boolean>;
  etag: string | null;
  /** True only for Admin agents. */
  canEdit: boolean;
  /** Why a permission cannot be turned ON now (azure-plan-required, market-not-supported …). */
  enableBlockedBy: Partial<Record<PermissionResource, { code: string; message: string }>>;
}

export type SubscriptionRole = 'Owner' | 'Contributor' | 'Reader';
export const subscriptionRoles: SubscriptionRole[] = ['Owner', 'Contributor', 'Reader'];

export interface RoleAssignmentView {
  id: string;
  userId: string;
  email: string;
  displayName: string;
  role: SubscriptionRole;
  createdAt: string;
}

export interface CustomerUserView {
  id: string;
  email: string;
  displayName: string;
}

export interface RoleAssignmentList extends ItemList<RoleAssignmentView> {
  users: CustomerUserView[];
  /** Sent by the server beside the contract's fields; the portal falls back to the signed-in role. */
  canEdit?: boolean;
}

export type PriceKind = 'retail' | 'partner';
export type BillingPlan = 'upfront' | 'monthly' | 'usage' | 'license_monthly';

export interface PriceView {
  catalogItemId: string;
  productTitle: string;
  skuTitle: string;
  termDuration: string;
  billingPlan: BillingPlan;
  unitPrice: string;
  unit: string;
}

/** The contract does not spell out `priceList`; the portal reads only what it needs, defensively. */
export interface PriceListInfo {
  id?: string;
  name?: string;
  kind?: PriceKind;
  currency?: string;
}

export interface PriceListResponse {
  priceList: PriceListInfo | null;
  items: PriceView[];
}

export interface ItemList<T> {
  items: T[];
}

export interface Page<T> extends ItemList<T> {
  continuationToken: string | null;
}

export interface CustomerPage extends Page<CustomerSummary> {
  totalCount: number;
}

export interface ActivityFilters {
  startDate?: string;
  endDate?: string;
  customerId?: string;
  operationType?: string;
}
