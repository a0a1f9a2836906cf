import { Button, Card, makeStyles, Text, tokens } from '@fluentui/react-components';
import { Add16Regular, ArrowLeft16Regular, Warning20Regular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import type { CommitmentKind } from '../../../api.ts';
import type { BuyerSubscription } from '../../../components/commitments/buyer.ts';
import { useFormat } from '../../../format.ts';
import { useRouter } from '../../../router.tsx';
import { addAzurePlanHref } from './links.ts';

const useStyles = makeStyles({
  card: {
    padding: tokens.spacingHorizontalXL,
    gap: tokens.spacingVerticalM,
    maxWidth: '760px',
    borderTop: `3px solid ${tokens.colorPaletteMarigoldBorderActive}`,
  },
  head: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  icon: { color: tokens.colorPaletteMarigoldForeground2, fontSize: '24px' },
  title: { fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold },
  list: { margin: 0, paddingInlineStart: tokens.spacingHorizontalXL },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
});

/** The partner's buy page when the customer has no active Azure subscription to bill (R6 b, R20). */
export function AzurePlanRequired(props: {
  kind: CommitmentKind;
  customerId: string;
  company: string;
  subscriptions: BuyerSubscription[];
  listHref: string;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const format = useFormat();
  const { navigate } = useRouter();
  const inactive = props.subscriptions.filter((s) => s.productType !== 'license' && s.status !== 'active');
  return (
    <Card className={styles.card} data-testid="azure-plan-required">
      <div className={styles.head}>
        <Warning20Regular className={styles.icon} />
        <Text as="h3" className={styles.title}>
          {t('partnerJobs.azurePlan.neededTitle')}
        </Text>
      </div>
      <Text>
        {t('partnerJobs.azurePlan.needed', {
          company: props.company,
          what: t(`myCommitments.${props.kind}.what`),
        })}
      </Text>
      {inactive.length > 0 && (
        <ul className={styles.list}>
          {inactive.map((s) => (
            <li key={s.id}>
              {s.friendlyName} · {format.label('subscriptionStatus', s.status)}
            </li>
          ))}
        </ul>
      )}
      <div className={styles.actions}>
        <Button
          appearance="primary"
          icon={<Add16Regular />}
          onClick={() => navigate(addAzurePlanHref(props.customerId))}
          data-testid="azure-plan-required-add"
        >
          {t('partnerJobs.azurePlan.add')}
        </Button>
        <Button icon={<ArrowLeft16Regular />} onClick={() => navigate(props.listHref)}>
          {t(`myCommitments.${props.kind}.back`)}
        </Button>
      </div>
    </Card>
  );
}
