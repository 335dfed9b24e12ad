import type { IconName } from '@/components/ui/icon';

export type NavItem = { href: string; label: string; icon: IconName };

/** Sidebar entries, in display order. */
export const NAV_ITEMS: NavItem[] = [
  { href: '/', label: 'Overview', icon: 'home' },
  { href: '/packages', label: 'Packages', icon: 'box' },
  { href: '/publish', label: 'Publish', icon: 'upload' },
];
