import { Card, makeStyles, Text, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';

const useStyles = makeStyles({
  grid: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 1fr) minmax(340px, 420px)',
    gap: tokens.spacingHorizontalXL,
    alignItems: 'start',
    '@media (max-width: 1100px)': { gridTemplateColumns: 'minmax(0, 1fr)' },
  },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, minWidth: 0 },
  summary: { position: 'sticky', top: tokens.spacingVerticalL },
  section: { padding: tokens.spacingHorizontalL, gap: tokens.spacingVerticalM },
  sectionHead: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  step: {
    width: '24px',
    height: '24px',
    borderRadius: '50%',
    display: 'grid',
    placeItems: 'center',
    flexShrink: 0,
    backgroundColor: tokens.colorBrandBackground2,
    color: tokens.colorBrandForeground2,
    fontWeight: tokens.fontWeightSemibold,
    fontSize: tokens.fontSizeBase200,
  },
  sectionTitle: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400 },
  sectionBody: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(220px, 1fr))',
    gap: tokens.spacingHorizontalL,
    alignItems: 'start',
  },
});

/** The purchase page: numbered sections on the left, the price and Buy on the right. */
export function BuyLayout(props: { children: ReactNode; summary: ReactNode }) {
  const styles = useStyles();
  return (
    <div className={styles.grid}>
      <div className={styles.form}>{props.children}</div>
      <div className={styles.summary}>{props.summary}</div>
    </div>
  );
}

export function BuySection(props: { step: number; title: string; children: ReactNode; testId?: string }) {
  const styles = useStyles();
  return (
    <Card className={styles.section} data-testid={props.testId}>
      <div className={styles.sectionHead}>
        <span className={styles.step} aria-hidden="true">
          {props.step}
        </span>
        <Text as="h2" className={styles.sectionTitle}>
          {props.title}
        </Text>
      </div>
      <div className={styles.sectionBody}>{props.children}</div>
    </Card>
  );
}

/** Fields side by side that wrap on narrow screens. */
export function FieldRow({ children }: { children: ReactNode }) {
  const styles = useStyles();
  return <div className={styles.row}>{children}</div>;
}
