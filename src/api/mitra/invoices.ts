import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { invalid } from '../../domain/errors.ts';
import { closesOn } from '../../domain/invoices.ts';
import { customerOf } from '../../services/commitments.ts';
import { customerTax, setCustomerTax } from '../../services/customer-tax.ts';
import { importRatesCsv } from '../../services/exchange-rates.ts';
import { documentLanguage, invoiceCsv, invoicePdf } from '../../services/invoice-documents.ts';
import { closeMonth, creditInvoice, getInvoice, listInvoices } from '../../services/invoices.ts';
import { InvoiceDetail, InvoiceList, MonthClosed, TaxSettings } from './invoice-schemas.ts';

const tags = ['mitra: invoices'];
const CustomerParams = Type.Object({ id: Type.String() });
const InvoiceParams = Type.Object({ id: Type.String(), invoiceId: Type.String() });
const DocumentQuery = Type.Object({
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('pdf'), Type.Literal('csv')])),
  lang: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('id')])),
});

/** `?format=` wins; otherwise the Accept header picks PDF or CSV; JSON by default. */
function formatOf(request: FastifyRequest, format?: 'json' | 'pdf' | 'csv') {
  if (format) return format;
  const accept = String(request.headers.accept ?? '');
  if (accept.includes('application/pdf')) return 'pdf';
  if (accept.includes('text/csv')) return 'csv';
  return 'json';
}

/**
 * Customer invoices (B10): list and read (JSON, PDF or CSV, English or Indonesian), close a month
 * (which issues its invoices), credit notes, each customer's tax, and exchange rates.
 */
export async function invoiceRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.deps;
  const monthCloseDays = app.deps.monthCloseDays ?? 1;
  // Rates arrive as CSV; only this plugin's routes read text/csv bodies.
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: 20 * 1024 * 1024 }, (_r, body, done) =>
    done(null, body),
  );

  app.get(
    '/customers/:id/invoices',
    {
      config: { policy: 'invoicesRead' },
      schema: {
        tags,
        summary: "The customer's invoices and credit notes, newest month first; open months as drafts",
        params: CustomerParams,
        response: { 200: InvoiceList },
      },
    },
    async (request) => listInvoices(db, request.call(), request.params.id),
  );

  app.get(
    '/customers/:id/invoices/:invoiceId',
    {
      config: { policy: 'invoicesRead' },
      schema: {
        tags,
        summary:
          'One invoice or credit note: JSON, or the document (Accept: application/pdf or text/csv, or ?format=)',
        params: InvoiceParams,
        querystring: DocumentQuery,
        response: { 200: InvoiceDetail },
      },
    },
    async (request, reply) => {
      const { customer, invoice } = await getInvoice(
        db,
        request.call(),
        request.params.id,
        request.params.invoiceId,
      );
      return sendInvoice(request, reply, customer, invoice, request.query);
    },
  );

  app.post(
    '/customers/:id/invoices/:invoiceId/credit-note',
    {
      config: { policy: 'invoicesAttempt' },
      schema: {
        tags,
        summary: 'Correct an issued invoice: a credit note mirrors it and the month is invoiced again',
        params: InvoiceParams,
        body: Type.Object({ reason: Type.String({ maxLength: 500 }) }),
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await creditInvoice(
            db,
            request.call(),
            request.params.id,
            request.params.invoiceId,
            request.body.reason,
          ),
        ),
  );

  app.post(
    '/invoices/issue',
    {
      config: { policy: 'invoicesAttempt' },
      schema: {
        tags,
        summary: 'Close a month now and issue its invoices (it closes by itself a day after it ends)',
        body: Type.Object({ month: Type.String({ description: 'yyyy-mm' }) }),
        response: { 200: MonthClosed },
      },
    },
    async (request) => closeMonth(db, request.call(), request.body.month),
  );

  app.get(
    '/customers/:id/tax',
    {
      config: { policy: 'invoicesRead' },
      schema: {
        tags,
        summary: "The tax on the customer's invoices",
        params: CustomerParams,
        response: { 200: TaxSettings },
      },
    },
    async (request) => customerTax(db, request.call(), request.params.id),
  );

  app.put(
    '/customers/:id/tax',
    {
      config: { policy: 'invoicesIssue' },
      schema: {
        tags,
        summary: "Set the tax on the customer's future invoices (issued ones keep theirs)",
        params: CustomerParams,
        body: TaxSettings,
        response: { 200: TaxSettings },
      },
    },
    async (request) => setCustomerTax(db, request.call(), request.params.id, request.body),
  );

  app.get(
    '/my/invoices',
    {
      config: { policy: 'customerSelf' },
      schema: {
        tags,
        summary: "Your organisation's issued invoices and credit notes",
        response: { 200: InvoiceList },
      },
    },
    async (request) => {
      const call = request.call();
      const customer = await customerOf(db, call.actor);
      const list = await listInvoices(db, call, customer.id);
      return { items: list.items.filter((i) => i.status !== 'draft') };
    },
  );

  app.get(
    '/my/invoices/:invoiceId',
    {
      config: { policy: 'customerSelf' },
      schema: {
        tags,
        summary: 'One of your invoices: JSON, PDF or CSV',
        params: Type.Object({ invoiceId: Type.String() }),
        querystring: DocumentQuery,
      },
    },
    async (request, reply) => {
      const call = request.call();
      const own = await customerOf(db, call.actor);
      const { customer, invoice } = await getInvoice(db, call, own.id, request.params.invoiceId);
      if (invoice.status === 'draft')
        throw invalid(
          'invoice-not-issued',
          'This invoice has not been issued yet; it appears once its month closes.',
        );
      // Which agent issued it is the partner's business, not the customer's.
      return sendInvoice(request, reply, customer, { ...invoice, issuedBy: null }, request.query);
    },
  );

  app.post(
    '/rates/import',
    {
      config: { policy: 'invoicesIssue' },
      schema: {
        tags,
        summary: 'Import exchange rates (text/csv: date,base,quote,rate[,source]; docs/rates-csv.md)',
        response: { 200: Type.Object({ rates: Type.Integer() }) },
      },
    },
    async (request) => {
      if (typeof request.body !== 'string')
        throw invalid(
          'csv-body-required',
          'Send the rates as a text/csv body (columns date,base,quote,rate).',
        );
      const call = request.call();
      return importRatesCsv(db, request.body, {
        source: 'api',
        scope: { partnerId: call.actor.partnerId },
        recordFor: () => call,
      });
    },
  );

  async function sendInvoice(
    request: FastifyRequest,
    reply: FastifyReply,
    customer: Parameters<typeof documentLanguage>[1],
    invoice: Awaited<ReturnType<typeof getInvoice>>['invoice'],
    query: { format?: 'json' | 'pdf' | 'csv'; lang?: 'en' | 'id' },
  ) {
    const format = formatOf(request, query.format);
    if (format === 'json')
      return {
        ...invoice,
        closesOn: invoice.status === 'draft' ? closesOn(invoice.month, monthCloseDays) : null,
      };
    const lang = documentLanguage(query.lang, customer);
    const name = `${invoice.number ?? `draft-${invoice.month}`}-${lang}`;
    if (format === 'csv')
      return reply
        .type('text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="${name}.csv"`)
        .send(invoiceCsv(invoice, lang));
    const partner = await db
      .selectFrom('partners')
      .select(['name', 'domain'])
      .where('id', '=', customer.partner_id)
      .executeTakeFirstOrThrow();
    return reply
      .type('application/pdf')
      .header('Content-Disposition', `inline; filename="${name}.pdf"`)
      .send(await invoicePdf(invoice, partner, lang));
  }
}
