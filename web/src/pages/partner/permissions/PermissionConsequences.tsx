import { useTranslation } from 'react-i18next';
import type { PermissionResource } from '../../../api.ts';
import { ConsequencesBar } from '../../../components/ConsequencesBar.tsx';
import { localeOf } from '../../../i18n.ts';

const points = ['pay', 'notNotified', 'noChanges', 'owner'] as const;

/** What the partner takes on by allowing a customer to buy (the seed's Overview, R8–R12, R6). */
export function PermissionConsequences(props: { company: string; resources: PermissionResource[] }) {
  const { t, i18n } = useTranslation();
  const what = new Intl.ListFormat(localeOf(i18n.language), { type: 'conjunction' }).format(
    props.resources.map((resource) => t(`permissions.resources.${resource}`)),
  );
  return (
    <ConsequencesBar
      intent="warning"
      testId="permissions-consequences"
      title={t('permissions.consequencesTitle', { company: props.company, what })}
      points={points.map((point) => t(`permissions.consequences.${point}`))}
    />
  );
}
