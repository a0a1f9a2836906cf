import {
  Dropdown,
  Field,
  Input,
  makeStyles,
  Option,
  Radio,
  RadioGroup,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { type AppliedScope, type AppliedScopeType, appliedScopeTypes } from '../../api.ts';
import type { ScopeSubscription } from './useCommitmentFormat.ts';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  radios: { marginLeft: `calc(-1 * ${tokens.spacingHorizontalS})` },
  hidden: {
    position: 'absolute',
    width: '1px',
    height: '1px',
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
  },
  option: { display: 'flex', flexDirection: 'column' },
  muted: { color: tokens.colorNeutralForeground3 },
  fields: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(220px, 1fr))',
    gap: tokens.spacingHorizontalM,
    paddingLeft: tokens.spacingHorizontalXL,
  },
});

export interface ScopeDraft {
  type: AppliedScopeType;
  subscriptionId: string;
  resourceGroup: string;
  managementGroupId: string;
}

export const sharedScope = (subscriptionId = ''): ScopeDraft => ({
  type: 'Shared',
  subscriptionId,
  resourceGroup: '',
  managementGroupId: '',
});

export function scopeDraftOf(
  type: AppliedScopeType,
  scope: AppliedScope,
  fallbackSubscription = '',
): ScopeDraft {
  return {
    type,
    subscriptionId: scope.subscriptionId ?? fallbackSubscription,
    resourceGroup: scope.resourceGroup ?? '',
    managementGroupId: scope.managementGroupId ?? '',
  };
}

/** Resource group names: letters, digits, ._-() up to 90 characters, not ending in a period (Azure's rule). */
const resourceGroupPattern = /^[-\w._()]{1,90}$/u;

/** The body fields of a scope, or null while a needed field is missing or malformed. */
export function scopeBody(
  draft: ScopeDraft,
): { appliedScopeType: AppliedScopeType; appliedScope: AppliedScope } | null {
  const resourceGroup = draft.resourceGroup.trim();
  const managementGroupId = draft.managementGroupId.trim();
  switch (draft.type) {
    case 'Shared':
      return { appliedScopeType: 'Shared', appliedScope: {} };
    case 'Single':
      return draft.subscriptionId
        ? { appliedScopeType: 'Single', appliedScope: { subscriptionId: draft.subscriptionId } }
        : null;
    case 'ResourceGroup':
      return draft.subscriptionId && resourceGroupPattern.test(resourceGroup) && !resourceGroup.endsWith('.')
        ? {
            appliedScopeType: 'ResourceGroup',
            appliedScope: { subscriptionId: draft.subscriptionId, resourceGroup },
          }
        : null;
    case 'ManagementGroup':
      return managementGroupId
        ? { appliedScopeType: 'ManagementGroup', appliedScope: { managementGroupId } }
        : null;
  }
}

/** Shared / Single subscription / Resource group / Management group, with the fields each one needs. */
export function ScopeFields(props: {
  value: ScopeDraft;
  onChange: (value: ScopeDraft) => void;
  subscriptions: ScopeSubscription[];
  disabled?: boolean;
  /** Hide the "Scope" label when a heading above already says it. */
  hideLabel?: boolean;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const labelId = useId();
  const { value } = props;
  const set = (patch: Partial<ScopeDraft>) => props.onChange({ ...value, ...patch });
  const subscription = props.subscriptions.find((s) => s.id === value.subscriptionId);
  const rgInvalid =
    value.type === 'ResourceGroup' &&
    value.resourceGroup.trim() !== '' &&
    (!resourceGroupPattern.test(value.resourceGroup.trim()) || value.resourceGroup.trim().endsWith('.'));

  return (
    <div className={styles.root} data-testid="scope-fields">
      <Text id={labelId} weight="semibold" className={props.hideLabel ? styles.hidden : undefined}>
        {t('commitment.scope')}
      </Text>
      <RadioGroup
        className={styles.radios}
        aria-labelledby={labelId}
        value={value.type}
        disabled={props.disabled}
        onChange={(_, data) => set({ type: data.value as AppliedScopeType })}
      >
        {appliedScopeTypes.map((type) => (
          <Radio
            key={type}
            value={type}
            data-testid={`scope-${type}`}
            label={
              <span className={styles.option}>
                <span>{t(`commitment.scopeType.${type}`)}</span>
                <Text size={200} className={styles.muted}>
                  {t(`commitment.scopeHint.${type}`)}
                </Text>
              </span>
            }
          />
        ))}
      </RadioGroup>
      {(value.type === 'Single' || value.type === 'ResourceGroup') && (
        <div className={styles.fields}>
          <Field label={t('commitment.scopeSubscription')} required>
            <Dropdown
              placeholder={t('commitment.chooseSubscription')}
              value={subscription?.friendlyName ?? ''}
              selectedOptions={value.subscriptionId ? [value.subscriptionId] : []}
              onOptionSelect={(_, data) => set({ subscriptionId: data.optionValue ?? '' })}
              disabled={props.disabled}
              data-testid="scope-subscription"
            >
              {props.subscriptions.map((s) => (
                <Option key={s.id} value={s.id} text={s.friendlyName}>
                  <span className={styles.option}>
                    <span>{s.friendlyName}</span>
                    <Text size={200} className={styles.muted} font="monospace">
                      {s.entitlementId ?? s.id}
                    </Text>
                  </span>
                </Option>
              ))}
            </Dropdown>
          </Field>
          {value.type === 'ResourceGroup' && (
            <Field
              label={t('commitment.resourceGroup')}
              required
              validationState={rgInvalid ? 'error' : 'none'}
              validationMessage={rgInvalid ? t('commitment.resourceGroupInvalid') : undefined}
            >
              <Input
                value={value.resourceGroup}
                placeholder={t('commitment.resourceGroupPlaceholder')}
                onChange={(_, data) => set({ resourceGroup: data.value })}
                disabled={props.disabled}
                data-testid="scope-resource-group"
              />
            </Field>
          )}
        </div>
      )}
      {value.type === 'ManagementGroup' && (
        <div className={styles.fields}>
          <Field label={t('commitment.managementGroup')} required>
            <Input
              value={value.managementGroupId}
              placeholder={t('commitment.managementGroupPlaceholder')}
              onChange={(_, data) => set({ managementGroupId: data.value })}
              disabled={props.disabled}
              data-testid="scope-management-group"
            />
          </Field>
        </div>
      )}
    </div>
  );
}
