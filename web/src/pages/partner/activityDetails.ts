import type { ActivityView } from '../../api.ts';
import type { Formatters } from '../../format.ts';

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** One of the record's extra facts (`resource`, `refusedWith`, `reason` …), when the API sent it. */
export const detailOf = (row: ActivityView, key: string): string | null =>
  row.details?.find((detail) => detail.key === key)?.value ?? null;

function parse(value: string | null): Record<string, unknown> | null {
  if (!value) return null;
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The permission resource of a self-serve policy record: from `details`, else from the policy itself. */
function permissionResource(row: ActivityView): string | null {
  const fromDetails = detailOf(row, 'resource');
  if (fromDetails) return fromDetails;
  for (const value of [row.newValue, row.oldValue]) {
    const permissions = parse(value)?.permissions;
    if (Array.isArray(permissions) && typeof permissions[0]?.resource === 'string') {
      return permissions[0].resource;
    }
  }
  return null;
}

/** What exactly the record is about, in words: "Azure reservations", "Contributor · user@…". */
export function activitySubject(row: ActivityView, t: Translate, format: Formatters): string | null {
  // Webhook endpoints (B1): the URL (a rotation, test or replay names only the endpoint's id).
  if (row.resourceType === 'webhook_endpoint') {
    const value = parse(row.newValue) ?? parse(row.oldValue);
    return typeof value?.url === 'string' ? value.url : null;
  }
  if (row.resourceType === 'self_serve_policy') {
    const resource = permissionResource(row);
    return resource ? t(`permissions.resources.${resource}`, { defaultValue: resource }) : null;
  }
  if (
    row.resourceType === 'order' ||
    row.resourceType === 'reservation' ||
    row.resourceType === 'savings_plan'
  ) {
    return commitmentSubject(row, t, format);
  }
  // The partner's own jobs (R20): which user was made, which billing fields were changed.
  if (row.resourceType === 'customer_user') {
    const value = parse(row.newValue);
    return typeof value?.email === 'string' ? value.email : null;
  }
  if (row.operationType === 'update_customer_billing_profile') {
    const fields = detailOf(row, 'fields');
    return fields
      ? fields
          .split(', ')
          .map((f) => t(`partnerJobs.profile.fields.${f}`, { defaultValue: f }))
          .join(', ')
      : null;
  }
  const invoice = invoiceSubject(row, t, format);
  if (invoice) return invoice;
  if (row.resourceType === 'role_assignment') {
    const value = parse(row.newValue) ?? parse(row.oldValue);
    const role = typeof value?.role === 'string' ? format.role(value.role) : null;
    const user = typeof value?.user === 'string' ? value.user : null;
    return [role, user].filter(Boolean).join(' · ') || null;
  }
  return null;
}

/** "November 2026" for a `yyyy-mm` month, in the UI's locale. */
const monthLabel = (format: Formatters, month: string) =>
  new Intl.DateTimeFormat(format.locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${month}-01T00:00:00Z`),
  );

const tax = (value: Record<string, unknown> | null, format: Formatters) =>
  typeof value?.taxName === 'string' && typeof value.taxRate === 'string'
    ? `${value.taxName} ${new Intl.NumberFormat(format.locale, { maximumFractionDigits: 4 }).format(
        value.taxRate as Intl.StringNumericLiteral,
      )}%`
    : null;

/**
 * Invoice records (B10) in words: the number, month and total of an issued invoice or credit note
 * ("INV-000003 · November 2026 · Rp 63.123.209,87"), the month closed (also when the attempt was
 * refused), the tax change ("PPN 11% → PPN 12%"), the rates imported ("31 rates · 1 Nov 2026 – 30 Nov 2026").
 */
function invoiceSubject(row: ActivityView, t: Translate, format: Formatters): string | null {
  const value = parse(row.newValue);
  const isMonth = (m: unknown): m is string => typeof m === 'string' && /^\d{4}-\d{2}$/.test(m);
  switch (row.operationType) {
    case 'issue_invoice':
    case 'issue_credit_note': {
      const number = detailOf(row, 'number') ?? (typeof value?.number === 'string' ? value.number : null);
      const month = isMonth(value?.month) ? monthLabel(format, value.month) : null;
      const total =
        typeof value?.total === 'string' && typeof value.currency === 'string'
          ? format.money(value.total, value.currency)
          : null;
      return [number, month, total].filter(Boolean).join(' · ') || null;
    }
    case 'close_billing_month':
      return isMonth(value?.month) ? monthLabel(format, value.month) : null;
    case 'update_customer_tax': {
      const before = tax(parse(row.oldValue), format);
      const after = tax(value, format);
      return after ? (before && before !== after ? `${before} → ${after}` : after) : null;
    }
    case 'import_exchange_rates': {
      if (typeof value?.rates !== 'number') return null;
      const span =
        typeof value.from === 'string' && typeof value.to === 'string'
          ? ` · ${format.date(value.from)} – ${format.date(value.to)}`
          : '';
      return `${t('invoices.activityRates', { count: value.rates })}${span}`;
    }
    default:
      return null;
  }
}

/** The second line under the action: the resource type, plus the subject when known. */
export function activityResource(row: ActivityView, t: Translate, format: Formatters): string {
  const type = format.label('resourceType', row.resourceType);
  const subject = activitySubject(row, t, format);
  return subject ? `${type} · ${subject}` : type;
}

/**
 * A purchase ("Reservation · Standard_D2s_v3 × 2") or what changed on one ("web-tier → web-prod",
 * "Scope: Shared → Single subscription", "Auto-renewal: On", "Credit US$3,082.96").
 */
function commitmentSubject(row: ActivityView, t: Translate, format: Formatters): string | null {
  const value = parse(row.newValue);
  const before = parse(row.oldValue);
  const kind = detailOf(row, 'kind') ?? (typeof value?.kind === 'string' ? value.kind : null);
  if (kind !== 'reservation' && kind !== 'savings_plan') return null;
  if (row.operationType === 'create_order') {
    const sku = typeof value?.sku === 'string' && kind === 'reservation' ? value.sku : null;
    const quantity = typeof value?.quantity === 'number' ? value.quantity : null;
    const product = sku ? (quantity ? `${sku} × ${format.number(quantity)}` : sku) : null;
    // An order record's type says "Order"; say which kind of order it is.
    return [t(`commitment.kind.${kind}`), product].filter(Boolean).join(' · ');
  }
  const currency = typeof value?.currency === 'string' ? value.currency : 'USD';
  if (typeof value?.displayName === 'string')
    return typeof before?.displayName === 'string'
      ? `${before.displayName} → ${value.displayName}`
      : value.displayName;
  if (typeof value?.appliedScopeType === 'string') {
    const scope = (type: unknown) =>
      t(`commitment.scopeType.${String(type)}`, { defaultValue: String(type) });
    const from = before?.appliedScopeType ? `${scope(before.appliedScopeType)} → ` : '';
    return `${t('commitment.scope')}: ${from}${scope(value.appliedScopeType)}`;
  }
  if (typeof value?.renew === 'boolean')
    return `${t('commitment.renewal')}: ${value.renew ? t('commitment.on') : t('commitment.off')}`;
  if (typeof value?.refunded === 'string')
    return `${t('partnerCommitments.refundAmount')}: ${format.money(value.refunded, currency)}`;
  if (typeof value?.credit === 'string')
    return `${t('partnerCommitments.credit')}: ${format.money(value.credit, currency)}`;
  return null;
}
