import { describe, expect, it } from 'vitest';
import {
  eventLabelsByLanguage,
  eventLink,
  eventSentence,
  formatMoney,
  languageFromHeader,
} from './event-sentences.ts';
import { type EventType, eventTypes } from './events.ts';

const customer = { id: 'c1', name: 'Fabrikam' };
const commitment = {
  id: 'k1',
  kind: 'savingsPlan',
  displayName: 'SP-Prod',
  sku: 'Compute_Savings_Plan',
  region: null,
  quantity: 1,
  hourlyCommitment: '1.00',
  term: 'P3Y',
  billingPlan: 'Monthly',
  total: '11278.50',
  currency: 'USD',
  boughtBy: 'customer',
  purchasedAt: '2026-12-01T00:00:00.000Z',
  expiresAt: '2029-12-01T00:00:00.000Z',
  renew: true,
};
const approval = {
  ...commitment,
  id: 'a1',
  requestedBy: 'owner@fabrikam.example',
  requestedAt: commitment.purchasedAt,
};
const samples: Record<EventType, Record<string, unknown>> = {
  'customer.reservation.purchased': {
    customer,
    commitment: { ...commitment, kind: 'reservation' },
    orderId: 'o1',
    boughtBy: 'partner',
    buyer: 'admin@contoso.example',
  },
  'customer.savingsplan.purchased': {
    customer,
    commitment,
    orderId: null,
    boughtBy: 'customer',
    buyer: 'owner@fabrikam.example',
  },
  'customer.permission.enabled': {
    customer,
    permission: 'AzureSavingsPlan',
    changedBy: 'admin@contoso.example',
  },
  'customer.permission.disabled': { customer, permission: 'AzureReservedInstances', changedBy: null },
  'purchase.approval.requested': { customer, approval, threshold: { amount: '5000', currency: 'USD' } },
  'purchase.approval.decided': {
    customer,
    approval,
    decision: 'declined',
    reason: 'Too large',
    decidedBy: 'admin@contoso.example',
    commitmentId: null,
  },
  'guardrail.threshold.reached': {
    customer,
    month: '2026-12',
    limit: { amount: '10000', currency: 'USD' },
    spent: { amount: '8200', currency: 'USD' },
    percent: 82,
  },
  'commitment.refunded': {
    customer,
    commitment: { ...commitment, kind: 'reservation' },
    refund: { amount: '120.50', currency: 'USD', reason: null },
    refundedBy: 'admin@contoso.example',
  },
  'commitment.exchanged': {
    customer,
    returned: { ...commitment, kind: 'reservation' },
    created: { ...commitment, id: 'k2', kind: 'reservation' },
    credit: '100',
    newTotal: '300',
    netPayable: '200',
    currency: 'USD',
    exchangedBy: 'admin@contoso.example',
  },
  'commitment.expiring': { customer, commitment, daysLeft: 30, renew: true },
  'commitment.underutilized': {
    customer,
    commitment,
    utilizationPercent: 42.5,
    thresholdPercent: 80,
    windowDays: 7,
    from: '2026-11-24',
    to: '2026-11-30',
  },
};

describe('event sentences', () => {
  it.each(eventTypes)('%s: a whole sentence in both languages, naming the customer', (type) => {
    for (const lang of ['en', 'id'] as const) {
      const s = eventSentence(type, samples[type], lang);
      expect(s, `${type} ${lang}`).toContain('Fabrikam');
      expect(s, `${type} ${lang}: a placeholder left`).not.toMatch(/\?|undefined|null|NaN|\[object/);
      expect(s).toMatch(/\.$/);
      expect(eventLabelsByLanguage[lang][type]).toBeTruthy();
    }
    expect(eventSentence(type, samples[type], 'id')).not.toBe(eventSentence(type, samples[type], 'en'));
    expect(eventLink(type, samples[type], 'c1')).toMatch(
      /^\/partner\/(customers\/c1\/|approvals\?focus=a1$)/,
    );
  });

  it('money in the language of the sentence, from the decimal string', () => {
    expect(formatMoney('11278.50', 'USD', 'en')).toBe('US$11,278.50');
    expect(formatMoney('11278.50', 'USD', 'id')).toBe('US$11.278,50');
    expect(formatMoney('1500000', 'IDR', 'id')).toMatch(/^Rp\s1\.500\.000$/);
    expect(
      eventSentence('customer.savingsplan.purchased', samples['customer.savingsplan.purchased'], 'en'),
    ).toBe('owner@fabrikam.example of Fabrikam bought the savings plan SP-Prod (3 years) for US$11,278.50.');
  });

  it('reads the first language Mitra speaks from Accept-Language', () => {
    expect(languageFromHeader('id-ID,id;q=0.9,en;q=0.8')).toBe('id');
    expect(languageFromHeader('fr-FR,en;q=0.5,id;q=0.4')).toBe('en');
    expect(languageFromHeader('fr-FR,id;q=0.4')).toBe('id');
    expect(languageFromHeader(undefined)).toBe('en');
  });
});
