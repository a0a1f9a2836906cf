import { MessageBar, MessageBarBody, MessageBarTitle, makeStyles, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { PermissionResource } from '../../../api.ts';
import { localeOf } from '../../../i18n.ts';

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
export function PermissionConsequences(props: { company: string; resources: PermissionResource[] }) {
  const { t, i18n } = useTranslation();
  const styles = useStyles();
  const what = new Intl.ListFormat(localeOf(i18n.language), { type: 'conjunction' }).format(
    props.resources.map((resource) => t(`permissions.resources.${resource}`)),
  );
  return (
    <MessageBar intent="warning" layout="multiline" data-testid="permissions-consequences">
      <MessageBarBody>
        <MessageBarTitle>
          {t('permissions.consequencesTitle', { company: props.company, what })}
        </MessageBarTitle>
        <ul className={styles.list}>
          {points.map((point) => (
            <li key={point}>{t(`permissions.consequences.${point}`)}</li>
          ))}
        </ul>
      </MessageBarBody>
    </MessageBar>
  );
}
