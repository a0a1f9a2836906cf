import { Button, makeStyles, Spinner, Text, tokens } from '@fluentui/react-components';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { type ApiError, type ApprovalView, api, type CommitmentView } from '../../api.ts';
import { useFormat } from '../../format.ts';

const useStyles = makeStyles({
  box: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXXS,
    marginTop: tokens.spacingVerticalXXS,
  },
  error: { color: tokens.colorPaletteRedForeground1 },
  button: { alignSelf: 'flex-start' },
});

/**
 * A held purchase whose price moved before the partner approved it (B2): the customer accepts the
 * new total, and the purchase goes back to the partner for approval at that price.
 */
export function ConfirmPriceButton({ commitment }: { commitment: CommitmentView }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const format = useFormat();
  const queryClient = useQueryClient();
  const price = commitment.newPrice;
  const confirm = useMutation<ApprovalView, ApiError, void>({
    mutationFn: () => api.confirmApprovalPrice(commitment.approvalId!, price!.total),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ['my'] }),
  });
  if (!price || !commitment.approvalId) return null;
  return (
    <div className={styles.box}>
      <Text size={200}>{t('held.priceMoved', { amount: format.money(price.total, price.currency) })}</Text>
      <Button
        className={styles.button}
        size="small"
        appearance="primary"
        disabled={confirm.isPending}
        icon={confirm.isPending ? <Spinner size="tiny" /> : undefined}
        onClick={() => confirm.mutate()}
        data-testid="confirm-new-price"
      >
        {t('held.confirm', { amount: format.money(price.total, price.currency) })}
      </Button>
      {confirm.isError && (
        <Text size={200} className={styles.error}>
          {confirm.error.message}
        </Text>
      )}
    </div>
  );
}
