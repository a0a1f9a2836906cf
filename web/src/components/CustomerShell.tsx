import {
  Box20Regular,
  CalendarClock20Regular,
  DataBarVertical20Regular,
  Receipt20Regular,
  Savings20Regular,
} from '@fluentui/react-icons';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me } from '../api.ts';
import { paths } from '../router.tsx';
import { useSignOut } from '../session.ts';
import { AppFrame } from './AppFrame.tsx';
import { NavLinkItem } from './NavLinkItem.tsx';
import { TopBar } from './TopBar.tsx';

export function CustomerShell(props: {
  me: Me;
  selectedNav: 'subscriptions' | 'reservations' | 'savingsPlans' | 'invoices' | 'costs';
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const signOut = useSignOut();
  return (
    <AppFrame
      selectedNav={props.selectedNav}
      topBar={
        <TopBar
          title={t('app.customerPortal')}
          me={props.me}
          roleLabel={t('roles.customer_user')}
          onSignOut={() => signOut.mutate()}
          signingOut={signOut.isPending}
        />
      }
      nav={
        <>
          <NavLinkItem href={paths.mySubscriptions} value="subscriptions" icon={<Box20Regular />}>
            {t('nav.subscriptions')}
          </NavLinkItem>
          <NavLinkItem
            href={paths.myCommitments('reservation')}
            value="reservations"
            icon={<CalendarClock20Regular />}
          >
            {t('nav.reservations')}
          </NavLinkItem>
          <NavLinkItem
            href={paths.myCommitments('savings_plan')}
            value="savingsPlans"
            icon={<Savings20Regular />}
          >
            {t('nav.savingsPlans')}
          </NavLinkItem>
          <NavLinkItem href={paths.myInvoices} value="invoices" icon={<Receipt20Regular />}>
            {t('invoices.title')}
          </NavLinkItem>
          <NavLinkItem href={paths.myCosts} value="costs" icon={<DataBarVertical20Regular />}>
            {t('nav.costAnalysis')}
          </NavLinkItem>
        </>
      }
    >
      {props.children}
    </AppFrame>
  );
}
