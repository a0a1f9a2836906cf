import { Badge, type BadgeProps } from '@fluentui/react-components';
import { useFormat } from '../format.ts';

type Color = NonNullable<BadgeProps['color']>;

const colorOf: Record<string, Color> = {
  active: 'success',
  succeeded: 'success',
  completed: 'success',
  pending: 'warning',
  progress: 'warning',
  suspended: 'warning',
  failed: 'danger',
  decline: 'warning',
  cancelled: 'danger',
  deleted: 'subtle',
  expired: 'subtle',
  disabled: 'subtle',
};

/** A calm, tinted badge for a status code, labelled from the i18n group (`subscriptionStatus` …). */
export function StatusBadge({ group, status }: { group: string; status: string }) {
  const format = useFormat();
  return (
    <Badge appearance="tint" color={colorOf[status] ?? 'informative'} shape="rounded" data-status={status}>
      {format.label(group, status)}
    </Badge>
  );
}
