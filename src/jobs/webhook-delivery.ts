import type { WebhookSettings } from '../domain/webhooks.ts';
import { claimDueDeliveries, deliver } from '../services/webhook-dispatch.ts';
import type { Db } from '../store/db.ts';

/**
 * The webhook delivery worker (B1). Any number of processes (every server, every `mitra worker`)
 * drain the same table: a delivery is claimed with `FOR UPDATE SKIP LOCKED` and a lease
 * (`locked_until`), so each is sent by one process at a time, and a process killed mid-way leaves
 * claims that another takes again once the lease ends. Nothing lives only in memory: a delivery
 * is a row from the transaction of its event until it succeeds or fails for good.
 */
export interface WebhookWorker {
  /** Stops claiming, aborts what is in flight (its lease lets another process retry), and waits. */
  stop(): Promise<void>;
}

const batch = 10;

/** Sends every due delivery once; answers how many were attempted. */
export async function deliverDueWebhooks(
  db: Db,
  settings: WebhookSettings,
  signal?: AbortSignal,
): Promise<number> {
  let sent = 0;
  for (;;) {
    if (signal?.aborted) return sent;
    const claims = await claimDueDeliveries(db, settings, batch);
    await Promise.all(claims.map((claim) => deliver(db, settings, claim, { signal })));
    sent += claims.length;
    if (claims.length < batch) return sent;
  }
}

export function startWebhookWorker(
  db: Db,
  settings: WebhookSettings,
  log: (line: string) => void = () => {},
): WebhookWorker {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = (async () => {
      try {
        await deliverDueWebhooks(db, settings, abort.signal);
      } catch (error) {
        if (!abort.signal.aborted) log(`webhook delivery failed: ${(error as Error).message}`);
      }
      if (!abort.signal.aborted) timer = setTimeout(tick, settings.pollMs);
    })();
  };
  timer = setTimeout(tick, 0);
  return {
    async stop() {
      abort.abort();
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
