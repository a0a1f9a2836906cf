import {
  makeStyles,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommitmentKind, CommitmentView } from '../../api.ts';
import { useFormat } from '../../format.ts';
import { RouterLink } from '../RouterLink.tsx';
import { useTableStyles } from '../tableStyles.ts';
import { BoughtByBadge } from './BoughtByBadge.tsx';
import { CommitmentStatusBadge } from './CommitmentStatusBadge.tsx';
import { ConfirmPriceButton } from './ConfirmPriceButton.tsx';
import { type Perspective, type ScopeSubscription, useCommitmentFormat } from './useCommitmentFormat.ts';

const useStyles = makeStyles({ name: { minWidth: '11em', overflowWrap: 'anywhere' } });

/** Newest purchase first. */
export const byPurchaseDesc = (a: CommitmentView, b: CommitmentView) => whenOf(b).localeCompare(whenOf(a));
/** A held purchase (B2) has no purchase date yet: it sorts by when it was asked for. */
const whenOf = (c: CommitmentView) => (c.approvalId ? (c.requestedAt ?? '') : c.purchasedAt);

/** The list of a customer's reservations or savings plans, in either portal. */
export function CommitmentTable(props: {
  kind: CommitmentKind;
  items: CommitmentView[];
  perspective: Perspective;
  subscriptions: ScopeSubscription[];
  hrefOf: (c: CommitmentView) => string;
  /** The partner also sees what each one costs (the price it charges). */
  showTotal?: boolean;
  /** Extra badge after the name (e.g. "Beyond Partner Center"). */
  nameBadge?: (c: CommitmentView) => ReactNode;
  empty: ReactNode;
  label: string;
}) {
  const { t } = useTranslation();
  const styles = useTableStyles();
  const local = useStyles();
  const format = useFormat();
  const f = useCommitmentFormat();
  const reservation = props.kind === 'reservation';
  const items = [...props.items].sort(byPurchaseDesc);
  const headers: { key: string; numeric?: boolean }[] = [
    { key: 'name' },
    ...(reservation
      ? [{ key: 'sizeAndRegion' }, { key: 'quantity', numeric: true }]
      : [{ key: 'hourlyCommitment', numeric: true }]),
    { key: 'termAndPlan' },
    { key: 'scope' },
    { key: 'status' },
    { key: 'expires' },
    { key: 'boughtBy' },
    ...(props.showTotal ? [{ key: 'total', numeric: true }] : []),
  ];

  return (
    <div className={styles.surface}>
      <Table size="small" className={styles.table} aria-label={props.label} data-testid="commitments-table">
        <TableHeader>
          <TableRow>
            {headers.map((header) => (
              <TableHeaderCell
                key={header.key}
                className={header.numeric ? styles.numericHeader : styles.headerCell}
              >
                {t(`commitment.${header.key}`)}
              </TableHeaderCell>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {items.map((c) => (
            <TableRow
              key={c.id}
              data-testid="commitment-row"
              data-id={c.id}
              data-bought-by={c.boughtBy}
              data-status={c.status}
            >
              <TableCell className={local.name}>
                {c.approvalId ? (
                  // Held for approval (B2): not bought, nothing to open yet.
                  <>
                    <Text data-testid="commitment-held">{c.displayName || f.kindLabel(c.kind)}</Text>
                    <Text block size={200} className={styles.muted}>
                      {c.status === 'declined'
                        ? t('held.declinedReason', { reason: c.reason ?? '' })
                        : t('held.rowNote', { when: format.date(c.requestedAt ?? '') })}
                    </Text>
                    {c.status === 'awaiting-confirmation' && props.perspective === 'customer' && (
                      <ConfirmPriceButton commitment={c} />
                    )}
                  </>
                ) : (
                  <RouterLink href={props.hrefOf(c)} data-testid="commitment-link">
                    {c.displayName}
                  </RouterLink>
                )}
                {props.nameBadge?.(c)}
              </TableCell>
              {reservation ? (
                <>
                  <TableCell className={styles.nowrap}>
                    <Text className={styles.mono} data-testid="commitment-sku">
                      {c.sku}
                    </Text>
                    <Text block size={200} className={styles.muted}>
                      {f.region(c.region)}
                    </Text>
                  </TableCell>
                  <TableCell className={styles.numeric}>{format.number(c.quantity)}</TableCell>
                </>
              ) : (
                <TableCell className={styles.numeric}>{f.hourly(c.hourlyCommitment, c.currency)}</TableCell>
              )}
              <TableCell className={styles.nowrap}>
                {f.term(c.term)}
                <Text block size={200} className={styles.muted}>
                  {f.plan(c.billingPlan)}
                </Text>
              </TableCell>
              <TableCell>{f.scopeOf(c, props.subscriptions)}</TableCell>
              <TableCell>
                <CommitmentStatusBadge status={c.status} />
              </TableCell>
              <TableCell className={styles.nowrap}>
                {c.approvalId ? t('common.none') : format.date(c.expiresAt)}
              </TableCell>
              <TableCell className={styles.nowrap}>
                <BoughtByBadge
                  boughtBy={c.boughtBy}
                  perspective={props.perspective}
                  principal={c.boughtByPrincipal}
                />
              </TableCell>
              {props.showTotal && (
                <TableCell className={styles.numeric}>{format.money(c.totalPrice, c.currency)}</TableCell>
              )}
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {items.length === 0 && <div className={styles.empty}>{props.empty}</div>}
    </div>
  );
}
