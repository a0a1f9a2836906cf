import { beyondPartnerCenterResourceTypes } from '../../domain/audit.ts';
import type { listAuditRecords } from '../../services/audit-records.ts';
import type { listOrders } from '../../services/orders.ts';
import type { Customer, Subscription } from '../../store/schema.ts';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function customerSummary(c: Customer & { subscription_count: number; has_azure_plan: boolean }) {
  return {
    id: c.id,
    companyName: c.company_name,
    domain: c.domain,
    country: c.country,
    currency: c.currency,
    createdAt: iso(c.created_at),
    subscriptionCount: c.subscription_count,
    hasAzurePlan: Boolean(c.has_azure_plan),
  };
}

export function customerDetail(c: Customer) {
  return {
    id: c.id,
    companyName: c.company_name,
    domain: c.domain,
    country: c.country,
    currency: c.currency,
    culture: c.culture,
    language: c.language,
    email: c.email,
    relationship: c.relationship,
    createdAt: iso(c.created_at),
    contact: { firstName: c.first_name, lastName: c.last_name, phone: c.phone },
    address: {
      line1: c.address_line1,
      city: c.city,
      state: c.state,
      postalCode: c.postal_code,
      country: c.country,
    },
  };
}

export function subscriptionView(s: Subscription) {
  return {
    id: s.id,
    entitlementId: s.entitlement_id,
    offerId: s.offer_id,
    offerName: s.offer_name,
    friendlyName: s.friendly_name,
    productType: s.product_type,
    status: s.status,
    quantity: s.quantity,
    unitType: s.unit_type,
    billingCycle: s.billing_cycle,
    termDuration: s.term_duration,
    autoRenew: s.auto_renew,
    createdAt: iso(s.created_at),
  };
}

export function orderView(o: Awaited<ReturnType<typeof listOrders>>[number]) {
  return {
    id: o.id,
    createdAt: iso(o.created_at),
    status: o.status,
    billingCycle: o.billing_cycle,
    currency: o.currency,
    totalPrice: o.total_price,
    boughtBy: o.bought_by,
    createdBy: o.created_by,
    lineItems: o.lineItems.map((l) => ({
      lineItemNumber: l.line_item_number,
      offerId: l.offer_id,
      friendlyName: l.friendly_name,
      quantity: l.quantity,
      termDuration: l.term_duration,
      billingCycle: l.billing_cycle,
      unitPrice: l.unit_price,
    })),
  };
}

export function activityView(r: Awaited<ReturnType<typeof listAuditRecords>>['items'][number]) {
  return {
    id: r.id,
    operationDate: iso(r.operation_date),
    customerId: r.customer_id,
    customerName: r.customer_name,
    operationType: r.operation_type,
    resourceType: r.resource_type,
    userPrincipalName: r.user_principal_name,
    applicationId: r.application_id,
    operationStatus: r.operation_status,
    oldValue: r.resource_old_value,
    newValue: r.resource_new_value,
    details: r.customized_data,
    /** Not in partner center's activity log (R11): shown by Mitra only (B3). */
    beyondPartnerCenter: beyondPartnerCenterResourceTypes.includes(r.resource_type),
  };
}
