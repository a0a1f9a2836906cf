import type {
  ActivityFilters,
  ActivityView,
  AlertSettings,
  ApprovalStatus,
  ApprovalView,
  AzurePlanResult,
  Bill,
  BillingProfile,
  BillingProfilePatch,
  BillMonths,
  CatalogEntry,
  CommitmentBody,
  CommitmentKind,
  CommitmentList,
  CommitmentPatch,
  CommitmentQuote,
  CommitmentView,
  CostAnalysis,
  CostAnalysisQuery,
  CostManagementView,
  CostView,
  CreatedCustomer,
  CreatedUser,
  CreditNoteResult,
  CustomerCosts,
  CustomerDetail,
  CustomerPage,
  CustomerUserList,
  DocumentFormat,
  DocumentLanguage,
  ExchangeQuote,
  ExchangeResult,
  GuardrailsBody,
  GuardrailsView,
  HeldPurchase,
  InvoiceDetail,
  InvoiceSummary,
  ItemList,
  Me,
  MonthClosed,
  MySubscriptionView,
  NewCustomerBody,
  NotificationPage,
  NotificationPreference,
  OrderView,
  Page,
  PartnerCosts,
  PermissionResource,
  PermissionsView,
  PriceKind,
  PriceListResponse,
  RefundQuote,
  RefundResult,
  RoleAssignmentList,
  RoleAssignmentView,
  SubscriptionRole,
  SubscriptionView,
  TaxSettings,
  Utilization,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEndpointWithSecret,
} from './api-types.ts';

export * from './api-types.ts';

/** The CSV of a cost view: a plain link, so the browser saves it with the session cookie. */
export const myCostsCsvUrl = (query: CostAnalysisQuery) =>
  withQuery('/api/my/costs', { ...query, format: 'csv' });

/** An error answered by the API: `{"error": {"code", "message"}}` plus the HTTP status. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Extra facts some errors carry, such as `field`: which input the sentence is about. */
  readonly details?: Record<string, unknown>;

  constructor(status: number, code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export const isApiError = (error: unknown, status?: number): error is ApiError =>
  error instanceof ApiError && (status === undefined || error.status === status);

type Query = Record<string, string | number | null | undefined>;

function withQuery(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(
      0,
      'network-error',
      'The server could not be reached. Check your connection and try again.',
    );
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let payload: any;
  try {
    payload = text ? JSON.parse(text) : undefined;
  } catch {
    payload = undefined;
  }
  if (!response.ok) {
    const error = payload?.error;
    throw new ApiError(
      response.status,
      typeof error?.code === 'string' ? error.code : `http-${response.status}`,
      typeof error?.message === 'string' ? error.message : response.statusText || 'The request failed.',
      error?.details && typeof error.details === 'object' ? error.details : undefined,
    );
  }
  return payload as T;
}

const customerPath = (id: string) => `/api/customers/${encodeURIComponent(id)}`;
/** `reservations` or `savings-plans`: the path segment of each kind of commitment. */
export const commitmentSegment = (kind: CommitmentKind) =>
  kind === 'reservation' ? 'reservations' : 'savings-plans';
const myCommitmentsPath = (kind: CommitmentKind) => `/api/my/${commitmentSegment(kind)}`;
const customerCommitmentsPath = (id: string, kind: CommitmentKind) =>
  `${customerPath(id)}/${commitmentSegment(kind)}`;
const enc = encodeURIComponent;

/** The partner's cost views as CSV: plain links (the session cookie goes along). */
export const partnerCostsCsvUrl = (month: string, view: CostView) =>
  `/api/costs?month=${enc(month)}&view=${view}&format=csv`;
export const customerCostsCsvUrl = (customerId: string, from: string, to: string, view: CostView) =>
  `${customerPath(customerId)}/costs?from=${enc(from)}&to=${enc(to)}&view=${view}&format=csv`;

/** The monthly bill as CSV: a plain link (the session cookie goes along), `yyyy-mm`. */
export const billCsvUrl = (customerId: string, month: string) =>
  `${customerPath(customerId)}/bills/${enc(month)}.csv`;
/**
 * Where reservations and savings plans are priced and bought: `/api/my` for a customer user buying
 * for its own organisation, `/api/customers/{id}` for the partner buying on a customer's behalf
 * (R20). The same catalog, quote and purchase calls work under both.
 */
export const myPurchaseBase = '/api/my';
export const customerPurchaseBase = (customerId: string) => customerPath(customerId);
const purchases = {
  reservationCatalog: (base: string) => request<ItemList<CatalogEntry>>('GET', `${base}/reservation-catalog`),
  quote: (base: string, kind: CommitmentKind, body: CommitmentBody) =>
    request<CommitmentQuote>('POST', `${base}/${commitmentSegment(kind)}/quote`, body),
  /** The key is made once per purchase attempt and sent again on a retry of the same submission. */
  buy: (base: string, kind: CommitmentKind, body: CommitmentBody, idempotencyKey: string) =>
    request<CommitmentView | HeldPurchase>('POST', `${base}/${commitmentSegment(kind)}`, body, {
      'Idempotency-Key': idempotencyKey,
    }),
};

/**
 * An invoice as a document: a plain link (the session cookie goes along) that the server answers
 * with the PDF (inline) or the CSV (attachment), in the language asked for.
 */
const documentUrl = (path: string, format: DocumentFormat, lang: DocumentLanguage) =>
  withQuery(path, { format, lang });
const customerInvoicePath = (customerId: string, invoiceId: string) =>
  `${customerPath(customerId)}/invoices/${enc(invoiceId)}`;
export const customerInvoiceDocumentUrl = (
  customerId: string,
  invoiceId: string,
  format: DocumentFormat,
  lang: DocumentLanguage,
) => documentUrl(customerInvoicePath(customerId, invoiceId), format, lang);
export const myInvoiceDocumentUrl = (invoiceId: string, format: DocumentFormat, lang: DocumentLanguage) =>
  documentUrl(`/api/my/invoices/${enc(invoiceId)}`, format, lang);

const roleAssignmentsPath = (id: string, subscriptionId: string) =>
  `${customerPath(id)}/subscriptions/${encodeURIComponent(subscriptionId)}/role-assignments`;

const webhookPath = (id: string) => `/api/webhooks/${encodeURIComponent(id)}`;
export const api = {
  webhooks: () => request<ItemList<WebhookEndpoint>>('GET', '/api/webhooks'),
  createWebhook: (body: { url: string; events: string[]; description?: string }) =>
    request<WebhookEndpointWithSecret>('POST', '/api/webhooks', body),
  updateWebhook: (
    id: string,
    body: { enabled?: boolean; url?: string; events?: string[]; description?: string },
  ) => request<WebhookEndpoint>('PATCH', webhookPath(id), body),
  deleteWebhook: (id: string) => request<void>('DELETE', webhookPath(id)),
  rotateWebhookSecret: (id: string) =>
    request<WebhookEndpointWithSecret>('POST', `${webhookPath(id)}/rotate-secret`),
  testWebhook: (id: string) => request<WebhookDelivery>('POST', `${webhookPath(id)}/test`),
  webhookDeliveries: (id: string) =>
    request<ItemList<WebhookDelivery>>('GET', `${webhookPath(id)}/deliveries`),
  replayWebhookDelivery: (id: string, deliveryId: string) =>
    request<WebhookDelivery>(
      'POST',
      `${webhookPath(id)}/deliveries/${encodeURIComponent(deliveryId)}/replay`,
    ),

  signIn: (email: string, password: string) => request<Me>('POST', '/api/session', { email, password }),
  signOut: () => request<void>('DELETE', '/api/session'),
  me: () => request<Me>('GET', '/api/me'),

  customers: (query: { search?: string; size?: number; continuationToken?: string | null }) =>
    request<CustomerPage>('GET', withQuery('/api/customers', query)),
  customer: (id: string) => request<CustomerDetail>('GET', `/api/customers/${encodeURIComponent(id)}`),
  customerSubscriptions: (id: string) =>
    request<ItemList<SubscriptionView>>('GET', `/api/customers/${encodeURIComponent(id)}/subscriptions`),
  customerOrders: (id: string) =>
    request<ItemList<OrderView>>('GET', `/api/customers/${encodeURIComponent(id)}/orders`),

  permissions: (id: string) => request<PermissionsView>('GET', `${customerPath(id)}/permissions`),
  setPermission: (id: string, resource: PermissionResource, allowed: boolean) =>
    request<PermissionsView>('PUT', `${customerPath(id)}/permissions/${resource}`, { allowed }),

  guardrails: (id: string) => request<GuardrailsView>('GET', `${customerPath(id)}/guardrails`),
  setGuardrails: (id: string, body: GuardrailsBody) =>
    request<GuardrailsView>('PUT', `${customerPath(id)}/guardrails`, body),
  approvals: (status?: ApprovalStatus) =>
    request<ItemList<ApprovalView>>('GET', withQuery('/api/approvals', { status })),
  approve: (id: string) => request<ApprovalView>('POST', `/api/approvals/${enc(id)}/approve`),
  decline: (id: string, reason: string) =>
    request<ApprovalView>('POST', `/api/approvals/${enc(id)}/decline`, { reason }),
  confirmApprovalPrice: (id: string, total: string) =>
    request<ApprovalView>('POST', `/api/my/approvals/${enc(id)}/confirm`, { total }),
  costManagement: (id: string) => request<CostManagementView>('GET', `${customerPath(id)}/cost-management`),
  setCostManagement: (id: string, enabled: boolean) =>
    request<CostManagementView>('PUT', `${customerPath(id)}/cost-management`, { enabled }),

  roleAssignments: (id: string, subscriptionId: string) =>
    request<RoleAssignmentList>('GET', roleAssignmentsPath(id, subscriptionId)),
  addRoleAssignment: (id: string, subscriptionId: string, body: { userId: string; role: SubscriptionRole }) =>
    request<RoleAssignmentView>('POST', roleAssignmentsPath(id, subscriptionId), body),
  removeRoleAssignment: (id: string, subscriptionId: string, assignmentId: string) =>
    request<void>('DELETE', `${roleAssignmentsPath(id, subscriptionId)}/${encodeURIComponent(assignmentId)}`),

  activity: (query: ActivityFilters & { size?: number; continuationToken?: string | null }) =>
    request<Page<ActivityView>>('GET', withQuery('/api/activity', { ...query })),
  prices: (kind: PriceKind) => request<PriceListResponse>('GET', withQuery('/api/prices', { kind })),

  mySubscriptions: () => request<ItemList<MySubscriptionView>>('GET', '/api/my/subscriptions'),

  // Customer portal: cost analysis (R17, R18); 403 cost-management-disabled while the partner has it off.
  myCosts: (query: CostAnalysisQuery) =>
    request<CostAnalysis>('GET', withQuery('/api/my/costs', { ...query })),

  // Customer portal: reservations and savings plans (R6, R12, R13).
  myReservationCatalog: () => purchases.reservationCatalog(myPurchaseBase),
  myCommitments: (kind: CommitmentKind) => request<CommitmentList>('GET', myCommitmentsPath(kind)),
  myCommitment: (kind: CommitmentKind, id: string) =>
    request<CommitmentView>('GET', `${myCommitmentsPath(kind)}/${enc(id)}`),
  quoteMyCommitment: (kind: CommitmentKind, body: CommitmentBody) =>
    purchases.quote(myPurchaseBase, kind, body),
  buyMyCommitment: (kind: CommitmentKind, body: CommitmentBody, idempotencyKey: string) =>
    purchases.buy(myPurchaseBase, kind, body, idempotencyKey),
  renameMyCommitment: (kind: CommitmentKind, id: string, displayName: string) =>
    request<CommitmentView>('PATCH', `${myCommitmentsPath(kind)}/${enc(id)}`, { displayName }),
  myUtilization: (kind: CommitmentKind, id: string) =>
    request<Utilization>('GET', `${myCommitmentsPath(kind)}/${enc(id)}/utilization`),

  // Partner portal: a customer's reservations and savings plans, post-purchase actions, bills.
  customerCommitments: (customerId: string, kind: CommitmentKind) =>
    request<CommitmentList>('GET', customerCommitmentsPath(customerId, kind)),
  customerCommitment: (customerId: string, kind: CommitmentKind, id: string) =>
    request<CommitmentView>('GET', `${customerCommitmentsPath(customerId, kind)}/${enc(id)}`),
  customerUtilization: (customerId: string, kind: CommitmentKind, id: string) =>
    request<Utilization>('GET', `${customerCommitmentsPath(customerId, kind)}/${enc(id)}/utilization`),
  customerReservationCatalog: (customerId: string) =>
    purchases.reservationCatalog(customerPurchaseBase(customerId)),
  updateCustomerCommitment: (customerId: string, kind: CommitmentKind, id: string, patch: CommitmentPatch) =>
    request<CommitmentView>('PATCH', `${customerCommitmentsPath(customerId, kind)}/${enc(id)}`, patch),
  refundQuote: (customerId: string, id: string) =>
    request<RefundQuote>(
      'POST',
      `${customerCommitmentsPath(customerId, 'reservation')}/${enc(id)}/refund-quote`,
    ),
  refund: (customerId: string, id: string, reason?: string) =>
    request<RefundResult>('POST', `${customerCommitmentsPath(customerId, 'reservation')}/${enc(id)}/refund`, {
      ...(reason ? { reason } : {}),
    }),
  exchangeQuote: (customerId: string, id: string, body: CommitmentBody) =>
    request<ExchangeQuote>(
      'POST',
      `${customerCommitmentsPath(customerId, 'reservation')}/${enc(id)}/exchange-quote`,
      body,
    ),
  exchange: (customerId: string, id: string, body: CommitmentBody) =>
    request<ExchangeResult>(
      'POST',
      `${customerCommitmentsPath(customerId, 'reservation')}/${enc(id)}/exchange`,
      body,
    ),
  bills: (customerId: string) => request<BillMonths>('GET', `${customerPath(customerId)}/bills`),
  partnerCosts: (month: string, view: CostView) =>
    request<PartnerCosts>('GET', `/api/costs?month=${enc(month)}&view=${view}`),
  customerCosts: (customerId: string, from: string, to: string, view: CostView) =>
    request<CustomerCosts>(
      'GET',
      `${customerPath(customerId)}/costs?from=${enc(from)}&to=${enc(to)}&view=${view}`,
    ),
  bill: (customerId: string, month: string) =>
    request<Bill>('GET', `${customerPath(customerId)}/bills/${enc(month)}`),

  // Purchases at either base (customer portal or partner portal): the buy pages take the base.
  reservationCatalogAt: purchases.reservationCatalog,
  quoteCommitmentAt: purchases.quote,
  buyCommitmentAt: purchases.buy,

  // The partner's own jobs (R20).
  createCustomer: (body: NewCustomerBody) => request<CreatedCustomer>('POST', '/api/customers', body),
  customerUsers: (id: string) => request<CustomerUserList>('GET', `${customerPath(id)}/users`),
  addCustomerUser: (id: string, body: { email: string; displayName: string }) =>
    request<CreatedUser>('POST', `${customerPath(id)}/users`, body),
  billingProfile: (id: string) => request<BillingProfile>('GET', `${customerPath(id)}/billing-profile`),
  /** `etag` is the profile's version when it was read: a change made since is refused (412). */
  updateBillingProfile: (id: string, patch: BillingProfilePatch, etag: string) =>
    request<BillingProfile>('PATCH', `${customerPath(id)}/billing-profile`, patch, { 'If-Match': etag }),
  buyAzurePlan: (id: string, friendlyName: string) =>
    request<AzurePlanResult>('POST', `${customerPath(id)}/azure-plan`, { friendlyName }),

  // Customer invoices and credit notes (B10).
  customerInvoices: (customerId: string) =>
    request<ItemList<InvoiceSummary>>('GET', `${customerPath(customerId)}/invoices`),
  customerInvoice: (customerId: string, invoiceId: string) =>
    request<InvoiceDetail>('GET', customerInvoicePath(customerId, invoiceId)),
  creditInvoice: (customerId: string, invoiceId: string, reason: string) =>
    request<CreditNoteResult>('POST', `${customerInvoicePath(customerId, invoiceId)}/credit-note`, {
      reason,
    }),
  /** Closes the month for the caller's partner and issues every customer's invoice. */
  closeMonth: (month: string) => request<MonthClosed>('POST', '/api/invoices/issue', { month }),
  customerTax: (customerId: string) => request<TaxSettings>('GET', `${customerPath(customerId)}/tax`),
  setCustomerTax: (customerId: string, tax: TaxSettings) =>
    request<TaxSettings>('PUT', `${customerPath(customerId)}/tax`, tax),
  myInvoices: () => request<ItemList<InvoiceSummary>>('GET', '/api/my/invoices'),
  myInvoice: (invoiceId: string) => request<InvoiceDetail>('GET', `/api/my/invoices/${enc(invoiceId)}`),

  // The signed-in partner user's notification feed and delivery choices (B1).
  notifications: (query: {
    lang: string;
    size?: number;
    unread?: boolean;
    continuationToken?: string | null;
  }) =>
    request<NotificationPage>(
      'GET',
      withQuery('/api/notifications', { ...query, unread: query.unread ? 'true' : undefined }),
    ),
  unreadNotifications: () => request<{ unreadCount: number }>('GET', '/api/notifications/unread-count'),
  markNotificationRead: (id: string) =>
    request<{ unreadCount: number }>('POST', `/api/notifications/${enc(id)}/read`),
  markAllNotificationsRead: () =>
    request<{ marked: number; unreadCount: number }>('POST', '/api/notifications/read-all'),
  notificationPreferences: (lang: string) =>
    request<ItemList<NotificationPreference>>('GET', withQuery('/api/notification-preferences', { lang })),
  alertSettings: () => request<AlertSettings>('GET', '/api/alert-settings'),
  setAlertSettings: (settings: AlertSettings) =>
    request<AlertSettings>('PUT', '/api/alert-settings', settings),
  setNotificationPreferences: (lang: string, items: { type: string; inApp: boolean; email: boolean }[]) =>
    request<ItemList<NotificationPreference>>('PUT', withQuery('/api/notification-preferences', { lang }), {
      items,
    }),
};
