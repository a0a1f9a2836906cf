import {
  Breadcrumb,
  BreadcrumbButton,
  BreadcrumbDivider,
  BreadcrumbItem,
  makeStyles,
  Text,
  tokens,
} from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommitmentKind } from '../../../../api.ts';
import { PageHeader } from '../../../../components/PageHeader.tsx';
import { ErrorBar, Loading } from '../../../../components/QueryState.tsx';
import { useRouter } from '../../../../router.tsx';
import { AzurePlanRequired } from '../../../partner/jobs/AzurePlanRequired.tsx';
import { OwnerRequired } from './OwnerRequired.tsx';
import type { useBuyForm } from './useBuyForm.ts';

const useStyles = makeStyles({
  partnerHead: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    marginBottom: tokens.spacingVerticalL,
  },
  partnerTitle: { margin: 0, fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold },
  muted: { color: tokens.colorNeutralForeground3, maxWidth: '90ch' },
});

/**
 * Header and breadcrumb of a purchase page, and what to do instead of the form when nothing can
 * be bought yet: the Owner role for a customer user (R6 c), an Azure plan for the partner (R20).
 */
export function BuyPageFrame(props: {
  kind: CommitmentKind;
  form: ReturnType<typeof useBuyForm>;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const { navigate } = useRouter();
  const { subscriptions, buyer } = props.form;
  const partner = buyer.side === 'partner';
  const listHref = buyer.listHref(props.kind);
  const text = (key: string) => t(`myCommitments.${props.kind}.${key}`);

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
        <BreadcrumbButton current>{text('buy')}</BreadcrumbButton>
      </BreadcrumbItem>
    </Breadcrumb>
  );

  // The partner's page sits under the customer's own header and tabs: a section title, not a page title.
  const header = partner ? (
    <div className={styles.partnerHead}>
      {breadcrumb}
      <Text as="h2" className={styles.partnerTitle} data-testid="buy-title">
        {t(`partnerJobs.buy.${props.kind}.title`, { company: buyer.company })}
      </Text>
      <Text className={styles.muted}>
        {t(`partnerJobs.buy.${props.kind}.description`, { company: buyer.company })}
      </Text>
    </div>
  ) : (
    <PageHeader above={breadcrumb} title={text('buy')} description={text('buyDescription')} />
  );

  const missing = partner ? (
    <AzurePlanRequired
      kind={props.kind}
      customerId={buyer.customerId ?? ''}
      company={buyer.company ?? ''}
      subscriptions={subscriptions.data?.items ?? []}
      listHref={listHref}
    />
  ) : (
    <OwnerRequired kind={props.kind} azure={props.form.azure} />
  );

  return (
    <>
      {header}
      {subscriptions.isPending ? (
        <Loading />
      ) : subscriptions.isError ? (
        <ErrorBar error={subscriptions.error} onRetry={() => void subscriptions.refetch()} />
      ) : props.form.owned.length === 0 ? (
        missing
      ) : (
        props.children
      )}
    </>
  );
}
