import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { CommitmentBody, CommitmentKind } from '../../../../api.ts';
import type { Buyer, BuyerSubscription } from '../../../../components/commitments/buyer.ts';
import { type ScopeDraft, scopeBody, sharedScope } from '../../../../components/commitments/ScopeFields.tsx';
import { useIdempotencyKey } from '../../../../idempotency.ts';
import { useRouter } from '../../../../router.tsx';
import { isAzure, isHeld, isOwner, useBuy, useQuote } from '../useMyCommitments.ts';

/**
 * What both purchase pages share, for either buyer: subscriptions, scope and name, the quote, and
 * Buy. A customer user may bill only subscriptions it is Owner of (R6 c); the partner, any active
 * Azure subscription it bought for the customer (R20).
 */
export function useBuyForm(kind: CommitmentKind, buyer: Buyer) {
  const { navigate } = useRouter();
  const subscriptions = useQuery({ queryKey: buyer.subscriptionsKey, queryFn: buyer.subscriptions });
  const azure = (subscriptions.data?.items ?? []).filter((s) => isAzure(s) && s.status === 'active');
  const owned = buyer.side === 'partner' ? azure : azure.filter(isOwner);
  const [chosenSubscription, setSubscription] = useState<string | null>(null);
  const subscriptionId = chosenSubscription ?? owned[0]?.id ?? '';
  const billing = azure.find((s) => s.id === subscriptionId);
  const [scope, setScope] = useState<ScopeDraft>(() => sharedScope());
  const [name, setName] = useState('');
  const keyFor = useIdempotencyKey();
  const buy = useBuy(kind, buyer);

  /** Everything but the product: null while the subscription or the scope is not complete. */
  const common = (): Omit<CommitmentBody, 'term' | 'billingPlan'> | null => {
    const scoped = scopeBody(scope.subscriptionId ? scope : { ...scope, subscriptionId });
    if (!billing || !scoped) return null;
    return { billingSubscriptionId: azureIdOf(billing), ...scoped };
  };

  const submit = (quoteBody: CommitmentBody) => {
    const trimmed = name.trim();
    const body: CommitmentBody = { ...quoteBody, ...(trimmed ? { displayName: trimmed } : {}) };
    buy.mutate(
      { body, key: keyFor(body) },
      {
        // Held for approval (B2): the summary says so and what happens next; nothing to open yet.
        onSuccess: (view) => {
          if (!isHeld(view)) navigate(buyer.boughtHref(kind, view.id));
        },
      },
    );
  };

  return {
    buyer,
    subscriptions,
    azure,
    owned,
    subscriptionId,
    setSubscription: (id: string) => {
      setSubscription(id);
      buy.reset();
    },
    scope: scope.subscriptionId ? scope : { ...scope, subscriptionId },
    setScope,
    name,
    setName,
    common,
    buy,
    submit,
    held: buy.data && isHeld(buy.data) ? buy.data : null,
  };
}

/** The Azure subscription id is what the purchase names; Mitra's own id when there is none. */
export const azureIdOf = (s: BuyerSubscription) => s.entitlementId ?? s.id;

export { useQuote };
