import type { listAuditRecords } from '../../services/audit-records.ts';
import type { getCart } from '../../services/carts.ts';
import type { listAvailabilities, listProducts, listSkus } from '../../services/catalog.ts';
import type { listOrders } from '../../services/orders.ts';
import type { Customer, Subscription } from '../../store/schema.ts';

/** Partner-center resource shapes (camelCase JSON, `attributes.objectType`), as in the reference §2–§5. */

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const link = (uri: string, method = 'GET', headers: { key: string; value: string }[] = []) => ({
  uri,
  method,
  headers,
});

export function collection<T>(
  items: T[],
  selfUri: string,
  continuationToken: string | null = null,
  totalCount = items.length,
) {
  return {
    totalCount,
    items,
    links: {
      self: link(selfUri),
      ...(continuationToken
        ? {
            next: link(`${selfUri}${selfUri.includes('?') ? '&' : '?'}seekOperation=Next`, 'GET', [
              { key: 'MS-ContinuationToken', value: continuationToken },
            ]),
          }
        : {}),
    },
    ...(continuationToken ? { continuationToken } : {}),
    attributes: { objectType: 'Collection' },
  };
}

export function customerResource(c: Customer) {
  return {
    id: c.id,
    commerceId: c.commerce_id,
    companyProfile: {
      tenantId: c.id,
      domain: c.domain,
      companyName: c.company_name,
      attributes: { objectType: 'CustomerCompanyProfile' },
    },
    billingProfile: {
      id: c.id,
      email: c.email,
      culture: c.culture,
      language: c.language,
      companyName: c.company_name,
      defaultAddress: {
        country: c.country,
        city: c.city,
        state: c.state,
        addressLine1: c.address_line1,
        postalCode: c.postal_code,
        firstName: c.first_name,
        lastName: c.last_name,
        phoneNumber: c.phone,
      },
      currency: c.currency,
      attributes: { objectType: 'CustomerBillingProfile' },
    },
    relationshipToPartner: c.relationship,
    allowDelegatedAccess: true,
    links: { self: link(`/customers/${c.id}`) },
    attributes: { objectType: 'Customer' },
  };
}

export function subscriptionResource(s: Subscription) {
  return {
    id: s.id,
    entitlementId: s.entitlement_id,
    offerId: s.offer_id,
    offerName: s.offer_name,
    friendlyName: s.friendly_name,
    productType: {
      id: s.product_type === 'license' ? 'OnlineServices' : 'Azure',
      displayName: s.product_type === 'license' ? 'OnlineServices' : 'Azure',
    },
    quantity: s.quantity,
    unitType: s.unit_type,
    creationDate: iso(s.created_at),
    effectiveStartDate: iso(s.effective_start_date),
    commitmentEndDate: iso(s.commitment_end_date),
    status: s.status,
    autoRenewEnabled: s.auto_renew,
    isTrial: false,
    billingType: s.billing_type,
    billingCycle: s.billing_cycle,
    termDuration: s.term_duration,
    contractType: 'subscription',
    orderId: s.order_id,
    partnerId: s.partner_id,
    links: { self: link(`/customers/${s.customer_id}/subscriptions/${s.id}`) },
    attributes: { objectType: 'Subscription' },
  };
}

export function productResource(p: Awaited<ReturnType<typeof listProducts>>[number]) {
  return {
    id: p.id,
    title: p.title,
    description: p.description,
    productType: { id: p.product_type, displayName: p.product_type },
    links: { skus: link(`/products/${p.id}/skus`), self: link(`/products/${p.id}`) },
    attributes: { objectType: 'Product' },
  };
}

export function skuResource(s: Awaited<ReturnType<typeof listSkus>>[number]) {
  return {
    id: s.id,
    productId: s.product_id,
    title: s.title,
    description: s.description,
    minimumQuantity: s.minimum_quantity,
    maximumQuantity: s.maximum_quantity,
    isTrial: false,
    provisioningVariables: s.provisioning_variables,
    dynamicAttributes: s.arm_sku_name
      ? {
          armSkuName: s.arm_sku_name,
          armRegionName: s.region,
          instanceSizeFlexibilityGroup: s.isf_group,
          instanceSizeFlexibilityRatio: s.isf_ratio,
        }
      : {},
    links: {
      availabilities: link(`/products/${s.product_id}/skus/${s.id}/availabilities`),
      self: link(`/products/${s.product_id}/skus/${s.id}`),
    },
    attributes: { objectType: 'Sku' },
  };
}

export function availabilityResource(a: Awaited<ReturnType<typeof listAvailabilities>>[number]) {
  const cycles = a.billing_cycles as unknown as string[];
  return {
    id: a.id,
    productId: a.product_id,
    skuId: a.sku_id,
    catalogItemId: a.catalog_item_id,
    terms: a.term_duration
      ? [
          {
            duration: a.term_duration,
            description:
              a.term_duration === 'P3Y' ? '3 Years' : a.term_duration === 'P1Y' ? '1 Year' : a.term_duration,
            billingCycles: cycles,
          },
        ]
      : [],
    billingCycles: cycles,
    links: { self: link(`/products/${a.product_id}/skus/${a.sku_id}/availabilities/${a.id}`) },
    attributes: { objectType: 'Availability' },
  };
}

export function cartResource(c: Awaited<ReturnType<typeof getCart>>) {
  return {
    id: c.id,
    creationTimestamp: iso(c.created_at),
    lastModifiedTimestamp: iso(c.updated_at),
    expirationTimestamp: iso(c.expires_at),
    lastModifiedUser: c.last_modified_user,
    status: c.status === 'ordered' ? 'Ordered' : 'Active',
    lineItems: c.line_items,
    links: { self: link(`/customers/${c.customer_id}/carts/${c.id}`) },
    attributes: { objectType: 'Cart' },
  };
}

export function orderResource(o: Awaited<ReturnType<typeof listOrders>>[number], includePrice: boolean) {
  return {
    id: o.id,
    alternateId: o.id.replaceAll('-', '').slice(0, 12),
    referenceCustomerId: o.customer_id,
    billingCycle: o.billing_cycle,
    currencyCode: o.currency,
    lineItems: o.lineItems.map((l) => ({
      lineItemNumber: l.line_item_number,
      offerId: l.offer_id,
      subscriptionId: l.subscription_id,
      termDuration: l.term_duration,
      transactionType: l.transaction_type,
      friendlyName: l.friendly_name,
      quantity: l.quantity,
      provisioningContext: l.provisioning_context,
      ...(includePrice ? { pricing: { listPrice: l.unit_price } } : {}),
      links: l.subscription_id
        ? { subscription: link(`/customers/${o.customer_id}/subscriptions/${l.subscription_id}`) }
        : {},
    })),
    creationDate: iso(o.created_at),
    status: o.status,
    transactionType: o.transaction_type,
    ...(includePrice ? { totalPrice: Number(o.total_price) } : {}),
    links: { self: link(`/customers/${o.customer_id}/orders/${o.id}`) },
    attributes: { objectType: 'Order' },
  };
}

export function auditRecordResource(r: Awaited<ReturnType<typeof listAuditRecords>>['items'][number]) {
  return {
    id: r.id,
    partnerId: r.partner_id,
    customerId: r.customer_id,
    customerName: r.customer_name,
    userPrincipalName: r.user_principal_name,
    applicationId: r.application_id,
    resourceType: r.resource_type,
    resourceOldValue: r.resource_old_value,
    resourceNewValue: r.resource_new_value,
    operationType: r.operation_type,
    originalCorrelationId: r.correlation_id,
    operationDate: iso(r.operation_date),
    operationStatus: r.operation_status,
    customizedData: r.customized_data,
    attributes: { objectType: 'AuditRecord' },
  };
}
