import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  MessageBar,
  MessageBarBody,
  makeStyles,
  Text,
  tokens,
} from '@fluentui/react-components';
import { Dismiss24Regular, LockClosed16Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SubscriptionView } from '../../../api.ts';
import { ErrorBar, Loading } from '../../../components/QueryState.tsx';
import { useFormat } from '../../../format.ts';
import { isAdminAgent, useMe } from '../../../session.ts';
import { AddRoleAssignmentForm } from './AddRoleAssignmentForm.tsx';
import { RoleAssignmentTable } from './RoleAssignmentTable.tsx';
import { useRoleAssignmentChanges, useRoleAssignments } from './useRoleAssignments.ts';

const useStyles = makeStyles({
  surface: { maxWidth: '720px', width: 'calc(100vw - 48px)' },
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  subtitle: { color: tokens.colorNeutralForeground3 },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  readOnly: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalXS,
    color: tokens.colorNeutralForeground3,
    fontSize: tokens.fontSizeBase200,
  },
});

type Notice = { intent: 'success' | 'error'; text: string };

/** "Manage" on an Azure subscription (R7): customer users' roles, with Owner needed to buy (R6). */
export function ManageAccessDialog(props: {
  customerId: string;
  subscription: SubscriptionView;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  const format = useFormat();
  const me = useMe().data;
  const { subscription } = props;
  const query = useRoleAssignments(props.customerId, subscription.id);
  const { add, remove } = useRoleAssignmentChanges(props.customerId, subscription.id);
  const [notice, setNotice] = useState<Notice | null>(null);
  const canEdit = query.data?.canEdit ?? (me ? isAdminAgent(me) : false);
  const busy = add.isPending || remove.isPending;
  const failed = (error: Error) => setNotice({ intent: 'error', text: error.message });

  return (
    <Dialog open onOpenChange={(_, data) => !data.open && props.onClose()} modalType="modal">
      <DialogSurface className={styles.surface} data-testid="role-assignments-dialog">
        <DialogBody>
          <DialogTitle
            action={
              <Button
                appearance="subtle"
                aria-label={t('access.close')}
                icon={<Dismiss24Regular />}
                onClick={props.onClose}
              />
            }
          >
            {t('access.title')}
          </DialogTitle>
          <DialogContent className={styles.content}>
            <Text className={styles.subtitle}>
              {[subscription.friendlyName, format.label('productType', subscription.productType)]
                .filter((part, index, parts) => parts.indexOf(part) === index)
                .join(' · ')}{' '}
              · <span className={styles.mono}>{subscription.id}</span>
            </Text>
            <MessageBar intent="info" layout="multiline">
              <MessageBarBody>{t('access.ownerHint')}</MessageBarBody>
            </MessageBar>
            {notice && (
              <MessageBar intent={notice.intent} layout="multiline" data-testid="role-assignments-notice">
                <MessageBarBody>{notice.text}</MessageBarBody>
              </MessageBar>
            )}
            {query.isPending && <Loading />}
            {query.isError && <ErrorBar error={query.error} onRetry={() => void query.refetch()} />}
            {query.data && (
              <RoleAssignmentTable
                items={query.data.items}
                canEdit={canEdit}
                busy={busy}
                onRemove={(assignment) =>
                  remove.mutate(assignment, {
                    onSuccess: () =>
                      setNotice({
                        intent: 'success',
                        text: t('access.removed', {
                          role: format.role(assignment.role),
                          name: assignment.displayName || assignment.email,
                        }),
                      }),
                    onError: failed,
                  })
                }
              />
            )}
            {query.data && canEdit && (
              <AddRoleAssignmentForm
                users={query.data.users}
                busy={add.isPending}
                onAdd={(body, done) =>
                  add.mutate(body, {
                    onSuccess: ({ assignment, existed }) => {
                      done();
                      const values = {
                        role: format.role(assignment.role),
                        name: assignment.displayName || assignment.email,
                      };
                      setNotice({
                        intent: 'success',
                        text: t(existed ? 'access.alreadyAssigned' : 'access.added', values),
                      });
                    },
                    onError: failed,
                  })
                }
              />
            )}
            {query.data && !canEdit && (
              <Text className={styles.readOnly} data-testid="role-assignments-read-only">
                <LockClosed16Regular />
                {t('access.readOnly')}
              </Text>
            )}
          </DialogContent>
          <DialogActions>
            <Button onClick={props.onClose} data-testid="role-assignments-close">
              {t('access.close')}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
