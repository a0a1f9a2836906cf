import { checkGuardrailAlerts } from '../services/guardrails.ts';
import type { Db } from '../store/db.ts';

/**
 * The guardrail alert check (B11): every so often (default every 15 minutes), raises
 * `guardrail.threshold.reached` for customers whose month already reaches 80% of their monthly
 * limit without a purchase crossing it — a limit lowered below what was spent, a rate that moved.
 * Purchases and approvals raise it themselves in their transaction; the event's condition key
 * keeps it once per customer and month whoever gets there first, so several servers may run this.
 */
export function startGuardrailAlerts(db: Db, options: { everyMs?: number; log: (line: string) => void }) {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    try {
      const raised = await checkGuardrailAlerts(db);
      if (raised) options.log(`guardrail alerts: ${raised} raised`);
    } catch (error) {
      options.log(`guardrail alert check failed: ${(error as Error).message}`);
    }
    if (!stopped) timer = setTimeout(tick, options.everyMs ?? 15 * 60_000);
  };
  timer = setTimeout(tick, 0);
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
