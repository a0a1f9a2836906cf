import { Badge, type BadgeProps } from '@fluentui/react-components';
import { useCommitmentFormat } from './useCommitmentFormat.ts';

const colorOf: Record<string, NonNullable<BadgeProps['color']>> = {
  Succeeded: 'success',
  Cancelled: 'danger',
  Expired: 'subtle',
  Exchanged: 'informative',
  'awaiting-approval': 'warning',
  'awaiting-confirmation': 'warning',
  declined: 'danger',
};

export function CommitmentStatusBadge({ status }: { status: string }) {
  const f = useCommitmentFormat();
  return (
    <Badge
      appearance="tint"
      color={colorOf[status] ?? 'informative'}
      shape="rounded"
      style={{ whiteSpace: 'nowrap' }}
      data-testid="commitment-status"
      data-status={status}
    >
      {f.status(status)}
    </Badge>
  );
}
