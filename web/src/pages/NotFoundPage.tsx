import { Button, makeStyles, Text, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { useRouter } from '../router.tsx';

const useStyles = makeStyles({
  box: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: tokens.spacingVerticalM,
    paddingBlock: tokens.spacingVerticalXXL,
  },
  title: { fontSize: tokens.fontSizeBase600, fontWeight: tokens.fontWeightSemibold },
});

export function NotFoundPage({ home }: { home: string }) {
  const { t } = useTranslation();
  const styles = useStyles();
  const { navigate } = useRouter();
  return (
    <div className={styles.box} data-testid="not-found">
      <Text as="h1" className={styles.title}>
        {t('notFound.title')}
      </Text>
      <Text>{t('notFound.body')}</Text>
      <Button appearance="primary" onClick={() => navigate(home)}>
        {t('notFound.home')}
      </Button>
    </div>
  );
}
