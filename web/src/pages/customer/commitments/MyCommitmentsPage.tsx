import { Button } from '@fluentui/react-components';
import { Add20Regular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import type { CommitmentKind, Me } from '../../../api.ts';
import { CommitmentTable } from '../../../components/commitments/CommitmentTable.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { ErrorBar, Loading } from '../../../components/QueryState.tsx';
import { paths, useLinkHandler } from '../../../router.tsx';
import { useMyCommitments, useMySubscriptions } from './useMyCommitments.ts';

/** Reservations / Savings plans in the customer portal: everything bought on the customer's plans. */
export function MyCommitmentsPage({ kind, me }: { kind: CommitmentKind; me: Me }) {
  const { t } = useTranslation();
  const query = useMyCommitments(kind);
  const subscriptions = useMySubscriptions();
  const buyHref = paths.buyCommitment(kind);
  const onBuy = useLinkHandler(buyHref);
  const text = (key: string, values?: Record<string, unknown>) => t(`myCommitments.${kind}.${key}`, values);

  return (
    <>
      <PageHeader
        title={text('title')}
        description={text('description', { company: me.tenant.name })}
        actions={
          <Button
            as="a"
            href={buyHref}
            onClick={onBuy}
            appearance="primary"
            icon={<Add20Regular />}
            data-testid="buy-commitment"
          >
            {text('buy')}
          </Button>
        }
      />
      {query.isError && <ErrorBar error={query.error} onRetry={() => void query.refetch()} />}
      {query.isPending ? (
        <Loading />
      ) : (
        <CommitmentTable
          kind={kind}
          items={query.data?.items ?? []}
          perspective="customer"
          subscriptions={subscriptions.data?.items ?? []}
          hrefOf={(c) => paths.myCommitment(kind, c.id)}
          empty={text('empty')}
          label={text('title')}
        />
      )}
    </>
  );
}
