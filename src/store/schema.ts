import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** Timestamps come back as Date and may be written as Date or ISO string. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
/** numeric: a decimal string both ways, so money never passes through a float. */
type Decimal = ColumnType<string, string, string>;
type Json<T> = ColumnType<T, string, string>;

export type PartnerRole = 'admin_agent' | 'sales_agent' | 'helpdesk_agent';
export type SubscriptionRole = 'Owner' | 'Contributor' | 'Reader';
export type ProductType = 'azure_plan' | 'azure_global' | 'license';

export interface PartnersTable {
  id: string;
  name: string;
  domain: string;
  country: string;
  currency: string;
  /** Whether customer users see the retail price beside theirs (B9); partner users always do. */
  show_retail_to_customers: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: CreatedAt;
}

export interface PartnerUsersTable {
  id: string;
  partner_id: string;
  email: string;
  display_name: string;
  role: PartnerRole;
  password_hash: string;
  created_at: CreatedAt;
}

export interface ApplicationsTable {
  id: string;
  partner_id: string;
  display_name: string;
  secret_hash: string;
  created_by: string;
  created_at: CreatedAt;
}

export interface CustomersTable {
  id: string;
  partner_id: string;
  commerce_id: string;
  company_name: string;
  domain: string;
  country: string;
  currency: string;
  culture: string;
  language: string;
  email: string;
  first_name: string;
  last_name: string;
  address_line1: string;
  city: string;
  state: ColumnType<string, string | undefined, string>;
  postal_code: string;
  phone: ColumnType<string, string | undefined, string>;
  relationship: ColumnType<string, string | undefined, string>;
  /** Percent, e.g. "11" for Indonesia's PPN; applied once to an invoice's rounded subtotal. */
  tax_rate: ColumnType<string, string | undefined, string>;
  tax_name: ColumnType<string, string | undefined, string>;
  created_at: CreatedAt;
}

export interface CustomerUsersTable {
  id: string;
  customer_id: string;
  email: string;
  display_name: string;
  password_hash: string;
  created_at: CreatedAt;
}

export interface SubscriptionsTable {
  id: string;
  customer_id: string;
  partner_id: string;
  entitlement_id: string | null;
  offer_id: string;
  offer_name: string;
  friendly_name: string;
  product_type: ProductType;
  status: 'active' | 'suspended' | 'deleted' | 'expired' | 'pending' | 'disabled';
  quantity: ColumnType<number, number | undefined, number>;
  unit_type: string;
  billing_type: 'usage' | 'license';
  billing_cycle: string;
  term_duration: string | null;
  auto_renew: ColumnType<boolean, boolean | undefined, boolean>;
  order_id: string | null;
  effective_start_date: Timestamp;
  commitment_end_date: Date | string | null;
  created_at: CreatedAt;
}

export interface RoleAssignmentsTable {
  id: string;
  subscription_id: string;
  customer_user_id: string;
  role: SubscriptionRole;
  created_at: CreatedAt;
}

export interface ProductsTable {
  id: string;
  title: string;
  description: string;
  product_type: string;
  target_view: string;
  reservation_type: string | null;
}

export interface SkusTable {
  product_id: string;
  id: string;
  title: string;
  description: string;
  arm_sku_name: string | null;
  region: string | null;
  isf_group: string | null;
  isf_ratio: string | null;
  minimum_quantity: ColumnType<number, number | undefined, number>;
  maximum_quantity: ColumnType<number, number | undefined, number>;
  provisioning_variables: Json<string[]>;
}

export interface AvailabilitiesTable {
  product_id: string;
  sku_id: string;
  id: string;
  catalog_item_id: string;
  term_duration: string | null;
  billing_cycles: Json<string[]>;
}

export interface PriceListsTable {
  id: string;
  partner_id: string | null;
  kind: 'retail' | 'partner';
  name: string;
  currency: string;
  created_at: CreatedAt;
}

export type BillingPlan = 'upfront' | 'monthly' | 'usage' | 'license_monthly';

export interface PricesTable {
  price_list_id: string;
  catalog_item_id: string;
  term_duration: ColumnType<string, string | undefined, string>;
  billing_plan: BillingPlan;
  unit_price: Decimal;
  unit: string;
}

/** A customer's (or, with customer_id null, the partner's default) price list as of a moment; never changed. */
export interface PriceListVersionsTable {
  id: string;
  seq: Generated<number>;
  partner_id: string;
  customer_id: string | null;
  effective_from: Timestamp;
  /** Percent on retail, numeric(7, 2): "10.00" is +10 %, "-5.00" a 5 % discount. */
  markup_usage: Decimal;
  markup_reservations: Decimal;
  markup_savings_plans: Decimal;
  markup_licences: Decimal;
  created_by: string;
  created_at: CreatedAt;
}

export interface PriceListOverridesTable {
  version_id: string;
  catalog_item_id: string;
  /** '' matches every term / billing plan of the item. */
  term_duration: ColumnType<string, string | undefined, string>;
  billing_plan: ColumnType<BillingPlan | '', BillingPlan | '' | undefined, BillingPlan | ''>;
  unit_price: Decimal | null;
  markup_percent: Decimal | null;
}

/** The partner's own cost per catalog item, from the cloud's price sheet (`mitra prices import`). */
export interface PartnerCostsTable {
  partner_id: string;
  catalog_item_id: string;
  term_duration: ColumnType<string, string | undefined, string>;
  billing_plan: BillingPlan;
  /** Calendar days 'yyyy-mm-dd'; the end is exclusive, null while open. */
  effective_start: string;
  effective_end: string | null;
  unit_price: Decimal;
  currency: string;
  imported_at: CreatedAt;
}

export interface CartLineItemRow {
  id: number;
  catalogItemId: string;
  friendlyName: string;
  quantity: number;
  billingCycle: string;
  termDuration: string | null;
  provisioningContext: Record<string, string>;
  currencyCode?: string;
  error?: { errorCode: string; errorDescription: string };
}

export interface CartsTable {
  id: string;
  customer_id: string;
  partner_id: string;
  status: 'active' | 'ordered' | 'expired';
  line_items: Json<CartLineItemRow[]>;
  last_modified_user: string;
  created_at: CreatedAt;
  updated_at: Timestamp;
  expires_at: Timestamp;
}

export interface OrdersTable {
  id: string;
  customer_id: string;
  partner_id: string;
  cart_id: string | null;
  billing_cycle: string;
  currency: string;
  status: 'pending' | 'completed' | 'cancelled';
  transaction_type: string;
  total_price: Decimal;
  bought_by: 'partner' | 'customer';
  created_by: string;
  created_at: CreatedAt;
}

export interface OrderLineItemsTable {
  order_id: string;
  line_item_number: number;
  offer_id: string;
  friendly_name: string;
  quantity: number;
  term_duration: string | null;
  billing_cycle: string;
  unit_price: Decimal;
  subscription_id: string | null;
  provisioning_context: Json<Record<string, string>>;
  transaction_type: ColumnType<string, string | undefined, string>;
}

export type ActorKind = 'partner_user' | 'customer_user' | 'application' | 'system';
export type OperationStatus = 'succeeded' | 'failed' | 'progress' | 'decline';

export interface AuditRecordsTable {
  seq: Generated<number>;
  id: string;
  partner_id: string;
  customer_id: string | null;
  customer_name: string | null;
  actor_kind: ActorKind;
  actor_id: string | null;
  user_principal_name: string | null;
  application_id: string | null;
  resource_type: string;
  operation_type: string;
  operation_status: OperationStatus;
  resource_old_value: string | null;
  resource_new_value: string | null;
  correlation_id: string;
  customized_data: Json<{ key: string; value: string }[]>;
  operation_date: CreatedAt;
}

export interface SessionsTable {
  id: string;
  principal_kind: 'partner_user' | 'customer_user';
  principal_id: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
}

export interface SigningKeysTable {
  id: string;
  secret: string;
  created_at: CreatedAt;
}

export interface UsageRecordsTable {
  id: Generated<number>;
  customer_id: string;
  subscription_id: string;
  hour: Timestamp;
  resource_group: string;
  region: string;
  meter_category: string;
  reserved_resource_type: string | null;
  sku: string;
  quantity: Decimal;
  payg_unit_price: Decimal;
  benefit_eligible: ColumnType<boolean, boolean | undefined, boolean>;
  sp_unit_price_p1y: ColumnType<string | null, string | null | undefined, string | null>;
  sp_unit_price_p3y: ColumnType<string | null, string | null | undefined, string | null>;
  /** The ARM resource id the usage belongs to, when the source names one. */
  resource_id: ColumnType<string | null, string | null | undefined, string | null>;
}

/** One day of one resource's meter, as the benefit run that replaced that day left it. */
export interface UsageDailyCostsTable {
  customer_id: string;
  day: string;
  subscription_id: string;
  resource_group: string;
  /** '' when the usage rows named no resource. */
  resource_id: string;
  meter_category: string;
  sku: string;
  region: string;
  usage_rows: number;
  quantity: Decimal;
  /** Quantity a reservation or savings plan covered. */
  covered_quantity: Decimal;
  /** quantity × pay-as-you-go unit price: the list cost, before any benefit. */
  retail_cost: Decimal;
  /** The engine's actual cost: uncovered quantity at pay-as-you-go (what R17 shows a customer). */
  actual_cost: Decimal;
  amortized_cost: Decimal;
}

export interface BenefitRunsTable {
  id: string;
  customer_id: string;
  period_start: Timestamp;
  period_end: Timestamp;
  status: 'running' | 'succeeded' | 'failed';
  usage_rows: ColumnType<number, number | undefined, number>;
  worker: string;
  started_at: CreatedAt;
  finished_at: Date | string | null;
  error: string | null;
}

export interface UsageBenefitsTable {
  usage_id: number;
  customer_id: string;
  hour: Timestamp;
  coverage: Json<{ by: string; quantity: number; consumed?: number }[]>;
  payg_quantity: Decimal;
  actual_cost: Decimal;
  amortized_cost: Decimal;
}

export interface CommitmentUtilizationTable {
  commitment_id: string;
  customer_id: string;
  day: string;
  capacity: Decimal;
  consumed: Decimal;
  /** Amortized cost of the capacity left unused that day (UnusedReservation / UnusedBenefit). */
  unused_cost: ColumnType<string, string | undefined, string>;
}

export interface JobsTable {
  id: Generated<number>;
  kind: string;
  payload: Json<Record<string, unknown>>;
  status: ColumnType<
    'queued' | 'running' | 'done' | 'failed',
    'queued' | 'running' | 'done' | 'failed' | undefined,
    'queued' | 'running' | 'done' | 'failed'
  >;
  attempts: ColumnType<number, number | undefined, number>;
  run_after: ColumnType<Date, Date | string | undefined, Date | string>;
  locked_by: string | null;
  locked_at: Date | string | null;
  created_at: CreatedAt;
  finished_at: Date | string | null;
  error: string | null;
}

export type PermissionResource = 'AzureReservedInstances' | 'AzureSavingsPlan';

export interface SelfServePoliciesTable {
  customer_id: string;
  partner_id: string;
  permissions: Json<{ resource: PermissionResource; action: 'Purchase' }[]>;
  etag: string;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export type CommitmentKind = 'reservation' | 'savings_plan';
export type AppliedScopeType = 'Shared' | 'Single' | 'ResourceGroup' | 'ManagementGroup';
export interface AppliedScope {
  subscriptionId?: string;
  resourceGroup?: string;
  managementGroupId?: string;
}

export interface CommitmentsTable {
  id: string;
  order_id: string;
  kind: CommitmentKind;
  customer_id: string;
  partner_id: string;
  billing_subscription_id: string;
  partner_order_id: string | null;
  bought_by: 'partner' | 'customer';
  bought_by_principal: string;
  display_name: string;
  catalog_item_id: string | null;
  sku: string;
  region: string | null;
  reserved_resource_type: string | null;
  instance_flexibility: string | null;
  quantity: number;
  hourly_commitment: string | null;
  term: 'P1Y' | 'P3Y';
  billing_plan: 'Upfront' | 'Monthly';
  applied_scope_type: AppliedScopeType;
  applied_scope: Json<AppliedScope>;
  renew: ColumnType<boolean, boolean | undefined, boolean>;
  status: 'Succeeded' | 'Cancelled' | 'Expired' | 'Exchanged';
  currency: string;
  unit_price: Decimal;
  retail_unit_price: Decimal;
  total_price: Decimal;
  purchased_at: Timestamp;
  expires_at: Timestamp;
  etag: ColumnType<number, number | undefined, number>;
  exchanged_into: string | null;
  exchanged_from: string | null;
  /** Who exchanged it (a partner's Admin agent): `bought_by` stays who bought it. */
  exchanged_by_principal: ColumnType<string | null, string | null | undefined, string | null>;
  updated_at: Timestamp;
}

export interface PriceQuotesTable {
  id: string;
  kind: CommitmentKind;
  customer_id: string;
  principal: string;
  request: Json<Record<string, unknown>>;
  price: Json<Record<string, unknown>>;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_by: string | null;
}

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  request_hash: string;
  result: Json<unknown> | null;
  created_at: CreatedAt;
}

export type LedgerEntryType =
  | 'purchase'
  | 'instalment'
  | 'refund'
  | 'cancelled_instalment'
  | 'exchange_credit'
  | 'usage';

export interface LedgerEntriesTable {
  id: Generated<number>;
  partner_id: string;
  customer_id: string;
  commitment_id: string | null;
  entry_type: LedgerEntryType;
  billing_month: ColumnType<string, string, never>;
  /** The day inside billing_month the entry belongs to. */
  entry_date: ColumnType<string, string, never>;
  /** The Azure subscription a usage charge is for; null for commitments. */
  subscription_id: ColumnType<string | null, string | null | undefined, never>;
  amount: Decimal;
  currency: string;
  description: string;
  correlation_id: string;
  created_at: CreatedAt;
}

export interface ExchangeRatesTable {
  /** 'global' (the operator's) or a partner id (that partner's own). */
  scope: string;
  base_currency: string;
  quote_currency: string;
  rate_date: string;
  rate: Decimal;
  source: string;
  imported_at: CreatedAt;
}

export interface BillingPeriodsTable {
  partner_id: string;
  month: string;
  closed_at: CreatedAt;
  closed_by: string;
}

export type InvoiceKind = 'invoice' | 'credit_note';

export interface InvoiceSequencesTable {
  partner_id: string;
  kind: InvoiceKind;
  last_number: ColumnType<number, number | undefined, number>;
}

/** One line of an issued invoice, as it was issued (a snapshot: the document never changes). */
export interface InvoiceLineRow {
  ledgerEntryId: number | null;
  date: string;
  type: string;
  description: string;
  commitmentId: string | null;
  subscriptionId: string | null;
  /** In the invoice's currency, rounded to its minor unit. */
  amount: string;
  /** The ledger amount before conversion, when the invoice is in another currency. */
  ledgerAmount: string;
}

export interface InvoiceBillTo {
  companyName: string;
  address: string[];
  email: string;
  country: string;
  language: string;
}

export interface InvoicesTable {
  id: string;
  partner_id: string;
  customer_id: string;
  kind: InvoiceKind;
  month: string;
  sequence: number;
  number: string;
  issued_at: Timestamp;
  issued_by: string;
  currency: string;
  ledger_currency: string;
  fx_rate: string | null;
  fx_rate_date: string | null;
  tax_name: string;
  tax_rate: Decimal;
  subtotal: Decimal;
  tax: Decimal;
  total: Decimal;
  lines: Json<InvoiceLineRow[]>;
  bill_to: Json<InvoiceBillTo>;
  corrects: string | null;
  reason: string | null;
}

/** A customer's cost management switch (R17); no row means off. */
export interface CostManagementSettingsTable {
  customer_id: string;
  partner_id: string;
  enabled: boolean;
  changed_at: Timestamp;
  changed_by: string;
}

export interface PartnerEventsTable {
  id: string;
  partner_id: string;
  customer_id: string | null;
  type: string;
  occurred_at: Timestamp;
  data: Json<Record<string, unknown>>;
  /** Alerts only: the condition the event reports, so it is raised once per condition. */
  condition_key: string | null;
}

export type WebhookDeliveryStatus = 'pending' | 'succeeded' | 'failed';

export interface WebhookEndpointsTable {
  id: string;
  partner_id: string;
  url: string;
  description: ColumnType<string, string | undefined, string>;
  events: Json<string[]>;
  secret: string;
  previous_secret: string | null;
  previous_secret_until: Timestamp | null;
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  disabled_reason: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface WebhookDeliveriesTable {
  /** The `webhook-id` header: the same on every attempt and replay. */
  id: string;
  endpoint_id: string;
  event_id: string;
  partner_id: string;
  status: ColumnType<WebhookDeliveryStatus, WebhookDeliveryStatus | undefined, WebhookDeliveryStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp;
  locked_until: Timestamp | null;
  last_response_status: number | null;
  last_error: string | null;
  created_at: CreatedAt;
  delivered_at: Timestamp | null;
}

export interface WebhookAttemptsTable {
  id: Generated<number>;
  delivery_id: string;
  attempted_at: Timestamp;
  response_status: number | null;
  error: string | null;
  duration_ms: number;
  replay: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface NotificationPreferencesTable {
  partner_user_id: string;
  event_type: string;
  in_app: boolean;
  email: boolean;
}

export interface NotificationsTable {
  id: string;
  partner_user_id: string;
  event_id: string;
  created_at: Timestamp;
  read_at: Timestamp | null;
}

export interface EmailOutboxTable {
  id: string;
  event_id: string;
  partner_user_id: string;
  to_address: string;
  status: ColumnType<WebhookDeliveryStatus, WebhookDeliveryStatus | undefined, WebhookDeliveryStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp;
  locked_until: Timestamp | null;
  last_error: string | null;
  created_at: CreatedAt;
  sent_at: Timestamp | null;
}

/** A partner's alert settings (B11); no row: the defaults (80 % over 7 days). */
export interface PartnerAlertSettingsTable {
  partner_id: string;
  underutilization_threshold_percent: Decimal;
  underutilization_window_days: number;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** Whether a commitment is under-used now, and how many times it fell under (the alert's key). */
export interface CommitmentAlertStateTable {
  commitment_id: string;
  underused: ColumnType<boolean, boolean | undefined, boolean>;
  underuse_episode: ColumnType<number, number | undefined, number>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface Database {
  partners: PartnersTable;
  partner_users: PartnerUsersTable;
  applications: ApplicationsTable;
  customers: CustomersTable;
  customer_users: CustomerUsersTable;
  subscriptions: SubscriptionsTable;
  role_assignments: RoleAssignmentsTable;
  products: ProductsTable;
  skus: SkusTable;
  availabilities: AvailabilitiesTable;
  price_lists: PriceListsTable;
  prices: PricesTable;
  price_list_versions: PriceListVersionsTable;
  price_list_overrides: PriceListOverridesTable;
  partner_costs: PartnerCostsTable;
  carts: CartsTable;
  orders: OrdersTable;
  order_line_items: OrderLineItemsTable;
  audit_records: AuditRecordsTable;
  sessions: SessionsTable;
  signing_keys: SigningKeysTable;
  usage_records: UsageRecordsTable;
  self_serve_policies: SelfServePoliciesTable;
  commitments: CommitmentsTable;
  price_quotes: PriceQuotesTable;
  idempotency_keys: IdempotencyKeysTable;
  ledger_entries: LedgerEntriesTable;
  benefit_runs: BenefitRunsTable;
  usage_benefits: UsageBenefitsTable;
  commitment_utilization: CommitmentUtilizationTable;
  usage_daily_costs: UsageDailyCostsTable;
  jobs: JobsTable;
  exchange_rates: ExchangeRatesTable;
  billing_periods: BillingPeriodsTable;
  invoice_sequences: InvoiceSequencesTable;
  invoices: InvoicesTable;
  cost_management_settings: CostManagementSettingsTable;
  partner_events: PartnerEventsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  notification_preferences: NotificationPreferencesTable;
  notifications: NotificationsTable;
  email_outbox: EmailOutboxTable;
  customer_guardrails: CustomerGuardrailsTable;
  purchase_approvals: PurchaseApprovalsTable;
  partner_alert_settings: PartnerAlertSettingsTable;
  commitment_alert_state: CommitmentAlertStateTable;
}

export type Customer = Selectable<CustomersTable>;
export type Subscription = Selectable<SubscriptionsTable>;
export type NewAuditRecord = Insertable<AuditRecordsTable>;

/** A customer's spend guardrails (B2); amounts in their own currency, converted when checked. */
export interface CustomerGuardrailsTable {
  customer_id: string;
  partner_id: string;
  monthly_limit_amount: Decimal | null;
  monthly_limit_currency: string | null;
  approval_threshold_amount: Decimal | null;
  approval_threshold_currency: string | null;
  changed_at: Timestamp;
  changed_by: string;
}

export type ApprovalStatus = 'pending' | 'approved' | 'declined' | 'price-changed';

/** A customer's purchase held above its approval threshold (B2). */
export interface PurchaseApprovalsTable {
  id: string;
  partner_id: string;
  customer_id: string;
  kind: CommitmentKind;
  request: Json<Record<string, unknown>>;
  request_hash: string;
  order_id: string;
  quote_id: string | null;
  idempotency_scope: string | null;
  idempotency_key: string | null;
  price: Json<Record<string, unknown>>;
  total: Decimal;
  currency: string;
  threshold_amount: Decimal;
  threshold_currency: string;
  requested_by: string;
  requested_by_user_id: string;
  requested_at: Timestamp;
  status: ColumnType<ApprovalStatus, ApprovalStatus | undefined, ApprovalStatus>;
  decided_by: string | null;
  decided_at: Timestamp | null;
  reason: string | null;
  new_price: Json<Record<string, unknown>> | null;
  commitment_id: string | null;
}
export type PurchaseApproval = Selectable<PurchaseApprovalsTable>;
