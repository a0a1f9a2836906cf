import { Button, Card, makeStyles, Text, tokens } from '@fluentui/react-components';
import { ArrowLeft16Regular, PersonKey20Regular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import type { CommitmentKind } from '../../../../api.ts';
import type { BuyerSubscription } from '../../../../components/commitments/buyer.ts';
import { useFormat } from '../../../../format.ts';
import { paths, useRouter } from '../../../../router.tsx';

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
  list: {
    margin: 0,
    paddingInlineStart: tokens.spacingHorizontalXL,
    display: 'grid',
    gap: tokens.spacingVerticalXS,
  },
  muted: { color: tokens.colorNeutralForeground3 },
  steps: {
    margin: 0,
    paddingInlineStart: tokens.spacingHorizontalXL,
    display: 'grid',
    gap: tokens.spacingVerticalXS,
  },
});

/** R6 (c), said before the user starts: buying needs the Owner role on an Azure subscription. */
export function OwnerRequired(props: { kind: CommitmentKind; azure: BuyerSubscription[] }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const format = useFormat();
  const { navigate } = useRouter();
  const what = t(`myCommitments.${props.kind}.what`);
  return (
    <Card className={styles.card} data-testid="owner-required">
      <div className={styles.head}>
        <PersonKey20Regular className={styles.icon} />
        <Text as="h2" className={styles.title}>
          {t('buy.ownerRequired.title')}
        </Text>
      </div>
      <Text>{t('buy.ownerRequired.body', { what })}</Text>
      {props.azure.length > 0 ? (
        <>
          <Text weight="semibold">{t('buy.ownerRequired.yourRoles')}</Text>
          <ul className={styles.list}>
            {props.azure.map((s) => (
              <li key={s.id} data-testid="owner-required-subscription">
                {t('buy.ownerRequired.roleOn', {
                  subscription: s.friendlyName,
                  roles: s.roles?.length
                    ? s.roles.map((role) => format.role(role)).join(', ')
                    : t('buy.ownerRequired.noRole'),
                })}{' '}
                <Text size={200} font="monospace" className={styles.muted}>
                  {s.entitlementId ?? s.id}
                </Text>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <Text>{t('buy.ownerRequired.noAzure')}</Text>
      )}
      <Text weight="semibold">{t('buy.ownerRequired.next')}</Text>
      <ol className={styles.steps}>
        <li>{t('buy.ownerRequired.askOwner')}</li>
        <li>{t('buy.ownerRequired.askPartner')}</li>
      </ol>
      <div>
        <Button
          icon={<ArrowLeft16Regular />}
          onClick={() => navigate(paths.myCommitments(props.kind))}
          data-testid="owner-required-back"
        >
          {t(`myCommitments.${props.kind}.back`)}
        </Button>
      </div>
    </Card>
  );
}
