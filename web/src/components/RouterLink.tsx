import { Link } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { useLinkHandler } from '../router.tsx';

interface RouterLinkProps {
  href: string;
  children: ReactNode;
  className?: string;
  title?: string;
  'data-testid'?: string;
}

/** A Fluent Link that navigates client-side (and still opens in a new tab with Ctrl/⌘-click). */
export function RouterLink({ href, ...rest }: RouterLinkProps) {
  const onClick = useLinkHandler(href);
  return <Link href={href} onClick={onClick} {...rest} />;
}
