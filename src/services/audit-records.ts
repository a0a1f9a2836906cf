import { auditRetentionDays, beyondPartnerCenterResourceTypes } from '../domain/audit.ts';
import { invalid } from '../domain/errors.ts';
import { authorize } from '../domain/policies.ts';
import type { Db } from '../store/db.ts';
import type { Call } from './call.ts';
import { decodeContinuation, encodeContinuation, pageSize } from './paging.ts';

export interface AuditQuery {
  startDate?: string;
  endDate?: string;
  companyNameContains?: string;
  customerId?: string;
  resourceType?: string;
  operationType?: string;
  size?: number;
  continuationToken?: string;
  /** Mitra's own activity log shows what partner center hides (a customer's own savings plans, B3). */
  includeBeyondPartnerCenter?: boolean;
}

const dayMs = 24 * 3600 * 1000;

function parseDay(value: string, name: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.slice(0, 10));
  const date = match ? new Date(`${match[0]}T00:00:00Z`) : new Date(Number.NaN);
  // A real calendar day (no 31 February) in a sane range (no year 10000 after adding a day).
  if (
    Number.isNaN(date.getTime()) ||
    date.toISOString().slice(0, 10) !== match?.[0] ||
    date.getUTCFullYear() > 9000
  ) {
    throw invalid('invalid-date', `${name} must be a date in the form yyyy-mm-dd, for example 2026-11-01.`);
  }
  return date;
}

/** The window the audit API serves: [start of startDate, end of endDate], within the last 90 days. */
export function auditWindow(query: Pick<AuditQuery, 'startDate' | 'endDate'>, now = new Date()) {
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const start = query.startDate
    ? parseDay(query.startDate, 'startDate')
    : new Date(today.getTime() - 30 * dayMs);
  const end = new Date((query.endDate ? parseDay(query.endDate, 'endDate') : today).getTime() + dayMs);
  if (start.getTime() < today.getTime() - auditRetentionDays * dayMs) {
    throw invalid(
      'start-date-too-old',
      `Activity is kept for ${auditRetentionDays} days; choose a startDate on or after ${new Date(today.getTime() - auditRetentionDays * dayMs).toISOString().slice(0, 10)}.`,
    );
  }
  if (end <= start) throw invalid('invalid-date-range', 'endDate must not be before startDate.');
  return { start, end };
}

/** The partner's activity log, newest first, paged by position so new records never shift a page. */
export async function listAuditRecords(db: Db, call: Call, query: AuditQuery) {
  authorize(call.actor, 'auditRead');
  const { start, end } = auditWindow(query);
  const size = pageSize(query.size, 500, 500);
  let q = db
    .selectFrom('audit_records')
    .selectAll()
    .where('partner_id', '=', call.actor.partnerId)
    .where('operation_date', '>=', start)
    .where('operation_date', '<', end);
  // A customer's own savings plans stay out of partner center's activity log (R11); Mitra's shows them.
  if (!query.includeBeyondPartnerCenter)
    q = q.where('resource_type', 'not in', [...beyondPartnerCenterResourceTypes]);
  if (query.customerId) q = q.where('customer_id', '=', query.customerId);
  if (query.resourceType) q = q.where('resource_type', '=', query.resourceType);
  if (query.operationType) q = q.where('operation_type', '=', query.operationType);
  if (query.companyNameContains) {
    const needle = `%${query.companyNameContains.replace(/[\\%_]/g, (c) => `\\${c}`).toLowerCase()}%`;
    q = q.where((eb) => eb(eb.fn('lower', ['customer_name']), 'like', needle));
  }
  if (query.continuationToken) {
    const { s } = decodeContinuation<{ s: number }>(query.continuationToken, { s: 'integer' });
    q = q.where('seq', '<', s);
  }
  const rows = await q
    .orderBy('seq', 'desc')
    .limit(size + 1)
    .execute();
  const items = rows.slice(0, size);
  const last = items.at(-1);
  return {
    items,
    continuationToken: rows.length > size && last ? encodeContinuation({ s: last.seq }) : null,
  };
}
