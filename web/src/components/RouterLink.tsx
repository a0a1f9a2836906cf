import { Link, type LinkProps } from '@fluentui/react-components';
import { useLinkHandler } from '../router.tsx';

/** A Fluent Link that navigates client-side (and still opens in a new tab with Ctrl/⌘-click). */
export function RouterLink({ href, ...rest }: Omit<LinkProps, 'href' | 'onClick'> & { href: string }) {
  const onClick = useLinkHandler(href);
  return <Link href={href} onClick={onClick} {...rest} />;
}
