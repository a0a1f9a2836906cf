import { demoId, loadDemoCommitments } from '../../src/demo/load.ts';
import type { Actor } from '../../src/domain/actor.ts';
import { inlineApply } from '../../src/jobs/engine-pool.ts';
import { customersWithUsage, runBenefits } from '../../src/services/benefit-runs.ts';
import { inTransaction } from '../../src/services/call.ts';
import { executePurchase } from '../../src/services/commitment-purchase.ts';
import { demoWorld, type TestWorld, users } from '../support/app.ts';
import type { DatabaseKind } from '../support/db.ts';

const DAY = 86_400_000;
export const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Generated usage for the FOCUS export, kept to a week so the suite stays quick: the demo with
 * 7 days of usage, the demo's monthly reservation and savings plan (bought 60 days ago), an
 * upfront reservation bought 3 days ago and a monthly savings plan bought 2 days ago (whose first
 * instalment falls in the period), with benefits applied to the whole period: covered,
 * pay-as-you-go, unused and both kinds of purchase rows appear.
 */
export async function focusWorld(
  kind: DatabaseKind,
): Promise<{ world: TestWorld; from: string; to: string }> {
  const world = await demoWorld(kind, { usageDays: 7 });
  const db = world.handle.db;
  const apply = inlineApply();
  await loadDemoCommitments(db, apply, { usageDays: 0 });
  const admin: Actor = {
    kind: 'partner_user',
    userId: demoId(users.admin),
    partnerId: demoId('contoso'),
    email: users.admin,
    roles: ['admin_agent'],
    applicationId: null,
  };
  const fabrikam = await db
    .selectFrom('customers')
    .selectAll()
    .where('id', '=', demoId('fabrikam'))
    .executeTakeFirstOrThrow();
  const today = new Date(Math.floor(Date.now() / DAY) * DAY);
  const call = { actor: admin, correlationId: crypto.randomUUID() };
  await inTransaction(db, async (trx) => {
    await executePurchase(
      trx,
      call,
      fabrikam,
      {
        kind: 'reservation',
        billingSubscription: demoId('fabrikam-azure-subscription'),
        sku: 'Standard_E2s_v3',
        region: 'eastus',
        term: 'P1Y',
        billingPlan: 'Upfront',
        quantity: 1,
        displayName: 'Idle E2s reservation',
        appliedScopeType: 'Shared',
        appliedScope: {},
        renew: false,
      },
      crypto.randomUUID(),
      { at: new Date(today.getTime() - 3 * DAY) },
    );
    await executePurchase(
      trx,
      call,
      fabrikam,
      {
        kind: 'savings_plan',
        billingSubscription: demoId('fabrikam-azure-subscription'),
        hourlyCommitment: '0.25',
        term: 'P1Y',
        billingPlan: 'Monthly',
        quantity: 1,
        displayName: 'Second savings plan',
        appliedScopeType: 'Shared',
        appliedScope: {},
      },
      crypto.randomUUID(),
      { at: new Date(today.getTime() - 2 * DAY + 5 * 3_600_000) },
    );
  });
  const from = new Date(today.getTime() - 7 * DAY);
  const to = new Date(today.getTime() + DAY);
  for (const customerId of await customersWithUsage(db))
    await runBenefits(db, apply, customerId, { from, to }, 'test');
  return { world, from: day(from), to: day(to) };
}
