import {
  Button,
  makeStyles,
  Popover,
  PopoverSurface,
  PopoverTrigger,
  Text,
  tokens,
} from '@fluentui/react-components';
import { Delete16Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoleAssignmentView } from '../../../api.ts';
import { useFormat } from '../../../format.ts';

const useStyles = makeStyles({
  surface: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '280px' },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, justifyContent: 'flex-end' },
});

/** Remove, after a one-line confirmation: taking Owner away stops the user's purchases. */
export function RemoveRoleButton(props: {
  assignment: RoleAssignmentView;
  disabled?: boolean;
  onConfirm: () => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const format = useFormat();
  const [open, setOpen] = useState(false);
  const { assignment } = props;
  return (
    <Popover open={open} onOpenChange={(_, data) => setOpen(data.open)} withArrow positioning="below-end">
      <PopoverTrigger disableButtonEnhancement>
        <Button
          size="small"
          appearance="subtle"
          icon={<Delete16Regular />}
          disabled={props.disabled}
          data-testid={`remove-role-${assignment.id}`}
        >
          {t('access.remove')}
        </Button>
      </PopoverTrigger>
      <PopoverSurface className={styles.surface} data-testid="remove-role-confirmation">
        <Text>
          {t('access.removeConfirm', {
            role: format.role(assignment.role),
            name: assignment.displayName || assignment.email,
          })}
        </Text>
        <div className={styles.actions}>
          <Button size="small" onClick={() => setOpen(false)}>
            {t('permissions.cancel')}
          </Button>
          <Button
            size="small"
            appearance="primary"
            onClick={() => {
              setOpen(false);
              props.onConfirm();
            }}
            data-testid="remove-role-confirm"
          >
            {t('access.remove')}
          </Button>
        </div>
      </PopoverSurface>
    </Popover>
  );
}
