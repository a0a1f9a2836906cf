import {
  Badge,
  Button,
  Card,
  CardHeader,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  Radio,
  RadioGroup,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { Edit16Regular, LockClosed16Regular, MoneyCalculator20Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CostManagementView, CustomerDetail } from '../../../api.ts';
import { ConsequencesBar } from '../../../components/ConsequencesBar.tsx';
import { ErrorBar, Loading } from '../../../components/QueryState.tsx';
import { useFormat } from '../../../format.ts';
import { isAdminAgent, useMe } from '../../../session.ts';
import { useCostManagement, useSaveCostManagement } from './useCostManagement.ts';

const useStyles = makeStyles({
  section: { marginTop: tokens.spacingVerticalL },
  card: { padding: tokens.spacingHorizontalL, gap: tokens.spacingVerticalM },
  icon: { color: tokens.colorBrandForeground1, fontSize: '20px' },
  title: { margin: 0, fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400 },
  description: { color: tokens.colorNeutralForeground3, maxWidth: '80ch' },
  state: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  muted: { color: tokens.colorNeutralForeground3 },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  radios: { marginLeft: `calc(-1 * ${tokens.spacingHorizontalS})` },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS },
  readOnly: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalXS,
    color: tokens.colorNeutralForeground3,
    fontSize: tokens.fontSizeBase200,
  },
});

const points = ['retail', 'currency', 'scope', 'noPurchases', 'partnerViews'] as const;

/** What turning cost management on means for the customer and for the partner (R17, R18). */
function CostManagementConsequences({ company, currency }: { company: string; currency: string }) {
  const { t } = useTranslation();
  return (
    <ConsequencesBar
      intent="info"
      testId="cost-management-consequences"
      title={t('costManagement.consequencesTitle', { company })}
      points={points.map((point) => t(`costManagement.consequences.${point}`, { currency }))}
    />
  );
}

function CostManagementEditor(props: {
  customer: CustomerDetail;
  view: CostManagementView;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const [enabled, setEnabled] = useState(props.view.enabled);
  const save = useSaveCostManagement(props.customer.id);
  return (
    <form
      className={styles.form}
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate(enabled, { onSuccess: props.onDone });
      }}
      data-testid="cost-management-form"
    >
      <RadioGroup
        className={styles.radios}
        aria-labelledby="cost-management-title"
        value={enabled ? 'on' : 'off'}
        disabled={save.isPending}
        onChange={(_, data) => setEnabled(data.value === 'on')}
      >
        <Radio value="on" label={t('costManagement.enable')} data-testid="cost-management-on" />
        <Radio value="off" label={t('costManagement.disable')} data-testid="cost-management-off" />
      </RadioGroup>
      {enabled && !props.view.enabled && (
        <CostManagementConsequences company={props.customer.companyName} currency={props.customer.currency} />
      )}
      {!enabled && props.view.enabled && (
        <MessageBar intent="warning" data-testid="cost-management-disable-note">
          <MessageBarBody>
            {t('costManagement.disableNote', { company: props.customer.companyName })}
          </MessageBarBody>
        </MessageBar>
      )}
      {save.isError && (
        <MessageBar intent="error" layout="multiline" data-testid="cost-management-error">
          <MessageBarBody>
            <MessageBarTitle>{t('costManagement.saveFailed')}</MessageBarTitle>
            {save.error.message}
          </MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.actions}>
        <Button
          type="submit"
          appearance="primary"
          disabled={enabled === props.view.enabled || save.isPending}
          icon={save.isPending ? <Spinner size="tiny" /> : undefined}
          data-testid="cost-management-save"
        >
          {t('costManagement.save')}
        </Button>
        <Button onClick={props.onDone} disabled={save.isPending} data-testid="cost-management-cancel">
          {t('costManagement.cancel')}
        </Button>
      </div>
    </form>
  );
}

/** "Cost management" (Manajemen biaya) on the customer's Account page: the R17 switch. */
export function CostManagement({ customer }: { customer: CustomerDetail }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const format = useFormat();
  const me = useMe();
  const query = useCostManagement(customer.id);
  const [editing, setEditing] = useState(false);
  const canEdit = me.data ? isAdminAgent(me.data) : false;
  const view = query.data;

  return (
    <section className={styles.section} aria-labelledby="cost-management-title">
      <Card className={styles.card} data-testid="cost-management">
        <CardHeader
          image={<MoneyCalculator20Regular className={styles.icon} />}
          header={
            <Text as="h2" id="cost-management-title" className={styles.title}>
              {t('costManagement.title')}
            </Text>
          }
          action={
            canEdit && view && !editing ? (
              <Button
                icon={<Edit16Regular />}
                onClick={() => setEditing(true)}
                data-testid="cost-management-edit"
              >
                {t('costManagement.edit')}
              </Button>
            ) : undefined
          }
        />
        <Text className={styles.description}>
          {t('costManagement.description', { company: customer.companyName })}
        </Text>
        {query.isPending && <Loading />}
        {query.isError && <ErrorBar error={query.error} onRetry={() => void query.refetch()} />}
        {view && (
          <div className={styles.state} data-testid="cost-management-state">
            <Badge appearance="tint" color={view.enabled ? 'success' : 'subtle'}>
              {view.enabled ? t('costManagement.enabled') : t('costManagement.disabled')}
            </Badge>
            <Text size={200} className={styles.muted}>
              {view.changedAt
                ? t('costManagement.changed', {
                    when: format.dateTime(view.changedAt),
                    who: view.changedBy ?? '',
                  })
                : t('costManagement.neverChanged')}
            </Text>
          </div>
        )}
        {view &&
          (editing ? (
            <CostManagementEditor customer={customer} view={view} onDone={() => setEditing(false)} />
          ) : (
            <CostManagementConsequences company={customer.companyName} currency={customer.currency} />
          ))}
        {view && !canEdit && (
          <Text className={styles.readOnly} data-testid="cost-management-read-only">
            <LockClosed16Regular />
            {t('costManagement.readOnly')}
          </Text>
        )}
      </Card>
    </section>
  );
}
