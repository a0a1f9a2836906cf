import {
  Button,
  DrawerBody,
  DrawerHeader,
  DrawerHeaderTitle,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  makeStyles,
  OverlayDrawer,
  Text,
  tokens,
} from '@fluentui/react-components';
import { Dismiss16Regular, Dismiss24Regular, LockClosed16Regular } from '@fluentui/react-icons';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type CommitmentKind, type CustomerDetail, isApiError, type SubscriptionView } from '../../../api.ts';
import { BeyondPartnerCenterBadge } from '../../../components/commitments/BeyondPartnerCenterBadge.tsx';
import { BoughtByBadge } from '../../../components/commitments/BoughtByBadge.tsx';
import { CommitmentFacts } from '../../../components/commitments/CommitmentFacts.tsx';
import { CommitmentPrices } from '../../../components/commitments/CommitmentPrices.tsx';
import { CommitmentStatusBadge } from '../../../components/commitments/CommitmentStatusBadge.tsx';
import { RenameInline } from '../../../components/commitments/RenameInline.tsx';
import { UtilizationPanel } from '../../../components/commitments/UtilizationPanel.tsx';
import { useCommitmentFormat } from '../../../components/commitments/useCommitmentFormat.ts';
import { ErrorBar, Loading } from '../../../components/QueryState.tsx';
import { useFormat } from '../../../format.ts';
import { paths } from '../../../router.tsx';
import { isAdminAgent, useMe } from '../../../session.ts';
import { ExchangeDialog } from './ExchangeDialog.tsx';
import { RefundDialog } from './RefundDialog.tsx';
import { RenewalAction } from './RenewalAction.tsx';
import { ScopeAction } from './ScopeAction.tsx';
import {
  useCustomerCommitment,
  useCustomerUtilization,
  useUpdateCommitment,
} from './useCustomerCommitments.ts';

const useStyles = makeStyles({
  drawer: { width: '640px', maxWidth: '100vw' },
  subtitle: {
    display: 'flex',
    gap: tokens.spacingHorizontalS,
    alignItems: 'center',
    flexWrap: 'wrap',
    color: tokens.colorNeutralForeground3,
    marginTop: tokens.spacingVerticalXS,
  },
  body: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
    paddingBottom: tokens.spacingVerticalXXL,
  },
  // The body is a scrolling flex column: without this, a two-line notice is squeezed to one line.
  notice: { flexShrink: 0 },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  sectionTitle: {
    fontWeight: tokens.fontWeightSemibold,
    fontSize: tokens.fontSizeBase400,
    paddingBottom: tokens.spacingVerticalXS,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  actionRow: {
    display: 'grid',
    gridTemplateColumns: '160px minmax(0, 1fr)',
    gap: tokens.spacingHorizontalM,
    alignItems: 'start',
    paddingBlock: tokens.spacingVerticalXS,
  },
  actionLabel: { color: tokens.colorNeutralForeground3, paddingTop: '5px' },
  buttons: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  readOnly: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalXS,
    color: tokens.colorNeutralForeground3,
    fontSize: tokens.fontSizeBase200,
  },
});

export type Notice = { intent: 'success' | 'error'; text: ReactNode };

/** A reservation or savings plan of the customer, with the Admin agent's actions (R12). */
export function CommitmentDrawer(props: {
  customer: CustomerDetail;
  kind: CommitmentKind;
  id: string;
  subscriptions: SubscriptionView[];
  onClose: () => void;
  /** A notice to open with, e.g. "bought" after the partner's purchase. */
  initialNotice?: Notice;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const format = useFormat();
  const f = useCommitmentFormat();
  const me = useMe().data;
  const admin = me ? isAdminAgent(me) : false;
  const { customer, kind, id } = props;
  const query = useCustomerCommitment(customer.id, kind, id);
  const update = useUpdateCommitment(customer.id, kind, id);
  const [notice, setNotice] = useState<Notice | null>(props.initialNotice ?? null);
  const c = query.data;
  const active = c?.status === 'Succeeded';
  const azure = props.subscriptions.filter((s) => s.productType !== 'license');

  return (
    <OverlayDrawer
      open
      position="end"
      className={styles.drawer}
      onOpenChange={(_, data) => !data.open && props.onClose()}
      data-testid="commitment-drawer"
    >
      <DrawerHeader>
        <DrawerHeaderTitle
          action={
            <Button
              appearance="subtle"
              aria-label={t('access.close')}
              icon={<Dismiss24Regular />}
              onClick={props.onClose}
              data-testid="drawer-close"
            />
          }
        >
          <span data-testid="drawer-title">{c?.displayName ?? '…'}</span>
        </DrawerHeaderTitle>
        {c && (
          <div className={styles.subtitle}>
            <span>
              {c.kind === 'reservation'
                ? `${c.sku} · ${f.region(c.region)} · ${t('commitment.instances', { count: c.quantity, formatted: format.number(c.quantity) })}`
                : f.hourly(c.hourlyCommitment, c.currency)}
            </span>
            <CommitmentStatusBadge status={c.status} />
            <BoughtByBadge boughtBy={c.boughtBy} perspective="partner" principal={c.boughtByPrincipal} />
            {c.beyondPartnerCenter && <BeyondPartnerCenterBadge />}
          </div>
        )}
      </DrawerHeader>
      <DrawerBody className={styles.body}>
        {query.isPending && <Loading />}
        {query.isError && (
          <ErrorBar
            error={isApiError(query.error, 404) ? new Error(t('partnerCommitments.notFound')) : query.error}
            onRetry={isApiError(query.error, 404) ? undefined : () => void query.refetch()}
          />
        )}
        {notice && (
          <MessageBar
            intent={notice.intent}
            layout="multiline"
            className={styles.notice}
            data-testid="drawer-notice"
          >
            <MessageBarBody>{notice.text}</MessageBarBody>
            <MessageBarActions
              containerAction={
                <Button
                  appearance="transparent"
                  size="small"
                  icon={<Dismiss16Regular />}
                  aria-label={t('access.close')}
                  onClick={() => setNotice(null)}
                />
              }
            />
          </MessageBar>
        )}
        {c && (
          <>
            <section className={styles.section} data-testid="drawer-actions">
              <Text as="h3" className={styles.sectionTitle}>
                {t('partnerCommitments.actions')}
              </Text>
              {!admin && (
                <Text className={styles.readOnly} data-testid="commitment-read-only">
                  <LockClosed16Regular />
                  {t('partnerCommitments.readOnly')}
                </Text>
              )}
              {admin && !active && (
                <Text className={styles.readOnly} data-testid="commitment-inactive">
                  {t('partnerCommitments.inactive', { status: f.status(c.status) })}
                </Text>
              )}
              {admin && active && (
                <>
                  <div className={styles.actionRow}>
                    <Text className={styles.actionLabel}>{t('commitment.name')}</Text>
                    <RenameInline
                      name={c.displayName}
                      canRename
                      busy={update.isPending}
                      error={update.error?.message ?? null}
                      onSave={(displayName, done) =>
                        update.mutate(
                          { displayName },
                          {
                            onSuccess: () => {
                              done();
                              setNotice({ intent: 'success', text: t('partnerCommitments.renamed') });
                            },
                          },
                        )
                      }
                      onCancel={() => update.reset()}
                    />
                  </div>
                  <div className={styles.actionRow}>
                    <Text className={styles.actionLabel}>{t('commitment.scope')}</Text>
                    <ScopeAction
                      commitment={c}
                      subscriptions={azure}
                      customerId={customer.id}
                      onNotice={setNotice}
                    />
                  </div>
                  <div className={styles.actionRow}>
                    <Text className={styles.actionLabel}>{t('commitment.renewal')}</Text>
                    <RenewalAction commitment={c} customerId={customer.id} onNotice={setNotice} />
                  </div>
                  {kind === 'reservation' && (
                    <div className={styles.actionRow}>
                      <Text className={styles.actionLabel}>{t('partnerCommitments.returnIt')}</Text>
                      <div className={styles.buttons}>
                        <ExchangeDialog commitment={c} customerId={customer.id} onNotice={setNotice} />
                        <RefundDialog commitment={c} customerId={customer.id} onNotice={setNotice} />
                      </div>
                    </div>
                  )}
                </>
              )}
            </section>
            <section className={styles.section} data-testid="utilisation">
              <Text as="h3" className={styles.sectionTitle}>
                {t('commitment.utilisation')}
              </Text>
              <Utilisation customerId={customer.id} kind={kind} id={c.id} />
            </section>
            <section className={styles.section} data-testid="drawer-prices">
              <Text as="h3" className={styles.sectionTitle}>
                {t('commitment.price')}
              </Text>
              <CommitmentPrices
                precise
                commitment={c}
                chargedTitle={t('partnerCommitments.customerPrice')}
                chargedHint={t('partnerCommitments.customerPriceHint')}
              />
            </section>
            <section className={styles.section} data-testid="drawer-details">
              <Text as="h3" className={styles.sectionTitle}>
                {t('commitment.details')}
              </Text>
              <CommitmentFacts
                commitment={c}
                subscriptions={props.subscriptions}
                perspective="partner"
                hrefOf={(other) => paths.customerCommitment(customer.id, kind, other)}
                orderHref={(orderId) => paths.customerOrder(customer.id, orderId)}
              />
            </section>
          </>
        )}
      </DrawerBody>
    </OverlayDrawer>
  );
}

function Utilisation(props: { customerId: string; kind: CommitmentKind; id: string }) {
  const query = useCustomerUtilization(props.customerId, props.kind, props.id);
  return <UtilizationPanel kind={props.kind} query={query} />;
}
