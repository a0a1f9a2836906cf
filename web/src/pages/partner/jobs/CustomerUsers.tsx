import {
  Button,
  Card,
  CardHeader,
  makeStyles,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import { LockClosed16Regular, People20Regular, PersonAdd16Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerDetail } from '../../../api.ts';
import { ErrorBar, Loading } from '../../../components/QueryState.tsx';
import { useTableStyles } from '../../../components/tableStyles.ts';
import { useFormat } from '../../../format.ts';
import { RoleBadge } from '../access/RoleBadge.tsx';
import { AddUserDialog } from './AddUserDialog.tsx';
import { useCustomerUsers } from './usePartnerJobs.ts';

const useStyles = makeStyles({
  section: { marginTop: tokens.spacingVerticalL },
  card: { padding: tokens.spacingHorizontalL, gap: tokens.spacingVerticalM },
  icon: { color: tokens.colorBrandForeground1, fontSize: '20px' },
  title: { margin: 0, fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400 },
  description: { color: tokens.colorNeutralForeground3, maxWidth: '80ch' },
  roles: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS, alignItems: 'center' },
  role: { display: 'inline-flex', gap: tokens.spacingHorizontalXXS, alignItems: 'center' },
  readOnly: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalXS,
    color: tokens.colorNeutralForeground3,
    fontSize: tokens.fontSizeBase200,
  },
});

/** "Users" on the customer's Account page: who signs in to the customer portal, and their roles (R7). */
export function CustomerUsers({ customer }: { customer: CustomerDetail }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const table = useTableStyles();
  const format = useFormat();
  const query = useCustomerUsers(customer.id);
  const [adding, setAdding] = useState(false);
  const canAdd = query.data?.canAdd === true;
  const users = query.data?.items ?? [];

  return (
    <section className={styles.section} aria-labelledby="customer-users-title">
      <Card className={styles.card} data-testid="customer-users">
        <CardHeader
          image={<People20Regular className={styles.icon} />}
          header={
            <Text as="h2" id="customer-users-title" className={styles.title}>
              {t('partnerJobs.users.title')}
            </Text>
          }
          action={
            canAdd ? (
              <Button icon={<PersonAdd16Regular />} onClick={() => setAdding(true)} data-testid="add-user">
                {t('partnerJobs.users.add')}
              </Button>
            ) : undefined
          }
        />
        <Text className={styles.description}>
          {t('partnerJobs.users.description', { company: customer.companyName })}
        </Text>
        {query.isPending && <Loading />}
        {query.isError && <ErrorBar error={query.error} onRetry={() => void query.refetch()} />}
        {query.data && (
          <div className={table.surface}>
            <Table size="small" className={table.table} aria-label={t('partnerJobs.users.title')}>
              <TableHeader>
                <TableRow>
                  <TableHeaderCell className={table.headerCell}>
                    {t('partnerJobs.users.displayName')}
                  </TableHeaderCell>
                  <TableHeaderCell className={table.headerCell}>
                    {t('partnerJobs.users.signInEmail')}
                  </TableHeaderCell>
                  <TableHeaderCell className={table.headerCell}>
                    {t('partnerJobs.users.roles')}
                  </TableHeaderCell>
                  <TableHeaderCell className={table.headerCell}>
                    {t('partnerJobs.users.created')}
                  </TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {users.map((user) => (
                  <TableRow key={user.id} data-testid="customer-user-row" data-email={user.email}>
                    <TableCell>{user.displayName}</TableCell>
                    <TableCell className={table.muted}>{user.email}</TableCell>
                    <TableCell>
                      {user.roles.length === 0 ? (
                        <Text className={table.muted}>{t('partnerJobs.users.noRole')}</Text>
                      ) : (
                        <span className={styles.roles}>
                          {user.roles.map((r) => (
                            <span key={`${r.subscriptionId}-${r.role}`} className={styles.role}>
                              <RoleBadge role={r.role} />
                              <Text size={200} className={table.muted}>
                                {r.subscriptionName}
                              </Text>
                            </span>
                          ))}
                        </span>
                      )}
                    </TableCell>
                    <TableCell className={table.nowrap}>{format.date(user.createdAt)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            {users.length === 0 && <div className={table.empty}>{t('partnerJobs.users.empty')}</div>}
          </div>
        )}
        {query.data && !canAdd && (
          <Text className={styles.readOnly} data-testid="users-read-only">
            <LockClosed16Regular />
            {t('partnerJobs.users.readOnly')}
          </Text>
        )}
      </Card>
      {adding && <AddUserDialog customer={customer} onClose={() => setAdding(false)} />}
    </section>
  );
}
