import { useState } from 'react';
import type { CommitmentBody, CommitmentKind, MySubscriptionView } from '../../../../api.ts';
import { type ScopeDraft, scopeBody, sharedScope } from '../../../../components/commitments/ScopeFields.tsx';
import { useIdempotencyKey } from '../../../../idempotency.ts';
import { paths, useRouter } from '../../../../router.tsx';
import { isAzure, isOwner, useBuy, useMySubscriptions, useQuote } from '../useMyCommitments.ts';

/** What both purchase pages share: subscriptions, scope and name, the quote, and Buy. */
export function useBuyForm(kind: CommitmentKind) {
  const { navigate } = useRouter();
  const subscriptions = useMySubscriptions();
  const azure = (subscriptions.data?.items ?? []).filter((s) => isAzure(s) && s.status === 'active');
  const owned = azure.filter(isOwner);
  const [chosenSubscription, setSubscription] = useState<string | null>(null);
  const subscriptionId = chosenSubscription ?? owned[0]?.id ?? '';
  const billing = azure.find((s) => s.id === subscriptionId);
  const [scope, setScope] = useState<ScopeDraft>(() => sharedScope());
  const [name, setName] = useState('');
  const keyFor = useIdempotencyKey();
  const buy = useBuy(kind);

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
      { onSuccess: (view) => navigate(`${paths.myCommitment(kind, view.id)}?bought=1`) },
    );
  };

  return {
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
  };
}

/** The Azure subscription id is what the purchase names; Mitra's own id when there is none. */
export const azureIdOf = (s: MySubscriptionView) => s.entitlementId ?? s.id;

export { useQuote };
