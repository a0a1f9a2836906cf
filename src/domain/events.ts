/**
 * The events a partner can hear about (B1, B11): their names are fixed (webhook receivers match
 * on them) and each has a label for the portal, the feed and e-mail. The payload of each type is
 * described once, in src/api/mitra/event-schemas.ts, which also documents them in the OpenAPI
 * document's `webhooks` section.
 */
export const eventTypes = [
  'customer.reservation.purchased',
  'customer.savingsplan.purchased',
  'customer.permission.enabled',
  'customer.permission.disabled',
  'purchase.approval.requested',
  'purchase.approval.decided',
  'guardrail.threshold.reached',
  'commitment.refunded',
  'commitment.exchanged',
  'commitment.expiring',
  'commitment.underutilized',
] as const;
export type EventType = (typeof eventTypes)[number];

export const isEventType = (s: string): s is EventType => (eventTypes as readonly string[]).includes(s);

export const eventLabels: Record<EventType, string> = {
  'customer.reservation.purchased': 'A reservation was bought for a customer',
  'customer.savingsplan.purchased': 'A savings plan was bought for a customer',
  'customer.permission.enabled': 'A customer permission was enabled',
  'customer.permission.disabled': 'A customer permission was disabled',
  'purchase.approval.requested': 'A purchase awaits approval',
  'purchase.approval.decided': 'A purchase approval was decided',
  'guardrail.threshold.reached': 'A customer reached 80% of its monthly limit',
  'commitment.refunded': 'A reservation was refunded',
  'commitment.exchanged': 'A reservation was exchanged',
  'commitment.expiring': 'A commitment expires soon',
  'commitment.underutilized': 'A commitment is under-used',
};

/** Who receives what when nobody chose: every event in the feed, none by e-mail. */
export const defaultDelivery = { inApp: true, email: false } as const;
