import { describe, expect, it } from 'vitest';
import { eventTypes } from '../../src/domain/events.ts';
import { en } from '../../web/src/locales/en.ts';
import { id } from '../../web/src/locales/id.ts';

describe("the portal's words for the server's event types", () => {
  it('names every event type (and no other) in both languages', () => {
    for (const [language, t] of [
      ['en', en],
      ['id', id],
    ] as const) {
      const labels = t.webhooks.eventLabels as Record<string, string>;
      // …and the test event an Admin agent sends from the Webhooks page (docs/notifications.md).
      expect(Object.keys(labels).sort(), language).toEqual([...eventTypes, 'webhook.test'].sort());
      for (const type of eventTypes) expect(labels[type], `${language} ${type}`).toMatch(/\S/);
    }
  });
});
