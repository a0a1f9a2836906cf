import { authorize, policies } from '../domain/policies.ts';
import type { Db } from '../store/db.ts';
import { writeAudit } from './audit-log.ts';
import { type Call, inTransaction } from './call.ts';

/**
 * Who may read and issue invoices. Reading is an Admin agent's, like bills (and a customer's own
 * users'). Issuing (closing a
 * month, a credit note) is an Admin agent's or Mitra's own month-close job; anyone else is refused,
 * and the refused attempt is recorded in its own transaction, as refused permission changes are.
 */
/** Reading: a partner's Admin agents, and a customer's own users (their issued invoices only). */
export function authorizeInvoiceRead(call: Call): void {
  if (call.actor.kind === 'customer_user') return;
  authorize(call.actor, 'invoicesRead');
}

export async function authorizeInvoicing(
  call: Call,
  attempt: { db: Db; what: Record<string, string> },
): Promise<void> {
  if (call.actor.kind === 'system') return;
  const policy = policies.invoicesIssue;
  if (policy.allows(call.actor)) return;
  const refusal = policy.refusal(call.actor);
  if (call.actor.kind !== 'customer_user') {
    await inTransaction(attempt.db, (trx) =>
      writeAudit(trx, call, {
        partnerId: call.actor.partnerId,
        resourceType: 'invoice',
        operationType: attempt.what.month ? 'close_billing_month' : 'issue_credit_note',
        status: 'decline',
        newValue: attempt.what,
        details: { refusedWith: refusal.code, reason: refusal.message },
      }),
    );
  }
  throw refusal;
}
