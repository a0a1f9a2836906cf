import {
  Button,
  Card,
  CardHeader,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { LockClosed16Regular, Tag20Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorBar, Loading } from '../../../components/QueryState.tsx';
import type { PriceListScope, PriceListVersion, PriceListView } from '../../../priceLists.ts';
import { bodyOf, type Draft, draftOf, draftProblems, isDirty } from './draft.ts';
import { EffectiveFields } from './EffectiveFields.tsx';
import { MarkupFields } from './MarkupFields.tsx';
import { OverridesEditor } from './OverridesEditor.tsx';
import { PriceListStatus } from './PriceListStatus.tsx';
import { PriceTable } from './PriceTable.tsx';
import { usePriceList, usePricePreview, useSavePriceList } from './usePriceList.ts';
import { useUtcDate } from './useUtcDate.ts';

const useStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  card: { padding: tokens.spacingHorizontalL, gap: tokens.spacingVerticalM },
  icon: { color: tokens.colorBrandForeground1, fontSize: '20px' },
  title: { margin: 0, fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400 },
  subtitle: { margin: 0, fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase300 },
  description: { color: tokens.colorNeutralForeground3, maxWidth: '90ch' },
  section: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    paddingTop: tokens.spacingVerticalM,
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', flexWrap: 'wrap' },
  previewHead: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
});

/** The versions of a view, so the form starts afresh whenever a save changed them. */
const versionsKey = (view: PriceListView) =>
  [view.current?.id, view.fallback?.id, ...view.scheduled.map((v) => v.id)].join('|');

/**
 * The price list editor (B9): a customer's own list, or the partner's default. Markups per kind,
 * overrides, when it takes effect, the prices it gives (priced by the server), and Save with what
 * saving does. Sales and Helpdesk agents see it read-only.
 */
export function PriceListEditor(props: {
  scope: PriceListScope;
  title: string;
  description: string;
  companyName?: string;
}) {
  const { t } = useTranslation();
  const query = usePriceList(props.scope);
  const [saved, setSaved] = useState<PriceListVersion | null>(null);
  const utcDate = useUtcDate();
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorBar error={query.error} onRetry={() => void query.refetch()} />;
  return (
    <>
      {saved && (
        <MessageBar intent="success" data-testid="price-list-saved" style={{ marginBottom: 12 }}>
          <MessageBarBody>
            {saved.status === 'scheduled'
              ? t('priceList.savedScheduled', { date: utcDate(saved.effectiveFrom) })
              : t('priceList.saved')}
          </MessageBarBody>
        </MessageBar>
      )}
      <PriceListForm
        key={versionsKey(query.data)}
        {...props}
        view={query.data}
        onSaved={(version) => setSaved(version)}
        onEdit={() => setSaved(null)}
      />
    </>
  );
}

function PriceListForm(props: {
  scope: PriceListScope;
  title: string;
  description: string;
  companyName?: string;
  view: PriceListView;
  onSaved: (version: PriceListVersion) => void;
  onEdit: () => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const utcDate = useUtcDate();
  const { view } = props;
  const inEffect = view.current ?? view.fallback;
  const [draft, setDraftState] = useState<Draft>(() => draftOf(inEffect));
  const readOnly = !view.canEdit;
  const problems = draftProblems(draft);
  const dirty = !readOnly && isDirty(draft, inEffect);
  const body = bodyOf(draft);
  const preview = usePricePreview(props.scope, dirty ? body : null);
  const save = useSavePriceList(props.scope);
  const setDraft = (next: Draft) => {
    props.onEdit();
    setDraftState(next);
  };

  const moment = draft.timing === 'date' ? `${draft.date}T00:00:00Z` : new Date().toISOString();
  const later = view.scheduled.find((v) => v.effectiveFrom > moment);
  const showPreview = dirty && body !== null && preview.data !== undefined && !preview.isError;
  const rows = showPreview ? preview.data!.prices : view.prices;

  return (
    <div className={styles.stack}>
      <Card className={styles.card} data-testid="price-list-editor">
        <CardHeader
          image={<Tag20Regular className={styles.icon} />}
          header={
            <Text as="h2" className={styles.title}>
              {props.title}
            </Text>
          }
        />
        <Text className={styles.description}>{props.description}</Text>
        <PriceListStatus view={view} companyName={props.companyName} />
        {readOnly && (
          <MessageBar intent="info" icon={<LockClosed16Regular />} data-testid="price-list-read-only">
            <MessageBarBody>{t('priceList.readOnly')}</MessageBarBody>
          </MessageBar>
        )}

        <section className={styles.section} aria-labelledby="markups-title">
          <Text as="h3" id="markups-title" className={styles.subtitle}>
            {t('priceList.markupsTitle')}
          </Text>
          <Text className={styles.description}>{t('priceList.markupsHint')}</Text>
          <MarkupFields
            markups={draft.markups}
            readOnly={readOnly}
            onChange={(kind, value) => setDraft({ ...draft, markups: { ...draft.markups, [kind]: value } })}
          />
        </section>

        <section className={styles.section} aria-labelledby="overrides-title">
          <Text as="h3" id="overrides-title" className={styles.subtitle}>
            {t('priceList.overridesTitle')}
          </Text>
          <Text className={styles.description}>{t('priceList.overridesHint')}</Text>
          <OverridesEditor
            overrides={draft.overrides}
            rows={view.prices}
            invalid={problems.overrides}
            readOnly={readOnly}
            onChange={(overrides) => setDraft({ ...draft, overrides })}
          />
        </section>

        {!readOnly && (
          <section className={styles.section} aria-labelledby="effective-title">
            <Text as="h3" id="effective-title" className={styles.subtitle}>
              {t('priceList.effectiveTitle')}
            </Text>
            <EffectiveFields
              draft={draft}
              invalidDate={problems.date}
              readOnly={readOnly}
              onChange={(change) => setDraft({ ...draft, ...change })}
            />
            <MessageBar
              layout="multiline"
              intent={draft.timing === 'date' ? 'info' : 'warning'}
              data-testid="price-list-consequences"
            >
              <MessageBarBody>
                <MessageBarTitle>
                  {draft.timing === 'date'
                    ? t('priceList.consequencesDated', { date: utcDate(`${draft.date}T00:00:00Z`) })
                    : t('priceList.consequencesNow')}
                </MessageBarTitle>
                {[
                  props.scope === 'default' ? t('priceList.consequencesDefault') : null,
                  later ? t('priceList.consequencesLater', { date: utcDate(later.effectiveFrom) }) : null,
                ]
                  .filter(Boolean)
                  .join(' ')}
              </MessageBarBody>
            </MessageBar>
            {save.isError && <ErrorBar error={save.error} />}
            {preview.isError && dirty && <ErrorBar error={preview.error} />}
            <div className={styles.actions}>
              <Button
                appearance="primary"
                disabled={!dirty || body === null || save.isPending}
                icon={save.isPending ? <Spinner size="tiny" /> : undefined}
                onClick={() => body && save.mutate(body, { onSuccess: props.onSaved })}
                data-testid="price-list-save"
              >
                {save.isPending ? t('priceList.saving') : t('priceList.save')}
              </Button>
              <Button
                disabled={!dirty || save.isPending}
                onClick={() => setDraft(draftOf(inEffect))}
                data-testid="price-list-discard"
              >
                {t('priceList.discard')}
              </Button>
            </div>
          </section>
        )}
      </Card>

      <Card className={styles.card} data-testid="price-list-prices">
        <div className={styles.previewHead}>
          <Text as="h2" className={styles.title}>
            {t('priceList.previewTitle')}
          </Text>
          {dirty && body !== null && preview.isFetching && (
            <Spinner size="tiny" aria-label={t('priceList.previewing')} />
          )}
        </div>
        <Text className={styles.description}>
          {showPreview ? t('priceList.previewDraft') : t('priceList.previewCurrent')}
        </Text>
        <PriceTable
          rows={rows}
          currency={view.currency}
          current={showPreview ? view.prices : undefined}
          testId="price-list-table"
        />
      </Card>
    </div>
  );
}
