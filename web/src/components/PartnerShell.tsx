import { NavSectionHeader } from '@fluentui/react-components';
import {
  Alert20Regular,
  DataBarVertical20Regular,
  History20Regular,
  People20Regular,
  PlugConnected20Regular,
  Tag20Regular,
  TaskListSquareLtr20Regular,
} from '@fluentui/react-icons';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me } from '../api.ts';
import { useFormat } from '../format.ts';
import { paths, useRouter } from '../router.tsx';
import { isAdminAgent, useSignOut } from '../session.ts';
import { AppFrame } from './AppFrame.tsx';
import { NavLinkItem } from './NavLinkItem.tsx';
import { NotificationBell } from './notifications/NotificationBell.tsx';
import { TopBar } from './TopBar.tsx';

const roleOrder = ['admin_agent', 'sales_agent', 'helpdesk_agent'];

export function PartnerShell(props: {
  me: Me;
  selectedNav: 'customers' | 'activity' | 'prices' | 'costs' | 'notifications' | 'approvals' | 'webhooks';
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const { navigate } = useRouter();
  const signOut = useSignOut();
  const role = roleOrder.find((r) => props.me.roles.includes(r)) ?? props.me.roles[0];

  return (
    <AppFrame
      selectedNav={props.selectedNav}
      topBar={
        <TopBar
          title={t('app.partnerCenter')}
          me={props.me}
          roleLabel={role ? format.role(role) : t('common.none')}
          onSettings={() => navigate(paths.activity)}
          actions={(className) => <NotificationBell className={className} />}
          onSignOut={() => signOut.mutate()}
          signingOut={signOut.isPending}
        />
      }
      nav={
        <>
          <NavLinkItem href={paths.customers} value="customers" icon={<People20Regular />}>
            {t('nav.customers')}
          </NavLinkItem>
          {/* Customers' purchases held above their approval threshold (B2); Admin agents decide. */}
          <NavLinkItem href={paths.approvals} value="approvals" icon={<TaskListSquareLtr20Regular />}>
            {t('nav.approvals')}
          </NavLinkItem>
          {/* Costs show the partner's own cost and margin: Admin agents only, like bills. */}
          {isAdminAgent(props.me) && (
            <NavLinkItem href={paths.costs} value="costs" icon={<DataBarVertical20Regular />}>
              {t('nav.costs')}
            </NavLinkItem>
          )}
          <NavSectionHeader data-testid="nav-settings-header">{t('nav.settings')}</NavSectionHeader>
          <NavLinkItem href={paths.activity} value="activity" icon={<History20Regular />}>
            {t('nav.activity')}
          </NavLinkItem>
          {/* Every partner user reads the default price list; only Admin agents change it (B9). */}
          <NavLinkItem href={paths.prices} value="prices" icon={<Tag20Regular />}>
            {t('nav.prices')}
          </NavLinkItem>
          {/* Each partner user's own choice of events in the feed and by e-mail (B1). */}
          <NavLinkItem href={paths.notificationPreferences} value="notifications" icon={<Alert20Regular />}>
            {t('nav.notifications')}
          </NavLinkItem>
          {/* Webhook endpoints and their secrets: Admin agents only (B1). */}
          {isAdminAgent(props.me) && (
            <NavLinkItem href={paths.webhooks} value="webhooks" icon={<PlugConnected20Regular />}>
              {t('nav.webhooks')}
            </NavLinkItem>
          )}
        </>
      }
    >
      {props.children}
    </AppFrame>
  );
}
