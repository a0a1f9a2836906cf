import {
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  Text,
  tokens,
} from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { InvoiceDetail } from '../../api.ts';
import { utcDay } from '../../dates.ts';
import { useFormat } from '../../format.ts';
import { DetailList } from '../DetailList.tsx';
import { RouterLink } from '../RouterLink.tsx';
import { InvoiceLines } from './InvoiceLines.tsx';
import { InvoiceStatusBadge } from './InvoiceStatusBadge.tsx';
import { useInvoiceFormat } from './useInvoiceFormat.ts';

const useStyles = makeStyles({
  card: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
    padding: tokens.spacingHorizontalXL,
    backgroundColor: tokens.colorNeutralBackground1,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    boxShadow: tokens.shadow4,
  },
  head: {
    display: 'flex',
    justifyContent: 'space-between',
    alignItems: 'flex-start',
    gap: tokens.spacingHorizontalL,
    flexWrap: 'wrap',
    paddingBottom: tokens.spacingVerticalM,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  title: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  heading: { margin: 0, fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold },
  parties: {
    display: 'grid',
    gridTemplateColumns: 'minmax(220px, 1fr) minmax(260px, 1fr)',
    gap: tokens.spacingHorizontalXXL,
  },
  billTo: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  label: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  muted: { color: tokens.colorNeutralForeground3 },
  rate: { color: tokens.colorNeutralForeground2 },
});

/**
 * One invoice or credit note as the customer receives it: bill-to, number, dates, lines, sums and,
 * for a converted one, the rate sentence. `numberOf` and `pageOf` turn the ids it refers to (the
 * invoice a credit note cancels, the credit note of a credited invoice) into numbers and links.
 */
export function InvoiceDocument(props: {
  invoice: InvoiceDetail;
  numberOf: (invoiceId: string) => string | null;
  pageOf: (invoiceId: string) => string;
  actions?: ReactNode;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const format = useFormat();
  const f = useInvoiceFormat();
  const inv = props.invoice;
  const link = (id: string) => (
    <RouterLink href={props.pageOf(id)} data-testid="invoice-reference">
      {props.numberOf(id) ?? t('invoices.kind.invoice')}
    </RouterLink>
  );
  const rate = f.rateSentence(inv);

  return (
    <section
      className={styles.card}
      data-testid="invoice-document"
      data-invoice-id={inv.id}
      aria-label={f.title(inv)}
    >
      <div className={styles.head}>
        <div className={styles.title}>
          <Text as="h2" className={styles.heading} data-testid="invoice-title">
            {f.title(inv)}
          </Text>
          <InvoiceStatusBadge invoice={inv} />
        </div>
        {props.actions}
      </div>
      <Notes invoice={inv} link={link} />
      <div className={styles.parties}>
        <div className={styles.billTo} data-testid="invoice-bill-to">
          <Text className={styles.label}>{t('invoices.billTo')}</Text>
          <Text weight="semibold">{inv.billTo.companyName}</Text>
          {addressLines(inv.billTo, format.country).map((line) => (
            <Text key={line}>{line}</Text>
          ))}
          <Text className={styles.muted}>{inv.billTo.email}</Text>
        </div>
        <DetailList
          items={[
            {
              label: t('invoices.number'),
              value: inv.number ?? t('invoices.notIssued'),
              testId: 'invoice-number',
            },
            {
              label: t('invoices.issueDate'),
              value: inv.issuedAt ? format.date(inv.issuedAt) : t('invoices.notIssued'),
              testId: 'invoice-issue-date',
            },
            { label: t('invoices.period'), value: f.month(inv.month), testId: 'invoice-period' },
            { label: t('invoices.currency'), value: inv.currency },
          ]}
        />
      </div>
      <InvoiceLines invoice={inv} />
      {rate && (
        <Text size={200} className={styles.rate} data-testid="invoice-rate">
          {rate}
        </Text>
      )}
    </section>
  );
}

/**
 * The address with its country in words, as the PDF prints it: the stored address ends with the
 * ISO code ("ID"), which reads like a typo on a letter.
 */
function addressLines(billTo: InvoiceDetail['billTo'], countryName: (code: string) => string) {
  const code = billTo.country;
  return billTo.address.map((line, i) => {
    if (i !== billTo.address.length - 1 || !code) return line;
    if (line === code) return countryName(code);
    return line.endsWith(`, ${code}`) ? `${line.slice(0, -code.length)}${countryName(code)}` : line;
  });
}

/** What a reader must know before the figures: a draft, a credited invoice, a correction. */
function Notes({ invoice: inv, link }: { invoice: InvoiceDetail; link: (id: string) => ReactNode }) {
  const { t } = useTranslation();
  const format = useFormat();
  const f = useInvoiceFormat();
  const month = f.month(inv.month);
  if (inv.status === 'draft') {
    const due = inv.closesOn !== null && inv.closesOn <= utcDay();
    return (
      <MessageBar intent="warning" layout="multiline" data-testid="invoice-draft-note">
        <MessageBarBody>
          <MessageBarTitle>{t('invoices.draft.title')}</MessageBarTitle>
          {t('invoices.draft.body', { month })}{' '}
          {inv.closesOn &&
            t(due ? 'invoices.draft.due' : 'invoices.draft.closesOn', {
              month,
              date: format.date(inv.closesOn),
            })}
        </MessageBarBody>
      </MessageBar>
    );
  }
  const reason = inv.reason ? <> {t('invoices.reason', { reason: inv.reason })}</> : null;
  if (inv.kind === 'credit_note' && inv.corrects) {
    return (
      <MessageBar intent="info" layout="multiline" data-testid="invoice-correction-note">
        <MessageBarBody>
          {t('invoices.creditNoteOf')} {link(inv.corrects)}.{reason}
        </MessageBarBody>
      </MessageBar>
    );
  }
  if (inv.status === 'credited' && inv.creditedBy) {
    return (
      <MessageBar intent="warning" layout="multiline" data-testid="invoice-credited-note">
        <MessageBarBody>
          {t('invoices.creditedBy')} {link(inv.creditedBy)}. {t('invoices.credited')}
        </MessageBarBody>
      </MessageBar>
    );
  }
  if (inv.corrects) {
    return (
      <MessageBar intent="info" layout="multiline" data-testid="invoice-correction-note">
        <MessageBarBody>
          {t('invoices.replaces')} {link(inv.corrects)}.{reason}
        </MessageBarBody>
      </MessageBar>
    );
  }
  return null;
}
