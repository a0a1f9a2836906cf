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
  /** A record partner center's activity log leaves out (a customer's own savings plan, R11); Mitra shows it. */
  beyondPartnerCenter?: boolean;
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

/** A customer's cost management switch (R17); never set means off, with no date and no author. */
export interface CostManagementView {
  enabled: boolean;
  changedAt: string | null;
  changedBy: string | null;
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

// Reservations and savings plans ("commitments"), docs/api-mitra.md § Reservations and savings plans.

export type CommitmentKind = 'reservation' | 'savings_plan';
export type Term = 'P1Y' | 'P3Y';
export type CommitmentBillingPlan = 'Upfront' | 'Monthly';
export type AppliedScopeType = 'Shared' | 'Single' | 'ResourceGroup' | 'ManagementGroup';
export const appliedScopeTypes: AppliedScopeType[] = ['Shared', 'Single', 'ResourceGroup', 'ManagementGroup'];
export const terms: Term[] = ['P1Y', 'P3Y'];
export const commitmentBillingPlans: CommitmentBillingPlan[] = ['Upfront', 'Monthly'];
export type CommitmentStatus =
  | 'Succeeded'
  | 'Cancelled'
  | 'Expired'
  | 'Exchanged'
  // A purchase held for the partner's approval (B2), listed but not bought.
  | 'awaiting-approval'
  | 'awaiting-confirmation'
  | 'declined';

export interface AppliedScope {
  subscriptionId?: string;
  resourceGroup?: string;
  managementGroupId?: string;
}

export interface CommitmentBody {
  /** Azure subscription id (entitlement) or Mitra's subscription id. */
  billingSubscriptionId: string;
  sku?: string;
  region?: string;
  /** Savings plans: the amount per hour, a decimal string ("1.50"). */
  hourlyCommitment?: string;
  term: Term;
  billingPlan: CommitmentBillingPlan;
  quantity?: number;
  displayName?: string;
  appliedScopeType?: AppliedScopeType;
  appliedScope?: AppliedScope;
  renew?: boolean;
  instanceFlexibility?: 'On' | 'Off';
}

export interface CommitmentView {
  id: string;
  orderId: string;
  /** The order in the partner's order history (`OrderView.id`); null for a customer's own savings plan. */
  partnerOrderId: string | null;
  kind: CommitmentKind;
  /** Partner views only: a customer's own savings plan, which partner center does not show (B3). */
  beyondPartnerCenter?: boolean;
  displayName: string;
  sku: string;
  region: string | null;
  quantity: number;
  hourlyCommitment: string | null;
  term: Term;
  billingPlan: CommitmentBillingPlan;
  appliedScopeType: AppliedScopeType;
  appliedScope: AppliedScope;
  instanceFlexibility: 'On' | 'Off' | null;
  renew: boolean;
  status: CommitmentStatus;
  boughtBy: 'partner' | 'customer';
  boughtByPrincipal: string;
  /** Mitra's subscription id (not the Azure one), whichever was sent at purchase. */
  billingSubscriptionId: string;
  currency: string;
  unitPrice: string;
  /** Absent for customer users whose partner hides retail (B9). */
  retailUnitPrice?: string;
  totalPrice: string;
  purchasedAt: string;
  expiresAt: string;
  exchangedInto: string | null;
  exchangedFrom: string | null;
  /** Set on a purchase held for approval (B2): not bought; `status` says where it stands. */
  approvalId?: string;
  requestedAt?: string;
  reason?: string | null;
  /** After the price moved: the price the customer confirms (`POST /api/my/approvals/{id}/confirm`). */
  newPrice?: { total: string; unitPrice: string; currency: string } | null;
}

export interface CommitmentList extends ItemList<CommitmentView> {
  /** Savings plans on the partner side: partner center does not show the customer's own (B3). */
  beyondPartnerCenter?: boolean;
}

export interface CatalogPrice {
  term: Term;
  billingPlan: CommitmentBillingPlan;
  /** The partner's price: what is charged. */
  unitPrice: string;
  /** Absent for customer users whose partner hides retail (B9). */
  retailUnitPrice?: string;
  currency: string;
}

export interface CatalogEntry {
  sku: string;
  region: string;
  /** Instance size flexibility group ("DSv3 Series"). */
  isfGroup: string | null;
  /** "Standard_D2s_v3, East US". */
  title: string;
  terms: CatalogPrice[];
}

export interface CommitmentQuote {
  quoteId: string;
  expiresAt: string;
  catalogItemId: string;
  skuTitle: string;
  currency: string;
  unitPrice: string;
  /** Absent for customer users whose partner hides retail (B9). */
  retailUnitPrice?: string;
  /** Instances (reservations) or the hourly amount (savings plans), as a decimal string. */
  units: string;
  total: string;
  retailTotal?: string;
}

/** A bill line a dialog promises: exactly what the bill of `month` will show. */
export interface PromisedLine {
  month: string;
  date: string;
  type: BillLineType;
  amount: string;
}

export interface RefundQuote {
  currency: string;
  /** Money back. */
  amount: string;
  paidSoFar: string;
  cancelledInstalments: string;
  cancelledInstalmentCount: number;
  entries: PromisedLine[];
  remainingCapBefore: string;
}

export interface RefundResult {
  reservation: CommitmentView;
  refund: RefundQuote;
}

export interface ExchangeResult {
  returned: CommitmentView;
  created: CommitmentView;
  credit: string;
  newTotal: string;
  netPayable: string;
  currency: string;
  entries: PromisedLine[];
}

/** An exchange priced by the server, nothing done: `valid: false` with `reason` when it is refused. */
export interface ExchangeQuote {
  credit: string;
  newTotal: string;
  netPayable: string;
  currency: string;
  entries: PromisedLine[];
  valid: boolean;
  reason: string | null;
}

export type UtilizationGrain = 1 | 7 | 30;
export type UtilizationTrend = 'UP' | 'DOWN' | 'SAME';

export interface UtilizationDay {
  /** UTC day, `yyyy-mm-dd`. */
  day: string;
  capacity: string;
  consumed: string;
  utilizationPct: number | null;
}

/** Empty (null values, no days) until benefit runs have happened. */
export interface Utilization {
  /** Percentages over the last 1, 7 and 30 days with results. */
  aggregates: { grain: UtilizationGrain; value: number | null }[];
  /** The last 7 days against the 7 before; null with fewer than 14 days. */
  trend: UtilizationTrend | null;
  /** Up to 30 days, oldest first. */
  daily: UtilizationDay[];
}

export interface CommitmentPatch {
  displayName?: string;
  appliedScopeType?: AppliedScopeType;
  appliedScope?: AppliedScope;
  renew?: boolean;
}

export interface BillMonth {
  /** "2026-11" */
  month: string;
  total: string;
  currency: string;
  entries: number;
  /** A month ahead: only scheduled instalments. */
  forecast: boolean;
  current: boolean;
}

export interface BillMonths {
  /** The current and past months, newest first. */
  items: BillMonth[];
  /** Months ahead, in calendar order. */
  forecasts: BillMonth[];
}

export type BillLineType =
  | 'purchase'
  | 'instalment'
  | 'refund'
  | 'cancelled-instalment'
  | 'exchange-credit'
  | 'usage';

export interface BillLine {
  id: number;
  /** The day in the month the line belongs to, `yyyy-mm-dd`. */
  date: string;
  type: BillLineType;
  kind: CommitmentKind | null;
  boughtBy: 'partner' | 'customer' | null;
  /** A customer's own savings plan: not in the Partner Center API (B3). */
  beyondPartnerCenter?: boolean;
  exchangedFrom: string | null;
  commitmentId: string | null;
  subscriptionId: string | null;
  commitmentName: string | null;
  description: string;
  amount: string;
  currency: string;
  /** Scheduled, not yet charged. */
  forecast: boolean;
}

export interface Bill {
  month: string;
  currency: string;
  forecast: boolean;
  total: string;
  lines: BillLine[];
}

// The partner's own jobs (R20): customers, their users, billing profiles, Azure plans.

/** The billing profile fields a partner fills in when adding a customer and may edit later. */
export interface BillingProfileFields {
  companyName: string;
  email: string;
  firstName: string;
  lastName: string;
  addressLine1: string;
  city: string;
  state: string;
  postalCode: string;
  phone: string;
  culture: string;
  language: string;
}

export interface BillingProfile extends BillingProfileFields {
  customerId: string;
  /** Set when the customer was created; never changed. */
  country: string;
  currency: string;
  etag: string;
  /** Admin and Helpdesk agents edit; Sales agents read. */
  canEdit: boolean;
}

export type BillingProfilePatch = Partial<BillingProfileFields>;

export interface NewCustomerBody extends BillingProfileFields {
  domain: string;
  country: string;
  currency?: string;
  user: { email: string; displayName: string };
}

/** A user just made: its initial password is in this answer and nowhere else. */
export interface CreatedUser {
  id: string;
  email: string;
  displayName: string;
  createdAt: string;
  initialPassword: string;
}

export interface CreatedCustomer {
  customer: CustomerDetail;
  user: CreatedUser;
}

export interface CustomerUser {
  id: string;
  email: string;
  displayName: string;
  createdAt: string;
  roles: { subscriptionId: string; subscriptionName: string; role: SubscriptionRole }[];
}

export interface CustomerUserList extends ItemList<CustomerUser> {
  canAdd: boolean;
}

export type AzurePlanResult = SubscriptionView & { orderId: string };

// Customer invoices and credit notes (B10): `src/api/mitra/invoice-schemas.ts` is the source.

export type InvoiceKind = 'invoice' | 'credit_note';
/** draft: the month is open; issued: numbered and final; credited: corrected by a credit note. */
export type InvoiceStatus = 'draft' | 'issued' | 'credited';
export type DocumentLanguage = 'en' | 'id';
export type DocumentFormat = 'pdf' | 'csv';

export interface InvoiceSummary {
  /** Stable: a draft keeps its id when issued. */
  id: string;
  kind: InvoiceKind;
  /** Null while draft. */
  number: string | null;
  /** "2026-11" */
  month: string;
  status: InvoiceStatus;
  /** Null when a draft cannot be priced yet (no exchange rate). */
  total: string | null;
  currency: string;
}

export interface InvoiceLine {
  /** Null for usage on a draft: it is written to the ledger when the month closes. */
  ledgerEntryId: number | null;
  date: string;
  type: BillLineType;
  description: string;
  commitmentId: string | null;
  subscriptionId: string | null;
  /** In the invoice's currency, rounded to its minor unit. */
  amount: string;
  /** In the ledger's currency, before conversion. */
  ledgerAmount: string;
}

export interface ExchangeRateUsed {
  base: string;
  quote: string;
  rate: string;
  /** The day the rate is for. */
  date: string;
}

export interface InvoiceDetail extends Omit<InvoiceSummary, 'total'> {
  issuedAt: string | null;
  issuedBy: string | null;
  ledgerCurrency: string;
  exchangeRate: ExchangeRateUsed | null;
  taxName: string;
  /** Percent, e.g. "11". */
  taxRate: string;
  subtotal: string;
  tax: string;
  total: string;
  lines: InvoiceLine[];
  billTo: {
    companyName: string;
    address: string[];
    email: string;
    country: string;
    language: string;
  };
  /** The invoice this document corrects (a credit note's, or a replacement's), by id. */
  corrects: string | null;
  creditedBy: string | null;
  reason: string | null;
  /** Drafts: the day the month closes by itself. */
  closesOn: string | null;
}

export interface MonthClosed {
  month: string;
  /** It had been closed before: nothing new was issued. */
  alreadyClosed: boolean;
  invoices: { id: string; customerId: string; number: string; total: string; currency: string }[];
}

export interface CreditNoteResult {
  creditNote: { id: string; number: string };
  replacement: { id: string; number: string };
}

export interface TaxSettings {
  /** Percent as a decimal string, e.g. "11". */
  taxRate: string;
  /** PPN, VAT, GST … */
  taxName: string;
}

/** The partner's cost views (issue 9): figures in `currency`, rounded; null where the view has none. */
export type CostView = 'actual' | 'amortized';
export interface CostFigures {
  usageRetail: string;
  usage: string;
  purchases: string | null;
  unusedReservations: string | null;
  unusedSavingsPlans: string | null;
  partnerPays: string;
  billed: string;
  margin: string;
  savings: string;
}
export interface PartnerCosts {
  month: string;
  view: CostView;
  currency: string;
  closed: boolean;
  lines: (CostFigures & { customerId: string; customerName: string })[];
  total: CostFigures;
}
export interface CustomerCosts {
  customerId: string;
  customerName: string;
  customerDomain: string;
  billingCurrency: string;
  from: string;
  to: string;
  view: CostView;
  currency: string;
  lines: (CostFigures & { month: string; closed: boolean })[];
  total: CostFigures;
}

// The customer's cost analysis (R17, R18): GET /api/my/costs.
export type CostPreset = 'thisMonth' | 'lastMonth' | 'last30Days' | 'last90Days';
export type CostGrouping = 'day' | 'meter' | 'resourceGroup' | 'resource' | 'subscription' | 'location';
export interface CostRate {
  base: string;
  quote: string;
  rate: string;
  date: string;
}
export interface CostLineView {
  day?: string;
  subscriptionId?: string;
  resourceGroup?: string;
  resourceId?: string;
  location?: string;
  meterCategory?: string;
  meter?: string;
  quantity: string;
  /** In the billing currency, rounded to its minor unit. */
  cost: string;
}
export interface CostAnalysis {
  currency: string;
  rate: CostRate | null;
  from: string;
  /** Last day shown, inclusive. */
  to: string;
  groupBy: CostGrouping;
  subscriptions: { id: string; azureSubscriptionId: string; name: string }[];
  resourceGroup: string | null;
  /** Σ of the rounded lines. */
  total: string;
  rows: CostLineView[];
}
export interface CostAnalysisQuery {
  preset?: CostPreset;
  from?: string;
  to?: string;
  subscriptionId?: string;
  resourceGroup?: string;
  groupBy: CostGrouping;
}

// The notification feed (B1): GET /api/notifications and the caller's delivery preferences.
export interface NotificationEntry {
  id: string;
  eventId: string;
  type: string;
  label: string;
  occurredAt: string;
  read: boolean;
  readAt: string | null;
  /** A short sentence in the language asked for (`lang`). */
  sentence: string;
  /** The partner-portal path of the object the entry is about. */
  link: string;
  customer: { id: string; name: string } | null;
  /** A customer's own savings plan: not in the partner-center dialect (R11, B3). */
  beyondPartnerCenter: boolean;
  data: Record<string, unknown>;
}

export interface NotificationPage {
  items: NotificationEntry[];
  continuationToken: string | null;
}

export interface NotificationPreference {
  type: string;
  label: string;
  inApp: boolean;
  email: boolean;
}

/** Spend guardrails (B2): an amount in a currency. */
export interface MoneyAmount {
  amount: string;
  currency: string;
}

/** A customer's monthly limit and approval threshold, with this month's spending (billing currency). */
export interface GuardrailsView {
  monthlyLimit: MoneyAmount | null;
  approvalThreshold: MoneyAmount | null;
  changedAt: string | null;
  changedBy: string | null;
  month: string;
  billingCurrency: string;
  spent: MoneyAmount;
  limitInBillingCurrency: MoneyAmount | null;
  remaining: MoneyAmount | null;
}

export interface GuardrailsBody {
  monthlyLimit: MoneyAmount | null;
  approvalThreshold: MoneyAmount | null;
}

export type ApprovalStatus = 'pending' | 'approved' | 'declined' | 'price-changed';

/** A customer's purchase held above its approval threshold (B2). */
export interface ApprovalView {
  id: string;
  customer: { id: string; name: string };
  kind: 'reservation' | 'savingsPlan';
  status: ApprovalStatus;
  displayName: string | null;
  sku: string | null;
  region: string | null;
  quantity: number;
  hourlyCommitment: string | null;
  term: string;
  billingPlan: string;
  total: string;
  currency: string;
  threshold: MoneyAmount;
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  reason: string | null;
  newPrice: { total: string; unitPrice: string; currency: string } | null;
  commitmentId: string | null;
}

/** What a customer's purchase answers when it is held for approval (202). */
export interface HeldPurchase {
  status: 'awaiting-approval' | 'awaiting-confirmation';
  approvalId: string;
}

/** The partner's alert settings (B11): GET/PUT /api/alert-settings. */
export interface AlertSettings {
  underutilization: { thresholdPercent: number; windowDays: number };
}

/** A webhook endpoint (B1); its secret is answered once, when created or rotated. */
export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string;
  events: string[];
  enabled: boolean;
  disabledReason: string | null;
  previousSecretValidUntil: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookEndpointWithSecret extends WebhookEndpoint {
  secret: string;
}

export interface WebhookAttempt {
  attemptedAt: string;
  responseStatus: number | null;
  error: string | null;
  durationMs: number;
  replay: boolean;
}

export interface WebhookDelivery {
  id: string;
  eventId: string;
  eventType: string;
  occurredAt: string;
  status: 'pending' | 'succeeded' | 'failed';
  attemptCount: number;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  lastResponseStatus: number | null;
  lastError: string | null;
  attempts: WebhookAttempt[];
}

/** What-if (B4): `POST /api/customers/{id}/what-if` and `POST /api/my/what-if` (docs/api-mitra.md). */
export type WhatIfCandidate = CommitmentBody & { kind: 'reservation' | 'savingsPlan' };

export interface WhatIfRequest {
  lookbackDays: 7 | 30 | 60;
  /** 1 to 10. */
  candidates: WhatIfCandidate[];
}

/** One side of the comparison; money fields are absent when `moneyHidden` is set. */
export interface WhatIfSide {
  eligibleQuantity: number;
  coveredQuantity: number;
  coveragePct: number | null;
  actualCost?: string;
  amortizedCost?: string;
}

export interface WhatIfCandidateResult {
  kind: 'reservation' | 'savingsPlan';
  sku: string | null;
  region: string | null;
  quantity: number | null;
  hourlyCommitment: string | null;
  term: string;
  billingPlan: string;
  appliedScopeType: string;
  utilizationPct: number | null;
  unusedHours: number;
  idleHours: number;
  activeHours: number;
  coveredQuantity: number;
  hourlyCost?: string;
  totalCost?: string;
  windowCost?: string;
  coveredPaygCost?: string;
  breakEvenMonth?: number | null;
}

export interface WhatIfResult {
  customerId: string;
  lookbackDays: 7 | 30 | 60;
  period: { from: string; to: string };
  currency: string;
  priceList: 'customer' | 'default' | 'retail';
  moneyHidden?: string;
  today: WhatIfSide;
  withCandidates: WhatIfSide;
  savings?: { actualCost: string; amortizedCost: string };
  candidates: WhatIfCandidateResult[];
  daily: {
    day: string;
    today: WhatIfSide;
    withCandidates: WhatIfSide;
    candidates: { utilizationPct: number | null }[];
  }[];
}
