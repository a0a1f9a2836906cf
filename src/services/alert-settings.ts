import Big from 'big.js';
import type { MitraError } from '../domain/errors.ts';
import { authorize, policies } from '../domain/policies.ts';
import type { Db } from '../store/db.ts';
import { writeAudit } from './audit-log.ts';
import { type Call, inTransaction } from './call.ts';

/**
 * A partner's alert settings (B11): when a reservation or savings plan counts as under-used.
 * Everybody of the partner reads them; Admin agents change them, audited; anyone else's attempt is
 * refused and the refusal recorded, as for the other Admin-only settings.
 */
export interface AlertSettings {
  underutilization: { thresholdPercent: number; windowDays: number };
}

export const defaultAlertSettings: AlertSettings = {
  underutilization: { thresholdPercent: 80, windowDays: 7 },
};

export async function alertSettingsOf(db: Db, partnerId: string): Promise<AlertSettings> {
  const row = await db
    .selectFrom('partner_alert_settings')
    .select(['underutilization_threshold_percent', 'underutilization_window_days'])
    .where('partner_id', '=', partnerId)
    .executeTakeFirst();
  if (!row) return defaultAlertSettings;
  return {
    underutilization: {
      thresholdPercent: Number(row.underutilization_threshold_percent),
      windowDays: row.underutilization_window_days,
    },
  };
}

export async function getAlertSettings(db: Db, call: Call): Promise<AlertSettings> {
  authorize(call.actor, 'partnerRead');
  return alertSettingsOf(db, call.actor.partnerId);
}

async function recordRefusal(db: Db, call: Call, refusal: MitraError, wanted: AlertSettings) {
  await inTransaction(db, (trx) =>
    writeAudit(trx, call, {
      partnerId: call.actor.partnerId,
      resourceType: 'alert_settings',
      operationType: 'update_alert_settings',
      status: 'decline',
      newValue: wanted,
      details: { refusedWith: refusal.code, reason: refusal.message },
    }),
  );
}

export async function setAlertSettings(db: Db, call: Call, wanted: AlertSettings): Promise<AlertSettings> {
  authorize(call.actor, 'alertSettingsAttempt');
  if (!policies.alertSettingsManage.allows(call.actor)) {
    const refusal = policies.alertSettingsManage.refusal(call.actor);
    await recordRefusal(db, call, refusal, wanted);
    throw refusal;
  }
  const partnerId = call.actor.partnerId;
  // Two decimals at most, as stored.
  const next: AlertSettings = {
    underutilization: {
      thresholdPercent: Number(new Big(wanted.underutilization.thresholdPercent).round(2).toString()),
      windowDays: wanted.underutilization.windowDays,
    },
  };
  return inTransaction(db, async (trx) => {
    const before = await alertSettingsOf(trx, partnerId);
    // Asking for what is already set changes nothing, so there is nothing to record either.
    if (JSON.stringify(before) === JSON.stringify(next)) return next;
    await trx
      .insertInto('partner_alert_settings')
      .values({
        partner_id: partnerId,
        underutilization_threshold_percent: String(next.underutilization.thresholdPercent),
        underutilization_window_days: next.underutilization.windowDays,
      })
      .onConflict((oc) =>
        oc.column('partner_id').doUpdateSet({
          underutilization_threshold_percent: String(next.underutilization.thresholdPercent),
          underutilization_window_days: next.underutilization.windowDays,
          updated_at: new Date(),
        }),
      )
      .execute();
    await writeAudit(trx, call, {
      partnerId,
      resourceType: 'alert_settings',
      operationType: 'update_alert_settings',
      oldValue: before,
      newValue: next,
    });
    return next;
  });
}
