import { Breadcrumb, BreadcrumbButton, BreadcrumbDivider, BreadcrumbItem } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommitmentKind } from '../../../../api.ts';
import { PageHeader } from '../../../../components/PageHeader.tsx';
import { ErrorBar, Loading } from '../../../../components/QueryState.tsx';
import { paths, useRouter } from '../../../../router.tsx';
import { OwnerRequired } from './OwnerRequired.tsx';
import type { useBuyForm } from './useBuyForm.ts';

/** Header and breadcrumb of a purchase page; the Owner explanation instead of the form when needed. */
export function BuyPageFrame(props: {
  kind: CommitmentKind;
  form: ReturnType<typeof useBuyForm>;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const { navigate } = useRouter();
  const { subscriptions } = props.form;
  const listHref = paths.myCommitments(props.kind);
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

  return (
    <>
      <PageHeader above={breadcrumb} title={text('buy')} description={text('buyDescription')} />
      {subscriptions.isPending ? (
        <Loading />
      ) : subscriptions.isError ? (
        <ErrorBar error={subscriptions.error} onRetry={() => void subscriptions.refetch()} />
      ) : props.form.owned.length === 0 ? (
        <OwnerRequired kind={props.kind} azure={props.form.azure} />
      ) : (
        props.children
      )}
    </>
  );
}
