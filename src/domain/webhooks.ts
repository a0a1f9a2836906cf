import { BlockList, isIP } from 'node:net';
import { invalid } from './errors.ts';
import { type EventType, eventTypes, isEventType } from './events.ts';

/**
 * Webhook rules (B1), without I/O: which addresses a delivery may reach, when a failed delivery is
 * tried again, and what an answer means. The sender (src/services/webhook-dispatch.ts) and the
 * registration (src/services/webhooks.ts) both ask these.
 */

/** The operator's settings, read once from the environment (src/cli/config.ts) and passed down. */
export interface WebhookSettings {
  /** `MITRA_WEBHOOK_ALLOW_HTTP=true`: plain http URLs are accepted (local use and tests). */
  allowHttp: boolean;
  /** `MITRA_WEBHOOK_ALLOW_PRIVATE=true`: loopback, private and link-local addresses are reachable. */
  allowPrivate: boolean;
  /** One attempt's bound, connection to last byte (`MITRA_WEBHOOK_TIMEOUT_MS`, 10 s). */
  timeoutMs: number;
  /** Waits between attempts (`MITRA_WEBHOOK_RETRY_SCHEDULE`); one more attempt than entries. */
  retrySchedule: number[];
  /** How long a claimed delivery stays a worker's before another may take it (`MITRA_WEBHOOK_LEASE_MS`). */
  leaseMs: number;
  /** How often an idle worker looks for due deliveries. */
  pollMs: number;
}

const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export const defaultRetrySchedule = '5s,5m,30m,2h,5h,10h,10h';

/** The safe defaults: https only, public addresses only. */
export const strictWebhookSettings: WebhookSettings = {
  allowHttp: false,
  allowPrivate: false,
  timeoutMs: 10_000,
  retrySchedule: parseRetrySchedule(defaultRetrySchedule),
  leaseMs: 40_000,
  pollMs: 1_000,
};

/** `5s,5m,30m,2h` → milliseconds. A wrong entry is the operator's mistake: said plainly at start. */
export function parseRetrySchedule(text: string): number[] {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  return parts.map((p) => {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(p);
    if (!m)
      throw new Error(
        `MITRA_WEBHOOK_RETRY_SCHEDULE: "${p}" is not a duration; write e.g. 5s,5m,30m,2h (units ms, s, m, h, d).`,
      );
    return Math.round(Number(m[1]) * units[m[2]]);
  });
}

/**
 * `Retry-After` as seconds or as an HTTP date, in milliseconds from `now`; null when absent or
 * unreadable (the schedule applies then). Capped at a day, so a receiver cannot park a delivery.
 */
export function retryAfterMs(header: string | undefined | null, now: Date): number | null {
  if (!header) return null;
  const value = header.trim();
  let ms: number;
  if (/^\d+$/.test(value)) ms = Number(value) * 1000;
  else {
    const at = Date.parse(value);
    if (Number.isNaN(at)) return null;
    ms = at - now.getTime();
  }
  return Math.min(Math.max(ms, 0), units.d);
}

export type AttemptOutcome =
  | { kind: 'answered'; status: number; retryAfter?: string | null }
  | { kind: 'error'; message: string };

export type AttemptDecision =
  | { status: 'succeeded' }
  | { status: 'failed'; disableEndpoint: boolean }
  | { status: 'pending'; delayMs: number };

/**
 * What an attempt means for its delivery. `attempts` counts this one. 2xx delivers; 410 Gone says
 * the receiver is gone for good: the delivery fails and the endpoint is disabled; anything else is
 * tried again after the schedule's next wait (or the receiver's `Retry-After` on 429 and 5xx), and
 * fails once the schedule is spent. `retries: false` (a test event) makes one attempt only.
 */
export function decideAfterAttempt(
  outcome: AttemptOutcome,
  attempts: number,
  schedule: number[],
  now: Date,
  retries = true,
): AttemptDecision {
  if (outcome.kind === 'answered' && outcome.status >= 200 && outcome.status < 300)
    return { status: 'succeeded' };
  if (outcome.kind === 'answered' && outcome.status === 410)
    return { status: 'failed', disableEndpoint: true };
  if (!retries || attempts > schedule.length) return { status: 'failed', disableEndpoint: false };
  const scheduled = schedule[attempts - 1];
  const honoured =
    outcome.kind === 'answered' && (outcome.status === 429 || outcome.status >= 500)
      ? retryAfterMs(outcome.retryAfter, now)
      : null;
  return { status: 'pending', delayMs: honoured ?? scheduled };
}

/** Addresses a webhook may never reach unless the operator allows private ones, with the reason. */
const blockedV4: [string, number, string][] = [
  ['0.0.0.0', 8, 'unspecified'],
  ['127.0.0.0', 8, 'loopback'],
  ['10.0.0.0', 8, 'private (RFC 1918)'],
  ['172.16.0.0', 12, 'private (RFC 1918)'],
  ['192.168.0.0', 16, 'private (RFC 1918)'],
  ['169.254.0.0', 16, 'link-local'],
  ['100.64.0.0', 10, 'shared (CGNAT)'],
  ['192.0.0.0', 24, 'reserved'],
  ['198.18.0.0', 15, 'reserved (benchmarking)'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];
const blockedV6: [string, number, string][] = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['fc00::', 7, 'private (unique local)'],
  ['fe80::', 10, 'link-local'],
  ['ff00::', 8, 'multicast'],
];

const lists = [
  ...blockedV4.map((b) => [...b, 'ipv4'] as const),
  ...blockedV6.map((b) => [...b, 'ipv6'] as const),
].map(([net, prefix, reason, family]) => {
  const list = new BlockList();
  list.addSubnet(net, prefix, family);
  return { list, family, reason };
});

/** Why an address is refused (loopback, private, link-local, unspecified, CGNAT…), or null when public. */
export function blockedAddressReason(address: string): string | null {
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  // An IPv4 address written as IPv6 (::ffff:127.0.0.1) is the IPv4 address.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blockedAddressReason(mapped[1]);
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const l of lists) if (l.family === type && l.list.check(address, type)) return l.reason;
  return null;
}

/** The URL's own rules, before any lookup: an absolute http(s) URL, https unless allowed, no credentials. */
export function checkWebhookUrlShape(text: string, settings: Pick<WebhookSettings, 'allowHttp'>): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid(
      'webhook-url-invalid',
      `"${text}" is not an absolute URL; give one like https://example.com/hooks.`,
    );
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && settings.allowHttp))
    throw invalid(
      'webhook-url-not-https',
      settings.allowHttp
        ? 'The webhook URL must start with https:// or http://.'
        : 'The webhook URL must use https://; plain http is accepted only when the operator sets MITRA_WEBHOOK_ALLOW_HTTP=true.',
    );
  if (url.username || url.password)
    throw invalid(
      'webhook-url-invalid',
      'Put no user name or password in the webhook URL; verify the signature instead.',
    );
  return url;
}

/** The event types asked for, each known; the message lists the valid ones. */
export function checkEventTypes(events: string[]): EventType[] {
  const unknown = events.filter((e) => !isEventType(e));
  if (unknown.length)
    throw invalid(
      'unknown-event-type',
      `Unknown event type${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}; valid types are: ${eventTypes.join(', ')}.`,
      { unknown, valid: [...eventTypes] },
    );
  if (events.length === 0)
    throw invalid('webhook-events-required', `Choose at least one event type: ${eventTypes.join(', ')}.`);
  return [...new Set(events)] as EventType[];
}

/** The test event's type: sent by `POST /api/webhooks/{id}/test`, never subscribed to, never retried. */
export const testEventType = 'webhook.test';

/** How long a rotated-out secret still signs deliveries. */
export const secretGraceMs = 24 * 3_600_000;
