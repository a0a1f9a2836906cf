import {
  Breadcrumb,
  BreadcrumbButton,
  BreadcrumbDivider,
  BreadcrumbItem,
  Card,
  CardHeader,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  Text,
  tokens,
} from '@fluentui/react-components';
import {
  DataUsage20Regular,
  Info20Regular,
  ReceiptMoney20Regular,
  TextBulletListSquare20Regular,
} from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type CommitmentKind, type CommitmentView, isApiError } from '../../../api.ts';
import { BoughtByBadge } from '../../../components/commitments/BoughtByBadge.tsx';
import { CommitmentFacts } from '../../../components/commitments/CommitmentFacts.tsx';
import { CommitmentPrices } from '../../../components/commitments/CommitmentPrices.tsx';
import { CommitmentStatusBadge } from '../../../components/commitments/CommitmentStatusBadge.tsx';
import { RenameInline } from '../../../components/commitments/RenameInline.tsx';
import { UtilizationPanel } from '../../../components/commitments/UtilizationPanel.tsx';
import { useCommitmentFormat } from '../../../components/commitments/useCommitmentFormat.ts';
import { DetailList } from '../../../components/DetailList.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { ErrorBar, Loading } from '../../../components/QueryState.tsx';
import { useFormat } from '../../../format.ts';
import { paths, useRouter } from '../../../router.tsx';
import {
  isOwner,
  useMyCommitment,
  useMySubscriptions,
  useMyUtilization,
  useRenameMyCommitment,
} from './useMyCommitments.ts';

const useStyles = makeStyles({
  grid: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 1.1fr) minmax(0, 1fr)',
    gap: tokens.spacingHorizontalL,
    alignItems: 'start',
    '@media (max-width: 1000px)': { gridTemplateColumns: 'minmax(0, 1fr)' },
  },
  column: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, minWidth: 0 },
  card: { padding: tokens.spacingHorizontalL, gap: tokens.spacingVerticalM },
  icon: { color: tokens.colorBrandForeground1, fontSize: '20px' },
  cardTitle: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400 },
  badges: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', flexWrap: 'wrap' },
  list: { margin: 0, paddingInlineStart: tokens.spacingHorizontalXL },
  success: { marginBottom: tokens.spacingVerticalL },
});

/** Just bought: the purchase page sends the buyer here with `?bought=1`. */
const justBought = () => new URLSearchParams(window.location.search).get('bought') === '1';

export function MyCommitmentPage({ kind, id }: { kind: CommitmentKind; id: string }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const { navigate } = useRouter();
  const query = useMyCommitment(kind, id);
  const subscriptions = useMySubscriptions();
  const [bought] = useState(justBought);
  const listHref = paths.myCommitments(kind);
  const text = (key: string, values?: Record<string, unknown>) => t(`myCommitments.${kind}.${key}`, values);

  const breadcrumb = (
    <Breadcrumb size="small" aria-label={text('title')}>
      <BreadcrumbItem>
        <BreadcrumbButton
          href={listHref}
          onClick={(event) => {
            event.preventDefault();
            navigate(listHref);
          }}
          data-testid="breadcrumb-list"
        >
          {text('title')}
        </BreadcrumbButton>
      </BreadcrumbItem>
      <BreadcrumbDivider />
      <BreadcrumbItem>
        <BreadcrumbButton current>{query.data?.displayName ?? '…'}</BreadcrumbButton>
      </BreadcrumbItem>
    </Breadcrumb>
  );

  if (query.isPending) return <Loading />;
  if (query.isError) {
    const missing = isApiError(query.error, 404);
    return (
      <>
        <PageHeader above={breadcrumb} title={text('title')} />
        <ErrorBar
          error={missing ? new Error(text('notFound')) : query.error}
          onRetry={missing ? undefined : () => void query.refetch()}
        />
      </>
    );
  }
  const c = query.data;
  const mine = subscriptions.data?.items ?? [];
  const billing = mine.find(
    (s) => s.id === c.billingSubscriptionId || s.entitlementId === c.billingSubscriptionId,
  );
  const canRename = c.status === 'Succeeded' && Boolean(billing && isOwner(billing));

  return (
    <>
      <PageHeader
        above={breadcrumb}
        title={<span data-testid="commitment-title">{c.displayName}</span>}
        description={<Summary commitment={c} />}
      />
      {bought && (
        <MessageBar intent="success" className={styles.success} data-testid="purchase-success">
          <MessageBarBody>
            <MessageBarTitle>{t('commitment.boughtTitle')}</MessageBarTitle>
            {t('commitment.boughtBody')}
          </MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.grid}>
        <div className={styles.column}>
          <Card className={styles.card} data-testid="commitment-details">
            <CardHeader
              image={<TextBulletListSquare20Regular className={styles.icon} />}
              header={<Text className={styles.cardTitle}>{t('commitment.details')}</Text>}
            />
            <DetailList
              items={[
                {
                  label: t('commitment.name'),
                  value: <Rename kind={kind} commitment={c} canRename={canRename} />,
                },
              ]}
            />
            <CommitmentFacts
              commitment={c}
              subscriptions={mine}
              perspective="customer"
              hrefOf={(other) => paths.myCommitment(kind, other)}
            />
          </Card>
        </div>
        <div className={styles.column}>
          <Card className={styles.card} data-testid="commitment-prices">
            <CardHeader
              image={<ReceiptMoney20Regular className={styles.icon} />}
              header={<Text className={styles.cardTitle}>{t('commitment.price')}</Text>}
            />
            <CommitmentPrices
              commitment={c}
              chargedTitle={t('commitment.youPay')}
              chargedHint={t('commitment.youPayHint')}
            />
          </Card>
          <Card className={styles.card} data-testid="utilisation">
            <CardHeader
              image={<DataUsage20Regular className={styles.icon} />}
              header={<Text className={styles.cardTitle}>{t('commitment.utilisation')}</Text>}
            />
            <Utilisation kind={kind} id={c.id} />
          </Card>
          <Card className={styles.card} data-testid="partner-actions-note">
            <CardHeader
              image={<Info20Regular className={styles.icon} />}
              header={<Text className={styles.cardTitle}>{t('commitment.partnerNoteTitle')}</Text>}
            />
            <Text>{t('commitment.partnerNoteBody')}</Text>
            <ul className={styles.list}>
              {(kind === 'reservation'
                ? ['exchange', 'refund', 'renewal', 'scope']
                : ['renewal', 'scope']
              ).map((action) => (
                <li key={action}>{t(`commitment.partnerActions.${action}`)}</li>
              ))}
            </ul>
            {kind === 'savings_plan' && <Text>{t('commitment.savingsPlanFinal')}</Text>}
            <Text size={200}>{t('commitment.partnerNoteAsk')}</Text>
          </Card>
        </div>
      </div>
    </>
  );
}

function Summary({ commitment: c }: { commitment: CommitmentView }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const format = useFormat();
  const f = useCommitmentFormat();
  const what =
    c.kind === 'reservation'
      ? [
          c.sku,
          f.region(c.region),
          t('commitment.instances', { count: c.quantity, formatted: format.number(c.quantity) }),
        ]
      : [f.hourly(c.hourlyCommitment, c.currency)];
  return (
    <span className={styles.badges}>
      <span>{[...what, f.term(c.term), f.plan(c.billingPlan)].join(' · ')}</span>
      <CommitmentStatusBadge status={c.status} />
      <BoughtByBadge boughtBy={c.boughtBy} perspective="customer" principal={c.boughtByPrincipal} />
    </span>
  );
}

function Utilisation(props: { kind: CommitmentKind; id: string }) {
  return <UtilizationPanel kind={props.kind} query={useMyUtilization(props.kind, props.id)} />;
}

function Rename(props: { kind: CommitmentKind; commitment: CommitmentView; canRename: boolean }) {
  const rename = useRenameMyCommitment(props.kind, props.commitment.id);
  return (
    <RenameInline
      name={props.commitment.displayName}
      canRename={props.canRename}
      busy={rename.isPending}
      error={rename.error?.message ?? null}
      onSave={(name, done) => rename.mutate(name, { onSuccess: done })}
      onCancel={() => rename.reset()}
    />
  );
}
