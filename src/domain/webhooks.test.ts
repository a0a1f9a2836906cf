import { describe, expect, it } from 'vitest';
import { MitraError } from './errors.ts';
import {
  blockedAddressReason,
  checkEventTypes,
  checkWebhookUrlShape,
  decideAfterAttempt,
  parseRetrySchedule,
  retryAfterMs,
} from './webhooks.ts';

describe('webhook addresses', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private (RFC 1918)'],
    ['172.16.0.1', 'private (RFC 1918)'],
    ['172.31.255.255', 'private (RFC 1918)'],
    ['192.168.1.1', 'private (RFC 1918)'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fc00::1', 'private (unique local)'],
    ['fd12:3456::1', 'private (unique local)'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['100.64.0.1', 'shared (CGNAT)'],
    ['100.127.255.254', 'shared (CGNAT)'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private (RFC 1918)'],
  ])('%s is refused (%s)', (address, reason) => {
    expect(blockedAddressReason(address)).toBe(reason);
  });

  it.each(['8.8.8.8', '172.32.0.1', '100.128.0.1', '192.169.0.1', '2606:4700::1111', '1.1.1.1'])(
    '%s is public',
    (address) => {
      expect(blockedAddressReason(address)).toBeNull();
    },
  );

  it('a host name is no address', () => {
    expect(blockedAddressReason('example.com')).toBe('not an IP address');
  });
});

describe('webhook URLs and events', () => {
  it('https only unless allowed; no credentials', () => {
    expect(() => checkWebhookUrlShape('http://example.com/h', { allowHttp: false })).toThrow(/https/);
    expect(checkWebhookUrlShape('http://example.com/h', { allowHttp: true }).host).toBe('example.com');
    expect(() => checkWebhookUrlShape('ftp://example.com', { allowHttp: true })).toThrow(MitraError);
    expect(() => checkWebhookUrlShape('not a url', { allowHttp: true })).toThrow(/absolute URL/);
    expect(() => checkWebhookUrlShape('https://u:p@example.com', { allowHttp: false })).toThrow(/password/);
  });

  it('unknown event types are refused with the valid ones listed', () => {
    try {
      checkEventTypes(['customer.reservation.purchased', 'order.created']);
      expect.unreachable();
    } catch (error) {
      expect((error as MitraError).code).toBe('unknown-event-type');
      expect((error as MitraError).message).toContain('"order.created"');
      expect((error as MitraError).message).toContain('commitment.underutilized');
    }
    expect(() => checkEventTypes([])).toThrow(/at least one/);
    expect(checkEventTypes(['commitment.refunded', 'commitment.refunded'])).toEqual(['commitment.refunded']);
  });
});

describe('retries', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  const schedule = parseRetrySchedule('5s,5m,30m');

  it('reads the schedule', () => {
    expect(parseRetrySchedule('5s,5m,30m,2h,5h,10h,10h')).toEqual([
      5000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
    ]);
    expect(parseRetrySchedule('100ms, 1s')).toEqual([100, 1000]);
    expect(() => parseRetrySchedule('5s,soon')).toThrow(/"soon" is not a duration/);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:01:00 GMT', now)).toBe(60_000);
    expect(retryAfterMs('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('whenever', now)).toBeNull();
    expect(retryAfterMs(undefined, now)).toBeNull();
    expect(retryAfterMs('999999999', now)).toBe(86_400_000);
  });

  it('decides what an attempt means', () => {
    const answered = (status: number, retryAfter?: string) => ({
      kind: 'answered' as const,
      status,
      retryAfter,
    });
    expect(decideAfterAttempt(answered(204), 1, schedule, now)).toEqual({ status: 'succeeded' });
    expect(decideAfterAttempt(answered(410), 1, schedule, now)).toEqual({
      status: 'failed',
      disableEndpoint: true,
    });
    expect(decideAfterAttempt(answered(500), 1, schedule, now)).toEqual({ status: 'pending', delayMs: 5000 });
    expect(decideAfterAttempt(answered(503, '60'), 2, schedule, now)).toEqual({
      status: 'pending',
      delayMs: 60_000,
    });
    expect(decideAfterAttempt(answered(429, '7'), 1, schedule, now)).toEqual({
      status: 'pending',
      delayMs: 7000,
    });
    // Retry-After counts only on 429 and 5xx.
    expect(decideAfterAttempt(answered(400, '60'), 1, schedule, now)).toEqual({
      status: 'pending',
      delayMs: 5000,
    });
    expect(decideAfterAttempt({ kind: 'error', message: 'timeout' }, 3, schedule, now)).toEqual({
      status: 'pending',
      delayMs: 1_800_000,
    });
    expect(decideAfterAttempt(answered(500), 4, schedule, now)).toEqual({
      status: 'failed',
      disableEndpoint: false,
    });
    expect(decideAfterAttempt(answered(500), 1, schedule, now, false)).toEqual({
      status: 'failed',
      disableEndpoint: false,
    });
  });
});
