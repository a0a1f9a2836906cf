import {
  Badge,
  Button,
  Card,
  CardHeader,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { Edit16Regular, LockClosed16Regular, ShieldTask20Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerDetail, GuardrailsView, MoneyAmount } from '../../../api.ts';
import { ConsequencesBar } from '../../../components/ConsequencesBar.tsx';
import { ErrorBar, Loading } from '../../../components/QueryState.tsx';
import { useFormat } from '../../../format.ts';
import { isAdminAgent, useMe } from '../../../session.ts';
import { useGuardrails, useSaveGuardrails } from './useGuardrails.ts';

const useStyles = makeStyles({
  section: { marginTop: tokens.spacingVerticalL },
  card: { padding: tokens.spacingHorizontalL, gap: tokens.spacingVerticalM },
  icon: { color: tokens.colorBrandForeground1, fontSize: '20px' },
  title: { margin: 0, fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400 },
  description: { color: tokens.colorNeutralForeground3, maxWidth: '80ch' },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(14em, 1fr))',
    gap: tokens.spacingHorizontalL,
  },
  fact: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  label: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  value: { fontWeight: tokens.fontWeightSemibold },
  muted: { color: tokens.colorNeutralForeground3 },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'flex', gap: tokens.spacingHorizontalM, flexWrap: 'wrap', alignItems: 'flex-end' },
  fields: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  amount: { width: '12em' },
  currency: { width: '6em' },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS },
  readOnly: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalXS,
    color: tokens.colorNeutralForeground3,
    fontSize: tokens.fontSizeBase200,
  },
});

const points = ['limit', 'counts', 'threshold', 'approval', 'partner'] as const;

/** What the guardrails mean for the customer's purchases (B2). */
function GuardrailsConsequences({ company, currency }: { company: string; currency: string }) {
  const { t } = useTranslation();
  return (
    <ConsequencesBar
      intent="info"
      testId="guardrails-consequences"
      title={t('guardrails.consequencesTitle', { company })}
      points={points.map((point) => t(`guardrails.consequences.${point}`, { currency }))}
    />
  );
}

interface Draft {
  amount: string;
  currency: string;
}
const draftOf = (m: MoneyAmount | null, fallback: string): Draft => ({
  amount: m?.amount ?? '',
  currency: m?.currency ?? fallback,
});
const bodyOf = (d: Draft): MoneyAmount | null =>
  d.amount.trim() ? { amount: d.amount.trim(), currency: d.currency.trim().toUpperCase() } : null;

function MoneyFields(props: {
  name: 'limit' | 'threshold';
  draft: Draft;
  onChange: (d: Draft) => void;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  return (
    <div className={styles.fields}>
      <div className={styles.row}>
        <Field label={t(`guardrails.${props.name}`)}>
          <Input
            className={styles.amount}
            inputMode="decimal"
            value={props.draft.amount}
            placeholder={t('guardrails.none')}
            disabled={props.disabled}
            onChange={(_, data) => props.onChange({ ...props.draft, amount: data.value })}
            data-testid={`guardrails-${props.name}-amount`}
          />
        </Field>
        <Field label={t('guardrails.currency')}>
          <Input
            className={styles.currency}
            value={props.draft.currency}
            maxLength={3}
            disabled={props.disabled}
            onChange={(_, data) => props.onChange({ ...props.draft, currency: data.value })}
            data-testid={`guardrails-${props.name}-currency`}
          />
        </Field>
      </div>
      <Text size={200} className={styles.muted}>
        {t(`guardrails.${props.name}Hint`)}
      </Text>
    </div>
  );
}

function GuardrailsEditor(props: { customer: CustomerDetail; view: GuardrailsView; onDone: () => void }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const currency = props.view.billingCurrency;
  const [limit, setLimit] = useState(() => draftOf(props.view.monthlyLimit, currency));
  const [threshold, setThreshold] = useState(() => draftOf(props.view.approvalThreshold, currency));
  const save = useSaveGuardrails(props.customer.id);
  return (
    <form
      className={styles.form}
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate(
          { monthlyLimit: bodyOf(limit), approvalThreshold: bodyOf(threshold) },
          { onSuccess: props.onDone },
        );
      }}
      data-testid="guardrails-form"
    >
      <MoneyFields name="limit" draft={limit} onChange={setLimit} disabled={save.isPending} />
      <MoneyFields name="threshold" draft={threshold} onChange={setThreshold} disabled={save.isPending} />
      <GuardrailsConsequences company={props.customer.companyName} currency={currency} />
      {save.isError && (
        <MessageBar intent="error" layout="multiline" data-testid="guardrails-error">
          <MessageBarBody>
            <MessageBarTitle>{t('guardrails.saveFailed')}</MessageBarTitle>
            {save.error.message}
          </MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.actions}>
        <Button
          type="submit"
          appearance="primary"
          disabled={save.isPending}
          icon={save.isPending ? <Spinner size="tiny" /> : undefined}
          data-testid="guardrails-save"
        >
          {t('guardrails.save')}
        </Button>
        <Button onClick={props.onDone} disabled={save.isPending} data-testid="guardrails-cancel">
          {t('guardrails.cancel')}
        </Button>
      </div>
    </form>
  );
}

/** "Guardrails" (Batas belanja) on the customer's Account page (B2). */
export function Guardrails({ customer }: { customer: CustomerDetail }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const format = useFormat();
  const me = useMe();
  const query = useGuardrails(customer.id);
  const [editing, setEditing] = useState(false);
  const canEdit = me.data ? isAdminAgent(me.data) : false;
  const view = query.data;
  const money = (m: MoneyAmount | null) => (m ? format.money(m.amount, m.currency) : t('guardrails.none'));

  return (
    <section className={styles.section} aria-labelledby="guardrails-title">
      <Card className={styles.card} data-testid="guardrails">
        <CardHeader
          image={<ShieldTask20Regular className={styles.icon} />}
          header={
            <Text as="h2" id="guardrails-title" className={styles.title}>
              {t('guardrails.title')}
            </Text>
          }
          action={
            canEdit && view && !editing ? (
              <Button icon={<Edit16Regular />} onClick={() => setEditing(true)} data-testid="guardrails-edit">
                {t('guardrails.edit')}
              </Button>
            ) : undefined
          }
        />
        <Text className={styles.description}>
          {t('guardrails.description', { company: customer.companyName })}
        </Text>
        {query.isPending && <Loading />}
        {query.isError && <ErrorBar error={query.error} onRetry={() => void query.refetch()} />}
        {view && (
          <div className={styles.facts} data-testid="guardrails-state">
            <div className={styles.fact}>
              <Text className={styles.label}>{t('guardrails.limit')}</Text>
              <Text className={styles.value} data-testid="guardrails-limit">
                {money(view.monthlyLimit)}
              </Text>
            </div>
            <div className={styles.fact}>
              <Text className={styles.label}>{t('guardrails.threshold')}</Text>
              <Text className={styles.value} data-testid="guardrails-threshold">
                {money(view.approvalThreshold)}
              </Text>
            </div>
            <div className={styles.fact}>
              <Text className={styles.label}>
                {t('guardrails.spent', {
                  month: new Date(`${view.month}-01T00:00:00Z`).toLocaleDateString(format.locale, {
                    month: 'long',
                    year: 'numeric',
                    timeZone: 'UTC',
                  }),
                })}
              </Text>
              <Text className={styles.value} data-testid="guardrails-spent">
                {money(view.spent)}
              </Text>
            </div>
            <div className={styles.fact}>
              <Text className={styles.label}>{t('guardrails.remaining')}</Text>
              <Text className={styles.value} data-testid="guardrails-remaining">
                {view.remaining ? (
                  <>
                    {money(view.remaining)}{' '}
                    {/^0(\.0+)?$/.test(view.remaining.amount) ? (
                      <Badge appearance="tint" color="danger">
                        {t('guardrails.reached')}
                      </Badge>
                    ) : null}
                  </>
                ) : (
                  t('guardrails.noLimit')
                )}
              </Text>
            </div>
          </div>
        )}
        {view && (
          <Text size={200} className={styles.muted}>
            {view.changedAt
              ? t('guardrails.changed', { when: format.dateTime(view.changedAt), who: view.changedBy ?? '' })
              : t('guardrails.neverChanged')}
          </Text>
        )}
        {view && editing && (
          <GuardrailsEditor customer={customer} view={view} onDone={() => setEditing(false)} />
        )}
        {view && !canEdit && (
          <Text className={styles.readOnly} data-testid="guardrails-read-only">
            <LockClosed16Regular />
            {t('guardrails.readOnly')}
          </Text>
        )}
      </Card>
    </section>
  );
}
