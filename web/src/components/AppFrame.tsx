import { makeStyles, NavDrawer, NavDrawerBody, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

const useStyles = makeStyles({
  frame: {
    height: '100vh',
    display: 'flex',
    flexDirection: 'column',
    backgroundColor: tokens.colorNeutralBackground2,
  },
  body: { flexGrow: 1, display: 'flex', minHeight: 0 },
  nav: {
    flexShrink: 0,
    width: '232px',
    minWidth: '232px',
    maxWidth: '232px',
    borderRight: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  main: { flexGrow: 1, minWidth: 0, overflowY: 'auto' },
  content: {
    maxWidth: '1280px',
    marginInline: 'auto',
    paddingBlock: tokens.spacingVerticalXL,
    paddingInline: tokens.spacingHorizontalXXL,
  },
});

/** Top bar, left navigation and a scrolling content column: the frame of both portals. */
export function AppFrame(props: {
  topBar: ReactNode;
  selectedNav: string | undefined;
  nav: ReactNode;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const styles = useStyles();
  return (
    <div className={styles.frame}>
      {props.topBar}
      <div className={styles.body}>
        <NavDrawer
          open
          type="inline"
          density="small"
          selectedValue={props.selectedNav}
          className={styles.nav}
          aria-label={t('shell.mainNav')}
          data-testid="left-nav"
        >
          <NavDrawerBody>{props.nav}</NavDrawerBody>
        </NavDrawer>
        <main className={styles.main}>
          <div className={styles.content}>{props.children}</div>
        </main>
      </div>
    </div>
  );
}
