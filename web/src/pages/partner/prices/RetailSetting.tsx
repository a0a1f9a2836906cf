import { Card, CardHeader, makeStyles, Switch, Text, tokens } from '@fluentui/react-components';
import { Eye20Regular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import { ErrorBar } from '../../../components/QueryState.tsx';
import { usePriceList, useRetailSetting } from './usePriceList.ts';

const useStyles = makeStyles({
  card: {
    padding: tokens.spacingHorizontalL,
    gap: tokens.spacingVerticalS,
    marginBottom: tokens.spacingVerticalL,
  },
  icon: { color: tokens.colorBrandForeground1, fontSize: '20px' },
  title: { margin: 0, fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400 },
  muted: { color: tokens.colorNeutralForeground3 },
});

/** The partner's setting (B9): whether customers see the retail price beside theirs. */
export function RetailSetting() {
  const { t } = useTranslation();
  const styles = useStyles();
  const view = usePriceList('default');
  const setting = useRetailSetting();
  if (!view.data) return null;
  const shown = setting.isPending
    ? (setting.variables ?? view.data.showRetailToCustomers)
    : view.data.showRetailToCustomers;
  return (
    <Card className={styles.card} data-testid="retail-setting">
      <CardHeader
        image={<Eye20Regular className={styles.icon} />}
        header={
          <Text as="h2" className={styles.title}>
            {t('priceList.retailSetting.title')}
          </Text>
        }
      />
      <Switch
        checked={shown}
        disabled={!view.data.canEdit || setting.isPending}
        label={t('priceList.retailSetting.label')}
        onChange={(_, data) => setting.mutate(data.checked)}
        data-testid="retail-setting-switch"
      />
      <Text className={styles.muted}>
        {t(shown ? 'priceList.retailSetting.on' : 'priceList.retailSetting.off')}
      </Text>
      {setting.isError && <ErrorBar error={setting.error} />}
    </Card>
  );
}
