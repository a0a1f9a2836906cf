import { hostname } from 'node:os';
import { sql } from 'kysely';
import nodemailer, { type Transporter } from 'nodemailer';
import {
  eventLabelsByLanguage,
  eventLink,
  eventSentence,
  type SentenceLanguage,
} from '../domain/event-sentences.ts';
import { isEventType } from '../domain/events.ts';
import type { Db } from '../store/db.ts';

/**
 * Sends the e-mails emitEvent queued in `email_outbox` (B1): one per partner user who chose the
 * event by e-mail. A row is claimed with FOR UPDATE SKIP LOCKED and a lease (`locked_until`), so
 * any number of servers and `mitra worker`s share the outbox and a crashed sender's rows come
 * back when its lease ends. A failed send is retried on a back-off schedule, then given up
 * (`failed`, with the last error). Without MITRA_SMTP_URL nothing is sent: rows stay pending and
 * go out once an SMTP server is configured.
 */
export interface EmailSettings {
  /** smtp://user:pass@host:587 or smtps://…; absent: e-mail is off. */
  smtpUrl: string | undefined;
  from: string;
  /** Where the portal is reached, for the links in each message: https://mitra.example.com */
  publicUrl: string;
  /** Waits after each failed attempt, in ms; after the last one the row is `failed`. */
  retrySchedule: number[];
}

/** 1 min, 5 min, 30 min, 2 h, 6 h, 12 h: about a day of trying before giving up. */
export const defaultEmailRetrySchedule = [60_000, 300_000, 1_800_000, 7_200_000, 21_600_000, 43_200_000];

const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `30s,5m,2h` → milliseconds; throws a sentence on anything else. */
export function parseRetrySchedule(text: string): number[] {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const waits = parts.map((p) => {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(p);
    if (!m) throw new Error(`"${p}" is not a wait such as 30s, 5m or 2h (MITRA_EMAIL_RETRY_SCHEDULE).`);
    return Math.round(Number(m[1]) * units[m[2]]);
  });
  if (waits.length === 0) throw new Error('MITRA_EMAIL_RETRY_SCHEDULE lists no wait (e.g. 1m,5m,30m).');
  return waits;
}

export function readEmailSettings(env: NodeJS.ProcessEnv, port: number): EmailSettings {
  const publicUrl = (env.MITRA_PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, '');
  let host = 'localhost';
  try {
    host = new URL(publicUrl).hostname || hostname();
  } catch {
    throw new Error(`MITRA_PUBLIC_URL is not a URL: ${publicUrl}`);
  }
  return {
    smtpUrl: env.MITRA_SMTP_URL || undefined,
    from: env.MITRA_SMTP_FROM || `Mitra <mitra@${host.includes('.') ? host : 'localhost.localdomain'}>`,
    publicUrl,
    retrySchedule: env.MITRA_EMAIL_RETRY_SCHEDULE
      ? parseRetrySchedule(env.MITRA_EMAIL_RETRY_SCHEDULE)
      : defaultEmailRetrySchedule,
  };
}

/** Bounded waits, so one slow SMTP server never holds a row past its lease. */
export function smtpTransport(url: string): Transporter {
  return nodemailer.createTransport(url, {
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  } as nodemailer.TransportOptions);
}

const leaseMs = 120_000;

export interface DeliveryResult {
  sent: number;
  retried: number;
  failed: number;
}

interface Message {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Both languages the portals speak (B8), English first: a partner user has no language setting. */
export function emailMessage(
  event: { type: string; data: Record<string, unknown>; customer_id: string | null },
  publicUrl: string,
): Message {
  const link = `${publicUrl}${eventLink(event.type, event.data, event.customer_id)}`;
  const langs: SentenceLanguage[] = ['en', 'id'];
  const label = (lang: SentenceLanguage) =>
    isEventType(event.type) ? eventLabelsByLanguage[lang][event.type] : event.type;
  const parts = langs.map((lang) => ({
    label: label(lang),
    sentence: eventSentence(event.type, event.data, lang),
    open: lang === 'id' ? 'Buka di Mitra' : 'Open in Mitra',
  }));
  const text = [...parts.flatMap((p) => [p.sentence, `${p.open}: ${link}`, '']), `(${event.type})`, ''].join(
    '\n',
  );
  const html = [
    '<!doctype html><html><body style="font-family: sans-serif; line-height: 1.4">',
    ...parts.map(
      (p, i) =>
        `<div lang="${langs[i]}"${i ? ' style="margin-top:1.5em;color:#555"' : ''}><h2 style="font-size:1.1em">${escapeHtml(p.label)}</h2><p>${escapeHtml(p.sentence)}</p><p><a href="${escapeHtml(link)}">${escapeHtml(p.open)}</a></p></div>`,
    ),
    `<p style="color:#888;font-size:0.85em">${escapeHtml(event.type)}</p>`,
    '</body></html>',
  ].join('');
  return { subject: `Mitra: ${parts[0].label}`, text, html };
}

/** Claims due rows (lease), sends each, records the outcome. Answers what happened. */
export async function deliverDueEmails(
  db: Db,
  transport: Pick<Transporter, 'sendMail'>,
  settings: Pick<EmailSettings, 'from' | 'publicUrl' | 'retrySchedule'>,
  options: { now?: () => Date; batch?: number } = {},
): Promise<DeliveryResult> {
  const now = options.now ?? (() => new Date());
  const result: DeliveryResult = { sent: 0, retried: 0, failed: 0 };
  const claimedAt = now();
  const until = new Date(claimedAt.getTime() + leaseMs);
  const claimed = await db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('email_outbox')
      .select('id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', claimedAt)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', claimedAt)]))
      .orderBy('next_attempt_at')
      .limit(options.batch ?? 20)
      .forUpdate()
      .skipLocked()
      .execute();
    if (due.length === 0) return [];
    return trx
      .updateTable('email_outbox')
      .set({ locked_until: until })
      .where(
        'id',
        'in',
        due.map((d) => d.id),
      )
      .returning(['id', 'event_id', 'to_address', 'attempts'])
      .execute();
  });

  for (const row of claimed) {
    const event = await db
      .selectFrom('partner_events')
      .select(['type', 'data', 'customer_id'])
      .where('id', '=', row.event_id)
      .executeTakeFirstOrThrow();
    const data = (typeof event.data === 'string' ? JSON.parse(event.data) : event.data) as Record<
      string,
      unknown
    >;
    const message = emailMessage({ ...event, data }, settings.publicUrl);
    const attempts = row.attempts + 1;
    try {
      await transport.sendMail({
        from: settings.from,
        to: row.to_address,
        subject: message.subject,
        text: message.text,
        html: message.html,
        headers: { 'X-Mitra-Event-Id': row.event_id },
      });
      await db
        .updateTable('email_outbox')
        .set({ status: 'succeeded', attempts, sent_at: now(), locked_until: null, last_error: null })
        .where('id', '=', row.id)
        .execute();
      result.sent++;
    } catch (error) {
      const wait = settings.retrySchedule[attempts - 1];
      const giveUp = wait === undefined;
      await db
        .updateTable('email_outbox')
        .set({
          status: giveUp ? 'failed' : 'pending',
          attempts,
          last_error: String((error as Error).message ?? error).slice(0, 1000),
          locked_until: null,
          next_attempt_at: giveUp ? sql<Date>`next_attempt_at` : new Date(now().getTime() + wait),
        })
        .where('id', '=', row.id)
        .execute();
      if (giveUp) result.failed++;
      else result.retried++;
    }
  }
  return result;
}

/**
 * The sender loop of a server or `mitra worker`: every `everyMs` (and at once after a full batch).
 * Without an SMTP URL it does nothing and says so once.
 */
export function startEmailDelivery(
  db: Db,
  settings: EmailSettings,
  options: { everyMs?: number; log: (line: string) => void; warn?: (line: string) => void },
): () => Promise<void> {
  if (!settings.smtpUrl) {
    // A warning: e-mails users chose are queued and will wait until an SMTP server is configured.
    (options.warn ?? options.log)(
      'E-mail notifications are off: set MITRA_SMTP_URL (e.g. smtp://user:pass@host:587) to send them; queued e-mails wait, nothing fails.',
    );
    return async () => undefined;
  }
  const transport = smtpTransport(settings.smtpUrl);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = (async () => {
      let again = false;
      try {
        const r = await deliverDueEmails(db, transport, settings);
        if (r.sent || r.retried || r.failed)
          options.log(`e-mail: ${r.sent} sent, ${r.retried} to retry, ${r.failed} given up`);
        again = r.sent + r.retried + r.failed >= 20;
      } catch (error) {
        options.log(`e-mail delivery failed: ${(error as Error).message}`);
      }
      if (!stopped) timer = setTimeout(tick, again ? 0 : (options.everyMs ?? 5_000));
    })();
  };
  timer = setTimeout(tick, 0);
  options.log(`E-mail notifications: sending through ${new URL(settings.smtpUrl).host} as ${settings.from}.`);
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await running;
    transport.close();
  };
}
