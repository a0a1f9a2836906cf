import {
  Button,
  Dropdown,
  Field,
  makeStyles,
  Option,
  Spinner,
  Text,
  tokens,
} from '@fluentui/react-components';
import { PersonAdd20Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type CustomerUserView, type SubscriptionRole, subscriptionRoles } from '../../../api.ts';
import { useFormat } from '../../../format.ts';

const useStyles = makeStyles({
  form: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground3,
  },
  heading: { fontWeight: tokens.fontWeightSemibold },
  row: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'flex-end', flexWrap: 'wrap' },
  user: { minWidth: '240px', flexGrow: 1 },
  role: { minWidth: '160px' },
  option: { display: 'flex', flexDirection: 'column' },
  muted: { color: tokens.colorNeutralForeground3 },
});

/** "Add role assignment": a customer user, a role, Assign (POST, idempotent on the server). */
export function AddRoleAssignmentForm(props: {
  users: CustomerUserView[];
  busy: boolean;
  onAdd: (body: { userId: string; role: SubscriptionRole }, done: () => void) => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const format = useFormat();
  const [userId, setUserId] = useState('');
  const [role, setRole] = useState<SubscriptionRole | ''>('');
  const user = props.users.find((u) => u.id === userId);
  const reset = () => {
    setUserId('');
    setRole('');
  };

  return (
    <form
      className={styles.form}
      onSubmit={(event) => {
        event.preventDefault();
        if (userId && role) props.onAdd({ userId, role }, reset);
      }}
      data-testid="add-role-form"
    >
      <Text className={styles.heading}>{t('access.add')}</Text>
      <div className={styles.row}>
        <Field label={t('access.user')} className={styles.user}>
          <Dropdown
            placeholder={t('access.chooseUser')}
            value={user ? user.displayName || user.email : ''}
            selectedOptions={userId ? [userId] : []}
            onOptionSelect={(_, data) => setUserId(data.optionValue ?? '')}
            data-testid="add-role-user"
          >
            {props.users.map((option) => (
              <Option key={option.id} value={option.id} text={option.displayName || option.email}>
                <span className={styles.option}>
                  <span>{option.displayName || option.email}</span>
                  <Text size={200} className={styles.muted}>
                    {option.email}
                  </Text>
                </span>
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Field label={t('access.role')} className={styles.role}>
          <Dropdown
            placeholder={t('access.chooseRole')}
            value={role ? format.role(role) : ''}
            selectedOptions={role ? [role] : []}
            onOptionSelect={(_, data) => setRole((data.optionValue as SubscriptionRole | undefined) ?? '')}
            data-testid="add-role-role"
          >
            {subscriptionRoles.map((option) => (
              <Option key={option} value={option} text={format.role(option)}>
                <span className={styles.option}>
                  <span>{format.role(option)}</span>
                  <Text size={200} className={styles.muted}>
                    {t(`access.roleHints.${option}`)}
                  </Text>
                </span>
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Button
          type="submit"
          appearance="primary"
          icon={props.busy ? <Spinner size="tiny" /> : <PersonAdd20Regular />}
          disabled={!userId || !role || props.busy}
          data-testid="add-role-save"
        >
          {t('access.assign')}
        </Button>
      </div>
    </form>
  );
}
