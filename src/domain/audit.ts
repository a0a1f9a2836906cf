/**
 * The activity log's vocabulary. Operation and resource types are the partner-center audit API's
 * own enum values (snake_case on the wire); the labels are what the portal shows.
 */
export const operationTypes = [
  'add_customer',
  'update_customer_billing_profile',
  'create_customer_user',
  'create_order',
  'update_order',
  'update_subscription',
  'register_application',
  'create_self_serve_policy',
  'update_self_serve_policy',
  'delete_self_serve_policy',
  'create_role_assignment',
  'delete_role_assignment',
  'update_reservation',
  'refund_reservation',
  'exchange_reservation',
  'close_billing_month',
  'issue_invoice',
  'issue_credit_note',
  'update_customer_tax',
  'import_exchange_rates',
  'update_customer_price_list',
  'update_default_price_list',
  'update_price_list_settings',
  'import_price_sheet',
  // Mitra's own: the per-customer cost management switch (R17).
  'enable_customer_cost_management',
  'disable_customer_cost_management',
  // Mitra's own: the operator's `mitra usage import` and `mitra benefits run` (not partner center's).
  'import_usage',
  'apply_benefits',
  // Mitra's own: spend guardrails and purchase approvals (B2).
  'update_customer_guardrails',
  'request_purchase_approval',
  'approve_purchase',
  'decline_purchase',
  'confirm_purchase_price',
  // Mitra's own: the partner's alert settings (B11).
  'update_alert_settings',
  // Mitra's own: webhook endpoints (B1).
  'create_webhook_endpoint',
  'update_webhook_endpoint',
  'delete_webhook_endpoint',
  'rotate_webhook_secret',
  'replay_webhook_delivery',
  'test_webhook_endpoint',
] as const;
export type OperationType = (typeof operationTypes)[number];

export const resourceTypes = [
  'customer',
  'customer_user',
  'order',
  'subscription',
  'application',
  'self_serve_policy',
  'partner_user',
  'role_assignment',
  'reservation',
  'savings_plan',
  'invoice',
  'billing_period',
  'exchange_rate',
  'price_list',
  'usage',
  'cost_management',
  'guardrails',
  'purchase_approval',
  'alert_settings',
  'webhook_endpoint',
] as const;

/**
 * Records that stay out of the partner-center dialect: a customer's own savings plans (R11), and
 * Mitra's own invoicing, cost management switch and the operator's usage imports and benefit runs, which partner center
 * has no words for (its SDKs' enums would refuse them). Mitra's activity log shows them (B3).
 */
export const beyondPartnerCenterResourceTypes: readonly string[] = [
  'savings_plan',
  'invoice',
  'billing_period',
  'exchange_rate',
  'usage',
  'cost_management',
  'guardrails',
  'purchase_approval',
  'alert_settings',
  'webhook_endpoint',
];
export type ResourceType = (typeof resourceTypes)[number];

export const operationLabels: Record<OperationType, string> = {
  add_customer: 'Add customer',
  update_customer_billing_profile: 'Update customer billing profile',
  create_customer_user: 'Create customer user',
  create_order: 'Create order',
  update_order: 'Update order',
  update_subscription: 'Update subscription',
  register_application: 'Register application',
  create_self_serve_policy: 'Create Customer Purchase Permission',
  update_self_serve_policy: 'Update Customer Purchase Permission',
  delete_self_serve_policy: 'Delete Customer Purchase Permission',
  create_role_assignment: 'Assign role',
  delete_role_assignment: 'Remove role',
  update_reservation: 'Update reservation',
  refund_reservation: 'Refund reservation',
  exchange_reservation: 'Exchange reservation',
  close_billing_month: 'Close billing month',
  issue_invoice: 'Issue invoice',
  issue_credit_note: 'Issue credit note',
  update_customer_tax: 'Update customer tax',
  import_exchange_rates: 'Import exchange rates',
  update_customer_price_list: 'Update customer price list',
  update_default_price_list: 'Update default price list',
  update_price_list_settings: 'Update price list settings',
  import_price_sheet: 'Import price sheet',
  enable_customer_cost_management: 'Enable customer cost management',
  disable_customer_cost_management: 'Disable customer cost management',
  import_usage: 'Import usage',
  apply_benefits: 'Apply benefits',
  update_customer_guardrails: 'Update customer guardrails',
  request_purchase_approval: 'Request purchase approval',
  approve_purchase: 'Approve purchase',
  decline_purchase: 'Decline purchase',
  confirm_purchase_price: 'Confirm new purchase price',
  update_alert_settings: 'Update alert settings',
  create_webhook_endpoint: 'Add webhook endpoint',
  update_webhook_endpoint: 'Update webhook endpoint',
  delete_webhook_endpoint: 'Delete webhook endpoint',
  rotate_webhook_secret: 'Rotate webhook secret',
  replay_webhook_delivery: 'Replay webhook delivery',
  test_webhook_endpoint: 'Send test webhook',
};

/** The audit API keeps 90 days; older start dates are refused, as partner center does. */
export const auditRetentionDays = 90;
