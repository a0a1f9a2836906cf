import { Badge, Tooltip } from '@fluentui/react-components';
import { Sparkle16Regular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';

/** A customer's own savings plan: Mitra shows it to the partner, partner center does not (R11, B3). */
export function BeyondPartnerCenterBadge({ className }: { className?: string }) {
  const { t } = useTranslation();
  return (
    <Tooltip content={t('partnerCommitments.beyondBody')} relationship="description">
      <Badge
        className={className}
        appearance="outline"
        color="informative"
        shape="rounded"
        size="small"
        icon={<Sparkle16Regular />}
        data-testid="beyond-badge"
      >
        {t('partnerCommitments.beyondBadge')}
      </Badge>
    </Tooltip>
  );
}
