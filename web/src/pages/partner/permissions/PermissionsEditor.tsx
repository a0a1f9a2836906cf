import {
  Button,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  Radio,
  RadioGroup,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type CustomerDetail,
  type PermissionResource,
  type PermissionsView,
  permissionResources,
} from '../../../api.ts';
import { BlockedBar } from './BlockedBar.tsx';
import { PermissionConsequences } from './PermissionConsequences.tsx';
import { useSavePermissions } from './usePermissions.ts';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  resource: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    paddingTop: tokens.spacingVerticalM,
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  muted: { color: tokens.colorNeutralForeground3 },
  radios: { marginLeft: `calc(-1 * ${tokens.spacingHorizontalS})` },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, paddingTop: tokens.spacingVerticalS },
});

type Draft = Record<PermissionResource, boolean>;

/** The same refusal already explained for an earlier resource: say it once, then only name it. */
function sameReasonAbove(view: PermissionsView, resource: PermissionResource): boolean {
  const reason = view.enableBlockedBy[resource];
  const earlier = permissionResources.slice(0, permissionResources.indexOf(resource));
  return earlier.some((other) => {
    const before = view.enableBlockedBy[other];
    return before?.code === reason?.code && before?.message === reason?.message;
  });
}

/** Edit mode: "Allow customer to buy" / "Don't allow customer to buy" per resource, then Save. */
export function PermissionsEditor(props: {
  customer: CustomerDetail;
  view: PermissionsView;
  onCancel: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const { customer, view } = props;
  const [draft, setDraft] = useState<Draft>(() => ({ ...view.permissions }));
  const save = useSavePermissions(customer.id);

  const changes = permissionResources
    .filter((resource) => draft[resource] !== view.permissions[resource])
    .map((resource) => ({ resource, allowed: draft[resource] }));
  const enabling = changes.filter((change) => change.allowed).map((change) => change.resource);

  const submit = () => {
    save.reset();
    save.mutate(changes, { onSuccess: props.onSaved });
  };

  return (
    <form
      className={styles.form}
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
      data-testid="permissions-form"
    >
      {permissionResources.map((resource) => {
        const blocked = view.enableBlockedBy[resource];
        const labelId = `permission-label-${resource}`;
        return (
          <div key={resource} className={styles.resource} data-testid={`permission-row-${resource}`}>
            <Text weight="semibold" id={labelId}>
              {t(`permissions.resources.${resource}`)}
            </Text>
            <Text size={200} className={styles.muted}>
              {t(`permissions.hints.${resource}`)}
            </Text>
            <RadioGroup
              className={styles.radios}
              aria-labelledby={labelId}
              value={draft[resource] ? 'allow' : 'deny'}
              disabled={save.isPending}
              onChange={(_, data) => setDraft({ ...draft, [resource]: data.value === 'allow' })}
            >
              <Radio
                value="allow"
                label={t('permissions.allow')}
                disabled={Boolean(blocked)}
                data-testid={`allow-${resource}`}
              />
              <Radio value="deny" label={t('permissions.deny')} data-testid={`deny-${resource}`} />
            </RadioGroup>
            {blocked && (
              <BlockedBar
                customerId={customer.id}
                resource={resource}
                reason={blocked}
                compact={sameReasonAbove(view, resource)}
              />
            )}
          </div>
        );
      })}
      {enabling.length > 0 && <PermissionConsequences company={customer.companyName} resources={enabling} />}
      {save.isError && (
        <MessageBar intent="error" layout="multiline" data-testid="permissions-error">
          <MessageBarBody>
            <MessageBarTitle>
              {t('permissions.saveFailed')} · {t(`permissions.resources.${save.error.resource}`)}
            </MessageBarTitle>
            {save.error.message}
          </MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.actions}>
        <Button
          type="submit"
          appearance="primary"
          disabled={changes.length === 0 || save.isPending}
          icon={save.isPending ? <Spinner size="tiny" /> : undefined}
          data-testid="permissions-save"
        >
          {t('permissions.save')}
        </Button>
        <Button onClick={props.onCancel} disabled={save.isPending} data-testid="permissions-cancel">
          {t('permissions.cancel')}
        </Button>
      </div>
    </form>
  );
}
