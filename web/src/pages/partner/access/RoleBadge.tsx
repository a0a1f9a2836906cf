import { Badge } from '@fluentui/react-components';
import { PersonKey16Regular } from '@fluentui/react-icons';
import type { SubscriptionRole } from '../../../api.ts';
import { useFormat } from '../../../format.ts';

/** Owner stands out: it is the role that lets customer users buy reservations and savings plans (R6). */
export function RoleBadge({ role }: { role: SubscriptionRole }) {
  const format = useFormat();
  const owner = role === 'Owner';
  return (
    <Badge
      appearance={owner ? 'tint' : 'outline'}
      color={owner ? 'brand' : 'informative'}
      shape="rounded"
      icon={owner ? <PersonKey16Regular /> : undefined}
      data-role={role}
    >
      {format.role(role)}
    </Badge>
  );
}
