import { MessageBar, MessageBarBody, MessageBarTitle, makeStyles, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';

const useStyles = makeStyles({
  list: {
    margin: `${tokens.spacingVerticalXS} 0 0`,
    paddingInlineStart: tokens.spacingHorizontalXL,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXXS,
  },
});

const points = ['pay', 'notNotified', 'noChanges', 'owner'] as const;

/** What the partner takes on by allowing a customer to buy (the seed's Overview, R8–R12, R6). */
export function PermissionConsequences({ company }: { company: string }) {
  const { t } = useTranslation();
  const styles = useStyles();
  return (
    <MessageBar intent="warning" layout="multiline" data-testid="permissions-consequences">
      <MessageBarBody>
        <MessageBarTitle>{t('permissions.consequencesTitle', { company })}</MessageBarTitle>
        <ul className={styles.list}>
          {points.map((point) => (
            <li key={point}>{t(`permissions.consequences.${point}`)}</li>
          ))}
        </ul>
      </MessageBarBody>
    </MessageBar>
  );
}
