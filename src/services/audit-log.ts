import { randomUUID } from 'node:crypto';
import { actorId, applicationOf, principalName } from '../domain/actor.ts';
import type { OperationType, ResourceType } from '../domain/audit.ts';
import type { Db } from '../store/db.ts';
import type { OperationStatus } from '../store/schema.ts';
import type { Call } from './call.ts';

export interface AuditEntry {
  partnerId: string;
  customer?: { id: string; name: string } | null;
  resourceType: ResourceType;
  operationType: OperationType;
  status?: OperationStatus;
  oldValue?: unknown;
  newValue?: unknown;
  details?: Record<string, string>;
}

/** Writes one activity-log record through the caller's transaction. */
export async function writeAudit(trx: Db, call: Call, entry: AuditEntry): Promise<string> {
  const id = randomUUID();
  await trx
    .insertInto('audit_records')
    .values({
      id,
      partner_id: entry.partnerId,
      customer_id: entry.customer?.id ?? null,
      customer_name: entry.customer?.name ?? null,
      actor_kind: call.actor.kind,
      actor_id: actorId(call.actor),
      user_principal_name: principalName(call.actor),
      application_id: applicationOf(call.actor),
      resource_type: entry.resourceType,
      operation_type: entry.operationType,
      operation_status: entry.status ?? 'succeeded',
      resource_old_value: entry.oldValue == null ? null : JSON.stringify(entry.oldValue),
      resource_new_value: entry.newValue == null ? null : JSON.stringify(entry.newValue),
      correlation_id: call.correlationId,
      customized_data: JSON.stringify(
        Object.entries(entry.details ?? {}).map(([key, value]) => ({ key, value })),
      ),
    })
    .execute();
  return id;
}
