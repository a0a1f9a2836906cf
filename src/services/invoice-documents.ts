import Big from 'big.js';
import PDFDocument from 'pdfkit';
import { minorUnits } from '../domain/money.ts';
import type { Customer, InvoiceLineRow } from '../store/schema.ts';
import { csvCell } from './bills.ts';
import type { InvoiceView } from './invoices.ts';

/**
 * An invoice as a document a finance person files: PDF (A4, the standard PDF fonts) and CSV, in
 * English or Bahasa Indonesia. Both are renderings of the same view; neither computes a figure.
 */
export type DocumentLanguage = 'en' | 'id';

const words = {
  en: {
    invoice: 'Invoice',
    credit_note: 'Credit note',
    draft: 'DRAFT — not issued',
    number: 'Number',
    issued: 'Issue date',
    period: 'Billing period',
    billTo: 'Bill to',
    from: 'From',
    date: 'Date',
    type: 'Type',
    description: 'Description',
    amount: 'Amount',
    currency: 'Currency',
    subtotal: 'Subtotal',
    total: 'Total',
    rate: (base: string, quote: string, rate: string, day: string) =>
      `Converted from ${base} at 1 ${base} = ${rate} ${quote} (rate of ${day}).`,
    corrects: (n: string) => `Corrects invoice ${n}.`,
    reason: 'Reason',
    noLines: 'No charges in this period.',
    types: {
      purchase: 'Purchase',
      instalment: 'Monthly instalment',
      refund: 'Refund',
      'cancelled-instalment': 'Cancelled instalment',
      'exchange-credit': 'Exchange credit',
      usage: 'Azure usage',
    } as Record<string, string>,
  },
  id: {
    invoice: 'Faktur',
    credit_note: 'Nota kredit',
    draft: 'DRAF — belum diterbitkan',
    number: 'Nomor',
    issued: 'Tanggal terbit',
    period: 'Periode penagihan',
    billTo: 'Ditagihkan kepada',
    from: 'Dari',
    date: 'Tanggal',
    type: 'Jenis',
    description: 'Deskripsi',
    amount: 'Jumlah',
    currency: 'Mata uang',
    subtotal: 'Subtotal',
    total: 'Total',
    rate: (base: string, quote: string, rate: string, day: string) =>
      `Dikonversi dari ${base} dengan kurs 1 ${base} = ${rate} ${quote} (kurs tanggal ${day}).`,
    corrects: (n: string) => `Mengoreksi faktur ${n}.`,
    reason: 'Alasan',
    noLines: 'Tidak ada tagihan pada periode ini.',
    types: {
      purchase: 'Pembelian',
      instalment: 'Cicilan bulanan',
      refund: 'Pengembalian dana',
      'cancelled-instalment': 'Cicilan dibatalkan',
      'exchange-credit': 'Kredit penukaran',
      usage: 'Pemakaian Azure',
    } as Record<string, string>,
  },
};

const localeOf = (lang: DocumentLanguage) => (lang === 'id' ? 'id-ID' : 'en-GB');

export function documentLanguage(requested: string | undefined, customer: Customer): DocumentLanguage {
  const lang = (requested ?? customer.language ?? 'en').slice(0, 2).toLowerCase();
  return lang === 'id' ? 'id' : 'en';
}

/**
 * Amounts are decimal strings; Intl takes them as strings, so no float touches a figure. Digits
 * are the ISO 4217 minor unit the lines were rounded to (Intl would show IDR without its cents,
 * and the lines would no longer visibly add up to the total).
 */
function money(lang: DocumentLanguage, amount: string, currency: string) {
  const digits = minorUnits(currency);
  return new Intl.NumberFormat(localeOf(lang), {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(amount as unknown as number);
}

const day = (lang: DocumentLanguage, iso: string) =>
  new Intl.DateTimeFormat(localeOf(lang), { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(iso));

const monthName = (lang: DocumentLanguage, month: string) =>
  new Intl.DateTimeFormat(localeOf(lang), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${month}-01T00:00:00Z`),
  );

/**
 * The bill-to address with its country in words ("Indonesia", not "ID"): the stored address ends
 * with the ISO code, which reads like a typo on a letter.
 */
export function addressLines(billTo: { address: string[]; country: string }, lang: DocumentLanguage) {
  let name = billTo.country;
  try {
    name = new Intl.DisplayNames([localeOf(lang)], { type: 'region' }).of(billTo.country) ?? name;
  } catch {
    // Not a region code: keep it as written.
  }
  return billTo.address.map((line, i) => {
    if (i !== billTo.address.length - 1 || !billTo.country) return line;
    if (line === billTo.country) return name;
    return line.endsWith(`, ${billTo.country}`) ? `${line.slice(0, -billTo.country.length)}${name}` : line;
  });
}

/** Standard PDF fonts speak WinAnsi: characters outside it are shown as their closest ASCII. */
const printable = (s: string) =>
  s
    .replace(/[\u2010-\u2013]/g, '-')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\u2192/g, '->')
    .replace(/[^\x20-\x7e\u00a0-\u00ff\u2014\u20ac]/g, '?');

export function invoicePdf(
  invoice: InvoiceView,
  seller: { name: string; domain: string },
  lang: DocumentLanguage,
): Promise<Buffer> {
  const w = words[lang];
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    info: { Title: `${w[invoice.kind]} ${invoice.number ?? ''}` },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const text = (s: string) => printable(s);
  const left = 50;
  const right = 545;

  doc.font('Helvetica-Bold').fontSize(20).text(text(w[invoice.kind]), left, 50);
  doc.font('Helvetica').fontSize(10).fillColor('#555555').text(text(seller.name), left, 78);
  doc.text(text(seller.domain));
  if (invoice.status === 'draft') {
    doc
      .font('Helvetica-Bold')
      .fontSize(11)
      .fillColor('#b45309')
      .text(text(w.draft), 300, 55, { width: 245, align: 'right' });
  }
  const facts: [string, string][] = [
    [w.number, invoice.number ?? '—'],
    [w.issued, invoice.issuedAt ? day(lang, invoice.issuedAt) : '—'],
    [w.period, monthName(lang, invoice.month)],
  ];
  let y = 75;
  doc.fillColor('#000000').fontSize(10);
  for (const [label, value] of facts) {
    doc.font('Helvetica').fillColor('#555555').text(text(label), 330, y, { width: 100 });
    doc.font('Helvetica-Bold').fillColor('#000000').text(text(value), 430, y, { width: 115, align: 'right' });
    y += 15;
  }

  y = 140;
  doc.font('Helvetica-Bold').fontSize(10).text(text(w.billTo), left, y);
  doc.font('Helvetica').text(text(invoice.billTo.companyName), left, y + 15);
  for (const line of addressLines(invoice.billTo, lang)) doc.text(text(line));
  doc.text(text(invoice.billTo.email));

  y = Math.max(doc.y + 25, 230);
  const cols = { date: left, type: 125, description: 230, amount: 445 };
  const header = () => {
    doc.rect(left, y - 4, right - left, 18).fill('#f1f1f1');
    doc.fillColor('#000000').font('Helvetica-Bold').fontSize(9);
    doc.text(text(w.date), cols.date + 4, y);
    doc.text(text(w.type), cols.type, y);
    doc.text(text(w.description), cols.description, y);
    doc.text(text(w.amount), cols.amount, y, { width: right - cols.amount - 4, align: 'right' });
    y += 20;
    doc.font('Helvetica').fontSize(9);
  };
  header();
  for (const l of invoice.lines as InvoiceLineRow[]) {
    const description = text(l.description);
    const height = Math.max(
      12,
      doc.heightOfString(description, { width: cols.amount - cols.description - 10 }),
    );
    if (y + height > 760) {
      doc.addPage();
      y = 50;
      header();
    }
    doc.text(day(lang, l.date), cols.date + 4, y, { width: 70 });
    doc.text(text(w.types[l.type] ?? l.type), cols.type, y, { width: 100 });
    doc.text(description, cols.description, y, { width: cols.amount - cols.description - 10 });
    doc.text(text(money(lang, l.amount, invoice.currency)), cols.amount, y, {
      width: right - cols.amount - 4,
      align: 'right',
    });
    y += height + 6;
  }
  if (invoice.lines.length === 0) {
    doc.fillColor('#555555').text(text(w.noLines), cols.date + 4, y);
    y += 18;
  }
  if (y > 680) {
    doc.addPage();
    y = 50;
  }
  doc.moveTo(left, y).lineTo(right, y).strokeColor('#cccccc').stroke();
  y += 8;
  const totalRow = (label: string, value: string, bold = false) => {
    doc
      .font(bold ? 'Helvetica-Bold' : 'Helvetica')
      .fontSize(bold ? 11 : 10)
      .fillColor('#000000');
    doc.text(text(label), 300, y, { width: 140 });
    doc.text(text(money(lang, value, invoice.currency)), 440, y, { width: right - 444, align: 'right' });
    y += bold ? 18 : 15;
  };
  totalRow(w.subtotal, invoice.subtotal);
  totalRow(`${invoice.taxName} ${invoice.taxRate}%`, invoice.tax);
  totalRow(w.total, invoice.total, true);
  y += 10;
  doc.font('Helvetica').fontSize(8.5).fillColor('#555555');
  if (invoice.exchangeRate) {
    const r = invoice.exchangeRate;
    const rate = new Intl.NumberFormat(localeOf(lang), { maximumFractionDigits: 10 }).format(
      new Big(r.rate).toString() as unknown as number,
    );
    doc.text(text(w.rate(r.base, r.quote, rate, day(lang, r.date))), left, y, { width: right - left });
    y = doc.y + 4;
  }
  if (invoice.corrects && invoice.kind === 'credit_note') {
    doc.text(text(`${w.reason}: ${invoice.reason ?? ''}`), left, y, { width: right - left });
  }
  doc.end();
  return done;
}

const cell = csvCell;

export function invoiceCsv(invoice: InvoiceView, lang: DocumentLanguage): string {
  const w = words[lang];
  const rows = [
    [w.number, w.date, w.type, w.description, w.amount, w.currency].map(cell).join(','),
    ...(invoice.lines as InvoiceLineRow[]).map((l) =>
      [invoice.number ?? '', l.date, w.types[l.type] ?? l.type, l.description, l.amount, invoice.currency]
        .map((v) => cell(String(v)))
        .join(','),
    ),
    [invoice.number ?? '', '', '', w.subtotal, invoice.subtotal, invoice.currency].map(cell).join(','),
    [invoice.number ?? '', '', '', `${invoice.taxName} ${invoice.taxRate}%`, invoice.tax, invoice.currency]
      .map(cell)
      .join(','),
    [invoice.number ?? '', '', '', w.total, invoice.total, invoice.currency].map(cell).join(','),
  ];
  return `${rows.join('\n')}\n`;
}
