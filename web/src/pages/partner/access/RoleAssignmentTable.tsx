import {
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { RoleAssignmentView } from '../../../api.ts';
import { useTableStyles } from '../../../components/tableStyles.ts';
import { useFormat } from '../../../format.ts';
import { RemoveRoleButton } from './RemoveRoleButton.tsx';
import { RoleBadge } from './RoleBadge.tsx';

const roleOrder = { Owner: 0, Contributor: 1, Reader: 2 } as const;

/** Who holds which role on the subscription; Remove per assignment for Admin agents. */
export function RoleAssignmentTable(props: {
  items: RoleAssignmentView[];
  canEdit: boolean;
  busy: boolean;
  onRemove: (assignment: RoleAssignmentView) => void;
}) {
  const { t } = useTranslation();
  const styles = useTableStyles();
  const format = useFormat();
  const items = [...props.items].sort(
    (a, b) =>
      (a.displayName || a.email).localeCompare(b.displayName || b.email) ||
      roleOrder[a.role] - roleOrder[b.role],
  );
  return (
    <div className={styles.surface}>
      <Table size="small" className={styles.table} aria-label={t('access.title')}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell className={styles.headerCell}>{t('access.user')}</TableHeaderCell>
            <TableHeaderCell className={styles.headerCell}>{t('access.role')}</TableHeaderCell>
            <TableHeaderCell className={styles.headerCell}>{t('access.assigned')}</TableHeaderCell>
            {props.canEdit && <TableHeaderCell aria-label={t('subscriptions.actions')} />}
          </TableRow>
        </TableHeader>
        <TableBody>
          {items.map((assignment) => (
            <TableRow
              key={assignment.id}
              data-testid="role-assignment-row"
              data-email={assignment.email}
              data-role={assignment.role}
            >
              <TableCell>
                <div>{assignment.displayName || assignment.email}</div>
                <Text size={200} className={styles.muted}>
                  {assignment.email}
                </Text>
              </TableCell>
              <TableCell className={styles.nowrap}>
                <RoleBadge role={assignment.role} />
              </TableCell>
              <TableCell className={styles.nowrap}>{format.date(assignment.createdAt)}</TableCell>
              {props.canEdit && (
                <TableCell className={styles.nowrap}>
                  <RemoveRoleButton
                    assignment={assignment}
                    disabled={props.busy}
                    onConfirm={() => props.onRemove(assignment)}
                  />
                </TableCell>
              )}
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {items.length === 0 && <div className={styles.empty}>{t('access.empty')}</div>}
    </div>
  );
}
