import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deliverDueEmails,
  parseRetrySchedule,
  readEmailSettings,
  smtpTransport,
  startEmailDelivery,
} from '../../src/jobs/email-delivery.ts';
import { customerIds, summarize } from '../api/fixtures.ts';
import { demoWorld, type TestWorld, users } from '../support/app.ts';
import { databaseKinds } from '../support/db.ts';
import { buyReservation, feedOf, setPermission } from './helpers.ts';

interface Received {
  to: string[];
  raw: string;
}

/** A local SMTP sink on 127.0.0.1 that refuses the next `refuse` messages (451, try later). */
async function localSmtp() {
  const received: Received[] = [];
  const state = { refuse: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (state.refuse > 0) {
          state.refuse--;
          const error = new Error('Mailbox busy, try again later') as Error & { responseCode: number };
          error.responseCode = 451;
          return callback(error);
        }
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString(),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The text of a message, quoted-printable undone (long lines are soft-broken). */
const decoded = (raw: string) =>
  raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(Number.parseInt(h, 16)));

describe.each(databaseKinds)('e-mail notifications on %s', (kind) => {
  let world: TestWorld;
  let smtp: Awaited<ReturnType<typeof localSmtp>>;
  let fabrikam: Awaited<ReturnType<typeof customerIds>>;
  const settings = {
    from: 'Mitra <mitra@mitra.example>',
    publicUrl: 'https://mitra.example',
    retrySchedule: [60_000, 300_000],
  };

  beforeAll(async () => {
    world = await demoWorld(kind);
    smtp = await localSmtp();
    fabrikam = await customerIds(world, users.admin, 'Fabrikam');
    await setPermission(world, users.admin, fabrikam.id, 'AzureReservedInstances', true);
    // Nothing queued before the test: deliver (to nowhere) whatever the demo queued.
    await world.handle.db.deleteFrom('email_outbox').execute();
  });
  afterAll(async () => {
    await world.close();
    await smtp.close();
  });

  const outbox = () => world.handle.db.selectFrom('email_outbox').selectAll().orderBy('created_at').execute();

  it("honours each user's choice: off in the feed → no entry; by e-mail → the sentence and link arrive", async () => {
    const put = await world.app.inject({
      method: 'PUT',
      url: '/api/notification-preferences',
      headers: await world.as(users.sales),
      payload: { items: [{ type: 'customer.reservation.purchased', inApp: false, email: true }] },
    });
    expect(put.statusCode, summarize(put)).toBe(200);
    expect(
      put.json().items.find((p: { type: string }) => p.type === 'customer.reservation.purchased'),
    ).toEqual({
      type: 'customer.reservation.purchased',
      label: 'A reservation was bought for a customer',
      inApp: false,
      email: true,
    });
    const get = await world.app.inject({
      method: 'GET',
      url: '/api/notification-preferences',
      headers: await world.as(users.helpdesk),
    });
    // Defaults for everyone else: every type in the feed, none by e-mail.
    expect(get.json().items).toHaveLength(11);
    expect(get.json().items.every((p: { inApp: boolean; email: boolean }) => p.inApp && !p.email)).toBe(true);

    const bought = await buyReservation(world, users.fabrikamOwner, fabrikam.subscriptionId);
    expect((await feedOf(world, users.sales)).items.map((i) => i.type)).not.toContain(
      'customer.reservation.purchased',
    );
    expect((await feedOf(world, users.admin)).items[0].type).toBe('customer.reservation.purchased');
    const queued = await outbox();
    expect(queued.map((r) => [r.to_address, r.status])).toEqual([[users.sales, 'pending']]);

    const result = await deliverDueEmails(world.handle.db, smtpTransport(smtp.url), settings);
    expect(result).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(smtp.received).toHaveLength(1);
    const [mail] = smtp.received;
    expect(mail.to).toEqual([users.sales]);
    const text = decoded(mail.raw);
    expect(text).toContain('Subject: Mitra: A reservation was bought for a customer');
    expect(text).toContain(`${users.fabrikamOwner} of Fabrikam bought the reservation`);
    expect(text).toContain(`${users.fabrikamOwner} dari Fabrikam membeli reservasi`);
    expect(text).toContain(
      `https://mitra.example/partner/customers/${fabrikam.id}/reservations/${bought.id}`,
    );
    expect((await outbox())[0]).toMatchObject({ status: 'succeeded', attempts: 1, last_error: null });
    // Sent once: another run sends nothing.
    expect(await deliverDueEmails(world.handle.db, smtpTransport(smtp.url), settings)).toEqual({
      sent: 0,
      retried: 0,
      failed: 0,
    });
    expect(smtp.received).toHaveLength(1);
  });

  it('retries with back-off while SMTP is down or refuses, then delivers exactly once', async () => {
    await world.handle.db.deleteFrom('email_outbox').execute();
    smtp.received.length = 0;
    await buyReservation(world, users.fabrikamOwner, fabrikam.subscriptionId);
    const [row] = await outbox();
    const start = new Date(row.next_attempt_at);
    const at = (ms: number) => () => new Date(start.getTime() + ms);

    // Down: nothing listens there.
    const down = smtpTransport('smtp://127.0.0.1:9');
    expect(await deliverDueEmails(world.handle.db, down, settings, { now: at(1000) })).toEqual({
      sent: 0,
      retried: 1,
      failed: 0,
    });
    let [after] = await outbox();
    expect(after).toMatchObject({ status: 'pending', attempts: 1, locked_until: null });
    expect(after.last_error).toBeTruthy();
    expect(new Date(after.next_attempt_at).getTime()).toBe(start.getTime() + 1000 + 60_000);

    // Not due yet: untouched.
    const live = smtpTransport(smtp.url);
    expect(await deliverDueEmails(world.handle.db, live, settings, { now: at(30_000) })).toEqual({
      sent: 0,
      retried: 0,
      failed: 0,
    });
    // Up but refusing once (451): retried on the next wait of the schedule.
    smtp.state.refuse = 1;
    expect(await deliverDueEmails(world.handle.db, live, settings, { now: at(70_000) })).toMatchObject({
      retried: 1,
    });
    [after] = await outbox();
    expect(after).toMatchObject({ status: 'pending', attempts: 2 });
    expect(after.last_error).toContain('451');
    // Back: delivered, once.
    expect(await deliverDueEmails(world.handle.db, live, settings, { now: at(400_000) })).toEqual({
      sent: 1,
      retried: 0,
      failed: 0,
    });
    expect(await deliverDueEmails(world.handle.db, live, settings, { now: at(900_000) })).toEqual({
      sent: 0,
      retried: 0,
      failed: 0,
    });
    expect(smtp.received).toHaveLength(1);
    expect((await outbox())[0]).toMatchObject({ status: 'succeeded', attempts: 3 });
  });

  it('gives up after the last wait of the schedule, keeping the error', async () => {
    await world.handle.db.deleteFrom('email_outbox').execute();
    await buyReservation(world, users.fabrikamOwner, fabrikam.subscriptionId);
    const [row] = await outbox();
    const down = smtpTransport('smtp://127.0.0.1:9');
    const once = { ...settings, retrySchedule: [1000] };
    const start = new Date(row.next_attempt_at).getTime();
    await deliverDueEmails(world.handle.db, down, once, { now: () => new Date(start + 1) });
    expect(
      await deliverDueEmails(world.handle.db, down, once, { now: () => new Date(start + 5000) }),
    ).toEqual({
      sent: 0,
      retried: 0,
      failed: 1,
    });
    const [after] = await outbox();
    expect(after).toMatchObject({ status: 'failed', attempts: 2 });
    expect(after.last_error).toBeTruthy();
  });

  it('without MITRA_SMTP_URL nothing is sent and nothing fails; the log says so once', async () => {
    await world.handle.db.deleteFrom('email_outbox').execute();
    await buyReservation(world, users.fabrikamOwner, fabrikam.subscriptionId);
    const lines: string[] = [];
    const config = readEmailSettings({}, 4280);
    expect(config.smtpUrl).toBeUndefined();
    expect(config.publicUrl).toBe('http://localhost:4280');
    const stop = startEmailDelivery(world.handle.db, config, { log: (l) => lines.push(l), everyMs: 10 });
    await new Promise((r) => setTimeout(r, 50));
    await stop();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/MITRA_SMTP_URL/);
    expect((await outbox()).map((r) => r.status)).toEqual(['pending']);
  });
});

describe('e-mail settings', () => {
  it('reads the retry schedule, the sender and the public URL', () => {
    expect(parseRetrySchedule('5s, 5m,2h')).toEqual([5000, 300_000, 7_200_000]);
    expect(() => parseRetrySchedule('soon')).toThrow(/30s, 5m or 2h/);
    const s = readEmailSettings(
      { MITRA_SMTP_URL: 'smtp://u:p@mail.example:587', MITRA_PUBLIC_URL: 'https://mitra.example.com/' },
      4280,
    );
    expect(s).toMatchObject({
      smtpUrl: 'smtp://u:p@mail.example:587',
      from: 'Mitra <mitra@mitra.example.com>',
      publicUrl: 'https://mitra.example.com',
    });
  });
});
