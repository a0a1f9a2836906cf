import { Badge } from '@fluentui/react-components';
import { Building16Regular, Person16Regular } from '@fluentui/react-icons';
import { type Perspective, useCommitmentFormat } from './useCommitmentFormat.ts';

/**
 * Who bought it (R10): customers' own purchases stand out in the partner's views ("Bought by
 * customer"); in the customer portal the same fact reads "You" / "Your partner".
 */
export function BoughtByBadge(props: {
  boughtBy: 'partner' | 'customer' | string;
  perspective: Perspective;
  principal?: string | null;
}) {
  const f = useCommitmentFormat();
  const byCustomer = props.boughtBy === 'customer';
  return (
    <Badge
      appearance={byCustomer ? 'tint' : 'outline'}
      color={byCustomer ? 'important' : 'brand'}
      shape="rounded"
      icon={byCustomer ? <Person16Regular /> : <Building16Regular />}
      title={props.principal ?? undefined}
      data-testid="bought-by"
      data-bought-by={props.boughtBy}
    >
      {f.boughtBy(props.boughtBy, props.perspective)}
    </Badge>
  );
}
