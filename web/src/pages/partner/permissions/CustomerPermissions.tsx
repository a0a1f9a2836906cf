import {
  Button,
  Card,
  CardHeader,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  makeStyles,
  Text,
  tokens,
} from '@fluentui/react-components';
import {
  Dismiss16Regular,
  Edit16Regular,
  LockClosed16Regular,
  ShieldKeyhole20Regular,
} from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerDetail } from '../../../api.ts';
import { ErrorBar, Loading } from '../../../components/QueryState.tsx';
import { AzurePlanHint } from '../jobs/AzurePlanHint.tsx';
import { PermissionRows } from './PermissionRows.tsx';
import { PermissionsEditor } from './PermissionsEditor.tsx';
import { usePermissions } from './usePermissions.ts';

const useStyles = makeStyles({
  section: { marginTop: tokens.spacingVerticalL },
  card: { padding: tokens.spacingHorizontalL, gap: tokens.spacingVerticalM },
  icon: { color: tokens.colorBrandForeground1, fontSize: '20px' },
  title: { margin: 0, fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400 },
  description: { color: tokens.colorNeutralForeground3, maxWidth: '80ch' },
  readOnly: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalXS,
    color: tokens.colorNeutralForeground3,
    fontSize: tokens.fontSizeBase200,
  },
});

/** "Customer permissions" (Izin pelanggan) on the customer's Account page: R1–R4 in the portal. */
export function CustomerPermissions({ customer }: { customer: CustomerDetail }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const query = usePermissions(customer.id);
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const canEdit = query.data?.canEdit === true;

  const startEditing = () => {
    setSaved(false);
    setEditing(true);
  };

  return (
    <section className={styles.section} aria-labelledby="customer-permissions-title">
      <Card className={styles.card} data-testid="customer-permissions">
        <CardHeader
          image={<ShieldKeyhole20Regular className={styles.icon} />}
          header={
            <Text as="h2" id="customer-permissions-title" className={styles.title}>
              {t('permissions.title')}
            </Text>
          }
          action={
            canEdit && !editing ? (
              <Button icon={<Edit16Regular />} onClick={startEditing} data-testid="permissions-edit">
                {t('permissions.edit')}
              </Button>
            ) : undefined
          }
        />
        <Text className={styles.description}>
          {t('permissions.description', { company: customer.companyName })}
        </Text>
        {saved && (
          <MessageBar intent="success" data-testid="permissions-result">
            <MessageBarBody>{t('permissions.saved')}</MessageBarBody>
            <MessageBarActions
              containerAction={
                <Button
                  appearance="transparent"
                  size="small"
                  icon={<Dismiss16Regular />}
                  aria-label={t('access.close')}
                  onClick={() => setSaved(false)}
                />
              }
            />
          </MessageBar>
        )}
        {query.isPending && <Loading />}
        {query.isError && <ErrorBar error={query.error} onRetry={() => void query.refetch()} />}
        {query.data &&
          (editing ? (
            <PermissionsEditor
              customer={customer}
              view={query.data}
              onCancel={() => setEditing(false)}
              onSaved={() => {
                setEditing(false);
                setSaved(true);
              }}
            />
          ) : (
            <>
              <PermissionRows view={query.data} />
              <AzurePlanHint customerId={customer.id} company={customer.companyName} view={query.data} />
            </>
          ))}
        {query.data && !canEdit && (
          <Text className={styles.readOnly} data-testid="permissions-read-only">
            <LockClosed16Regular />
            {t('permissions.readOnly')}
          </Text>
        )}
      </Card>
    </section>
  );
}
