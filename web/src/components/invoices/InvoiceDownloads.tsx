import { Button, Dropdown, Field, makeStyles, Option, tokens } from '@fluentui/react-components';
import { ArrowDownload20Regular, DocumentPdf20Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentFormat, DocumentLanguage } from '../../api.ts';
import { languages } from '../../i18n.ts';

const useStyles = makeStyles({
  bar: { display: 'flex', alignItems: 'flex-end', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  language: { minWidth: '180px' },
});

/**
 * PDF and CSV of one invoice in the language chosen here — by default the customer's own, whatever
 * language the portal is in: the document goes to the customer. Plain links, so the browser opens
 * the PDF and saves the CSV with the session cookie.
 */
export function InvoiceDownloads(props: {
  urlOf: (format: DocumentFormat, lang: DocumentLanguage) => string;
  defaultLanguage: DocumentLanguage;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const [lang, setLang] = useState<DocumentLanguage>(props.defaultLanguage);
  return (
    <div className={styles.bar}>
      <Field label={t('invoices.downloads.language')} size="small">
        <Dropdown
          size="small"
          className={styles.language}
          value={t(`lang.${lang}`)}
          selectedOptions={[lang]}
          onOptionSelect={(_, data) => data.optionValue && setLang(data.optionValue as DocumentLanguage)}
          data-testid="invoice-document-language"
        >
          {languages.map((language) => (
            <Option key={language} value={language} data-testid={`invoice-language-${language}`}>
              {t(`lang.${language}`)}
            </Option>
          ))}
        </Dropdown>
      </Field>
      <Button
        as="a"
        size="small"
        href={props.urlOf('pdf', lang)}
        target="_blank"
        rel="noopener"
        icon={<DocumentPdf20Regular />}
        data-testid="invoice-pdf"
      >
        {t('invoices.downloads.pdf')}
      </Button>
      <Button
        as="a"
        size="small"
        href={props.urlOf('csv', lang)}
        download
        icon={<ArrowDownload20Regular />}
        data-testid="invoice-csv"
      >
        {t('invoices.downloads.csv')}
      </Button>
    </div>
  );
}
