import { notFound } from '../domain/errors.ts';
import { authorize } from '../domain/policies.ts';
import type { Db } from '../store/db.ts';
import type { Call } from './call.ts';

/**
 * The partner's billing account as Microsoft.Billing names it to partners (Microsoft Partner
 * Agreement): one account per partner, named by the partner's tenant id. Customers hang under it.
 */
export interface BillingAccount {
  /** The partner's tenant id. */
  name: string;
  displayName: string;
}

/** The caller's own billing account: the only one a partner user or application sees. */
export async function billingAccountsOf(db: Db, call: Call): Promise<BillingAccount[]> {
  authorize(call.actor, 'partnerRead');
  const partner = await db
    .selectFrom('partners')
    .select(['id', 'name'])
    .where('id', '=', call.actor.partnerId)
    .executeTakeFirst();
  return partner ? [{ name: partner.id, displayName: partner.name }] : [];
}

/**
 * Checks that `name` is the caller's own billing account. Another partner's account answers
 * exactly like one that does not exist, so tenant ids never leak.
 */
export async function ownBillingAccount(db: Db, call: Call, name: string): Promise<BillingAccount> {
  const account = (await billingAccountsOf(db, call)).find((a) => a.name === name.toLowerCase());
  if (!account)
    throw notFound(
      'billing-account-not-found',
      `No billing account ${JSON.stringify(name)} is yours; list yours with GET /providers/Microsoft.Billing/billingAccounts (its name is your tenant id).`,
    );
  return account;
}
