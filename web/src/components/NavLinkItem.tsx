import { NavItem } from '@fluentui/react-components';
import type { ReactElement, ReactNode } from 'react';
import { useLinkHandler } from '../router.tsx';

/** A left-navigation entry that is a real link (open in new tab works) but routes client-side. */
export function NavLinkItem(props: { href: string; value: string; icon: ReactElement; children: ReactNode }) {
  const onClick = useLinkHandler(props.href);
  return (
    <NavItem
      href={props.href}
      value={props.value}
      icon={props.icon}
      onClick={onClick}
      data-testid={`nav-${props.value}`}
    >
      {props.children}
    </NavItem>
  );
}
