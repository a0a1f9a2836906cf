import type { EventType } from './events.ts';

/**
 * What the feed and e-mail say about an event (B1, B8): a label per type and one short sentence
 * built from the event's data, in English or Bahasa Indonesia, and the portal page that shows the
 * object. Server sentences are otherwise English (the portal translates errors by their code);
 * a feed entry has no code to translate by, so the server writes both languages itself.
 *
 * The data is the event's contract shape (src/api/mitra/event-schemas.ts); read defensively, since
 * a stored event outlives code changes.
 */
export type SentenceLanguage = 'en' | 'id';

export const languageOf = (requested: string | undefined | null): SentenceLanguage =>
  requested?.trim().toLowerCase().startsWith('id') ? 'id' : 'en';

/** `Accept-Language: id-ID,id;q=0.9,en;q=0.8` → the first language Mitra speaks, else English. */
export function languageFromHeader(header: string | undefined): SentenceLanguage {
  if (!header) return 'en';
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^q=([\d.]+)$/.exec(p.trim())?.[1]).find(Boolean);
      return { tag: tag.toLowerCase(), q: q === undefined ? 1 : Number(q) };
    })
    .filter((l) => l.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith('id')) return 'id';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}

export const eventLabelsByLanguage: Record<SentenceLanguage, Record<EventType, string>> = {
  en: {
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
  },
  id: {
    'customer.reservation.purchased': 'Reservasi dibeli untuk pelanggan',
    'customer.savingsplan.purchased': 'Paket penghematan dibeli untuk pelanggan',
    'customer.permission.enabled': 'Izin pelanggan diaktifkan',
    'customer.permission.disabled': 'Izin pelanggan dinonaktifkan',
    'purchase.approval.requested': 'Pembelian menunggu persetujuan',
    'purchase.approval.decided': 'Persetujuan pembelian telah diputuskan',
    'guardrail.threshold.reached': 'Pelanggan mencapai 80% dari batas bulanannya',
    'commitment.refunded': 'Reservasi dikembalikan dananya',
    'commitment.exchanged': 'Reservasi ditukar',
    'commitment.expiring': 'Komitmen segera berakhir',
    'commitment.underutilized': 'Komitmen kurang dimanfaatkan',
  },
};

type Data = Record<string, unknown>;
const obj = (v: unknown): Data => (v && typeof v === 'object' ? (v as Data) : {});
const str = (v: unknown, fallback = '?'): string =>
  typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : fallback;

const locale = (lang: SentenceLanguage) => (lang === 'id' ? 'id-ID' : 'en-GB');

/** A decimal string as money in the language's style; the string itself when it is not a number. */
export function formatMoney(amount: unknown, currency: unknown, lang: SentenceLanguage): string {
  const a = str(amount, '');
  const c = str(currency, '');
  if (!/^-?\d+(\.\d+)?$/.test(a) || !/^[A-Z]{3}$/.test(c)) return `${a} ${c}`.trim();
  // Intl formats the decimal string itself (no float on the way), rounded to the currency's unit.
  return new Intl.NumberFormat(locale(lang), { style: 'currency', currency: c }).format(
    a as unknown as number,
  );
}

const percent = (v: unknown, lang: SentenceLanguage) =>
  typeof v === 'number'
    ? `${new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 1 }).format(v)}%`
    : '?%';

const date = (iso: unknown, lang: SentenceLanguage) => {
  const d = new Date(str(iso, ''));
  return Number.isNaN(d.getTime())
    ? str(iso)
    : new Intl.DateTimeFormat(locale(lang), { dateStyle: 'medium', timeZone: 'UTC' }).format(d);
};

const termText = (term: unknown, lang: SentenceLanguage) => {
  const years = { P1Y: 1, P3Y: 3, P5Y: 5 }[str(term, '')];
  if (!years) return str(term);
  return lang === 'id' ? `${years} tahun` : `${years} year${years > 1 ? 's' : ''}`;
};

function commitmentText(c: Data, lang: SentenceLanguage): string {
  const name = str(c.displayName, str(c.sku));
  if (c.kind === 'savingsPlan')
    return lang === 'id' ? `paket penghematan ${name}` : `the savings plan ${name}`;
  return lang === 'id' ? `reservasi ${name}` : `the reservation ${name}`;
}

const permissionText = (p: unknown, lang: SentenceLanguage) =>
  p === 'AzureSavingsPlan'
    ? lang === 'id'
      ? 'paket penghematan Azure'
      : 'Azure savings plans'
    : lang === 'id'
      ? 'reservasi Azure'
      : 'Azure reservations';

/** One short sentence about the event, from its data. */
export function eventSentence(type: string, raw: unknown, lang: SentenceLanguage): string {
  const d = obj(raw);
  const customer = str(obj(d.customer).name);
  const id = lang === 'id';
  switch (type) {
    case 'customer.reservation.purchased':
    case 'customer.savingsplan.purchased': {
      const c = obj(d.commitment);
      const what = commitmentText(c, lang);
      const total = formatMoney(c.total, c.currency, lang);
      const term = termText(c.term, lang);
      const buyer = str(d.buyer);
      if (d.boughtBy === 'customer')
        return id
          ? `${buyer} dari ${customer} membeli ${what} (${term}) seharga ${total}.`
          : `${buyer} of ${customer} bought ${what} (${term}) for ${total}.`;
      return id
        ? `${buyer} membeli ${what} (${term}) untuk ${customer} seharga ${total}.`
        : `${buyer} bought ${what} (${term}) for ${customer}, ${total}.`;
    }
    case 'customer.permission.enabled':
    case 'customer.permission.disabled': {
      const on = type.endsWith('enabled');
      const who = d.changedBy ? str(d.changedBy) : id ? 'Seseorang' : 'Someone';
      const what = permissionText(d.permission, lang);
      return id
        ? `${who} ${on ? 'mengizinkan' : 'tidak lagi mengizinkan'} ${customer} membeli ${what}.`
        : `${who} ${on ? 'allowed' : 'stopped allowing'} ${customer} to buy ${what}.`;
    }
    case 'purchase.approval.requested': {
      const a = obj(d.approval);
      const what = commitmentText(a, lang);
      const total = formatMoney(a.total, a.currency, lang);
      const threshold = formatMoney(obj(d.threshold).amount, obj(d.threshold).currency, lang);
      return id
        ? `${str(a.requestedBy)} dari ${customer} ingin membeli ${what} seharga ${total}, di atas ambang persetujuan ${threshold}: setujui atau tolak.`
        : `${str(a.requestedBy)} of ${customer} asks to buy ${what} for ${total}, above the approval threshold of ${threshold}: approve or decline it.`;
    }
    case 'purchase.approval.decided': {
      const a = obj(d.approval);
      const what = commitmentText(a, lang);
      const approved = d.decision === 'approved';
      const reason = d.reason ? ` (${str(d.reason)})` : '';
      return id
        ? `${str(d.decidedBy)} ${approved ? 'menyetujui' : 'menolak'} pembelian ${what} oleh ${customer}${reason}.`
        : `${str(d.decidedBy)} ${approved ? 'approved' : 'declined'} ${customer}'s purchase of ${what}${reason}.`;
    }
    case 'guardrail.threshold.reached': {
      const spent = formatMoney(obj(d.spent).amount, obj(d.spent).currency, lang);
      const limit = formatMoney(obj(d.limit).amount, obj(d.limit).currency, lang);
      return id
        ? `${customer} telah membeli ${spent} dari batas bulanan ${limit} (${percent(d.percent, lang)}) pada ${str(d.month)}.`
        : `${customer} has bought ${spent} of its ${limit} monthly limit (${percent(d.percent, lang)}) in ${str(d.month)}.`;
    }
    case 'commitment.refunded': {
      const r = obj(d.refund);
      const what = commitmentText(obj(d.commitment), lang);
      const amount = formatMoney(r.amount, r.currency, lang);
      return id
        ? `${str(d.refundedBy)} membatalkan ${what} milik ${customer}; pengembalian dana ${amount}.`
        : `${str(d.refundedBy)} refunded ${customer}'s ${what.replace(/^the /, '')}; ${amount} refunded.`;
    }
    case 'commitment.exchanged': {
      const returned = commitmentText(obj(d.returned), lang);
      const created = commitmentText(obj(d.created), lang);
      const net = formatMoney(d.netPayable, d.currency, lang);
      return id
        ? `${str(d.exchangedBy)} menukar ${returned} milik ${customer} dengan ${created}; selisih yang dibayar ${net}.`
        : `${str(d.exchangedBy)} exchanged ${customer}'s ${returned.replace(/^the /, '')} for ${created}; ${net} payable.`;
    }
    case 'commitment.expiring': {
      const c = obj(d.commitment);
      const what = commitmentText(c, lang);
      const days = str(d.daysLeft);
      const renews = d.renew === true;
      return id
        ? `${what[0].toUpperCase()}${what.slice(1)} milik ${customer} berakhir dalam ${days} hari (${date(c.expiresAt, lang)}); ${renews ? 'akan diperpanjang otomatis' : 'tidak diperpanjang otomatis'}.`
        : `${customer}'s ${what.replace(/^the /, '')} expires in ${days} days (${date(c.expiresAt, lang)}); ${renews ? 'it renews automatically' : 'it does not renew automatically'}.`;
    }
    case 'commitment.underutilized': {
      const what = commitmentText(obj(d.commitment), lang);
      return id
        ? `${what[0].toUpperCase()}${what.slice(1)} milik ${customer} hanya dimanfaatkan ${percent(d.utilizationPercent, lang)} selama ${str(d.windowDays)} hari terakhir (${str(d.from)} – ${str(d.to)}), di bawah ${percent(d.thresholdPercent, lang)}.`
        : `${customer}'s ${what.replace(/^the /, '')} was used ${percent(d.utilizationPercent, lang)} over the last ${str(d.windowDays)} days (${str(d.from)} – ${str(d.to)}), below ${percent(d.thresholdPercent, lang)}.`;
    }
    default:
      return type;
  }
}

const enc = encodeURIComponent;
const commitmentPath = (customerId: string, c: Data) =>
  `/partner/customers/${enc(customerId)}/${c.kind === 'savingsPlan' ? 'savings-plans' : 'reservations'}/${enc(str(c.id, ''))}`;

/**
 * The partner-portal page that shows the event's object (a path; e-mail prefixes the public URL).
 * Approvals open at `/partner/approvals?focus={approvalId}`, the approvals page's own address (B2).
 */
export function eventLink(type: string, raw: unknown, customerId: string | null): string {
  const d = obj(raw);
  const cid = customerId ?? str(obj(d.customer).id, '');
  const customerPage = (tab: string) => `/partner/customers/${enc(cid)}/${tab}`;
  switch (type) {
    case 'customer.reservation.purchased':
    case 'customer.savingsplan.purchased':
    case 'commitment.refunded':
    case 'commitment.expiring':
    case 'commitment.underutilized':
      return commitmentPath(cid, obj(d.commitment));
    case 'commitment.exchanged':
      return commitmentPath(cid, obj(d.created));
    case 'customer.permission.enabled':
    case 'customer.permission.disabled':
      return customerPage('account');
    case 'purchase.approval.requested':
      return `/partner/approvals?focus=${enc(str(obj(d.approval).id, ''))}`;
    case 'purchase.approval.decided': {
      const bought = typeof d.commitmentId === 'string' ? d.commitmentId : null;
      const kind = obj(d.approval).kind;
      return bought
        ? commitmentPath(cid, { id: bought, kind })
        : `/partner/approvals?focus=${enc(str(obj(d.approval).id, ''))}`;
    }
    case 'guardrail.threshold.reached':
      return customerPage('account');
    default:
      return customerPage('account');
  }
}
