import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  AppliedScope,
  AppliedScopeType,
  CommitmentBillingPlan,
  CommitmentKind,
  CommitmentView,
  SubscriptionView,
} from '../../api.ts';
import { useFormat } from '../../format.ts';
import { regionName } from '../../regions.ts';

/** Enough of a subscription to name it in a scope: Mitra's id, the Azure id and the friendly name. */
export type ScopeSubscription = Pick<SubscriptionView, 'id' | 'entitlementId' | 'friendlyName'>;

/** Whose eyes: the customer reads "you / your partner", the partner reads "bought by customer / you". */
export type Perspective = 'customer' | 'partner';

const findSubscription = (subscriptions: ScopeSubscription[], id: string | undefined) =>
  id ? subscriptions.find((s) => s.id === id || s.entitlementId === id) : undefined;

/** Words for the facts of a reservation or savings plan, in the UI language. */
export function useCommitmentFormat() {
  const { t } = useTranslation();
  const format = useFormat();
  return useMemo(() => {
    const subscriptionName = (subscriptions: ScopeSubscription[], id: string | undefined): string => {
      const found = findSubscription(subscriptions, id);
      if (found) return found.friendlyName;
      return id ?? t('common.none');
    };
    const scopeText = (
      type: AppliedScopeType | string,
      scope: AppliedScope,
      subscriptions: ScopeSubscription[],
    ): string => {
      const label = t(`commitment.scopeType.${type}`, { defaultValue: type });
      const subscription = subscriptionName(subscriptions, scope.subscriptionId);
      if (type === 'Single') return `${label}: ${subscription}`;
      if (type === 'ResourceGroup')
        return `${label}: ${t('commitment.resourceGroupIn', { resourceGroup: scope.resourceGroup, subscription })}`;
      if (type === 'ManagementGroup') return `${label}: ${scope.managementGroupId ?? t('common.none')}`;
      return label;
    };
    const kindLabel = (kind: CommitmentKind) => t(`commitment.kind.${kind}`);
    const plan = (billingPlan: CommitmentBillingPlan | string) =>
      t(`commitment.plan.${billingPlan}`, { defaultValue: billingPlan });
    return {
      subscriptionName,
      scopeText,
      scopeOf: (c: CommitmentView, subscriptions: ScopeSubscription[]) =>
        scopeText(c.appliedScopeType, c.appliedScope ?? {}, subscriptions),
      term: (term: string) => format.duration(term),
      plan,
      kindLabel,
      region: (code: string | null) => (code ? regionName(code) : t('common.none')),
      status: (status: string) => t(`commitment.statuses.${status}`, { defaultValue: status }),
      boughtBy: (boughtBy: string, perspective: Perspective) =>
        t(`commitment.by.${perspective}.${boughtBy}`, { defaultValue: boughtBy }),
      /** "US$1.50 per hour" for a savings plan's commitment. */
      hourly: (amount: string | null, currency: string) =>
        amount ? t('commitment.perHour', { amount: format.money(amount, currency) }) : t('common.none'),
      /** What a unit price is for: "per instance, paid once", "per US$1.00/hour, per month". */
      unitCaption: (kind: CommitmentKind, billingPlan: string, currency: string) =>
        t(`commitment.unit.${kind}.${billingPlan === 'Monthly' ? 'Monthly' : 'Upfront'}`, {
          unit: format.money('1', currency),
        }),
      /**
       * "US$35.32 per instance, per month": the currency's precision for customers; `precise` keeps
       * up to six decimals for partner views ("US$35.322"), where it is labelled a unit price.
       */
      unitPrice: (
        kind: CommitmentKind,
        amount: string,
        currency: string,
        billingPlan: string,
        precise = false,
      ) =>
        `${precise ? format.unitPrice(amount, currency) : format.money(amount, currency)} ${t(
          `commitment.unit.${kind}.${billingPlan === 'Monthly' ? 'Monthly' : 'Upfront'}`,
          { unit: format.money('1', currency) },
        )}`,
      /** "Charged once, upfront" / "Charged monthly for 36 months". */
      charging: (term: string, billingPlan: string) => {
        const years = /^P(\d+)Y$/.exec(term);
        const months = years ? Number(years[1]) * 12 : null;
        return billingPlan === 'Monthly' && months
          ? t('commitment.chargedMonthly', { count: months })
          : t('commitment.chargedOnce');
      },
    };
  }, [t, format]);
}

export type CommitmentFormat = ReturnType<typeof useCommitmentFormat>;
