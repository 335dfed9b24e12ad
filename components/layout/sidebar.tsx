'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { Icon } from '@/components/ui/icon';
import { hasPermission, useMe, type MeUser } from '@/lib/queries/use-me';
import { NAV_GROUPS, type NavItem } from './nav-items';
import { UserMenu } from './user-menu';

function isActive(pathname: string, href: string): boolean {
  if (href === '/') return pathname === '/';
  return pathname === href || pathname.startsWith(`${href}/`);
}

function isVisible(item: NavItem, user: MeUser | null): boolean {
  if (item.permission) return hasPermission(user, item.permission);
  if (item.signedIn) return user !== null;
  return true;
}

export function Sidebar() {
  const pathname = usePathname();
  const { data: me } = useMe();
  const user = me?.user ?? null;
  const groups = NAV_GROUPS.map((group) => ({ ...group, items: group.items.filter((item) => isVisible(item, user)) })).filter(
    (group) => group.items.length > 0,
  );

  return (
    <aside className="flex flex-col border-b border-slate-200 bg-slate-50 md:sticky md:top-0 md:h-screen md:w-60 md:shrink-0 md:overflow-y-auto md:border-r md:border-b-0">
      <div className="flex items-center gap-2 px-4 py-3 md:py-5">
        <Link href="/" className="flex items-center gap-2 rounded-md font-semibold text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-600">
          <img src="/logo.svg" alt="" width={24} height={24} />
          <span>ToRSh Package Hub</span>
        </Link>
      </div>
      <nav aria-label="Main" className="flex gap-1 overflow-x-auto px-2 pb-2 md:flex-col md:gap-4 md:pb-4">
        {groups.map((group) => (
          <div key={group.label ?? 'main'} className="flex gap-1 md:flex-col">
            {group.label && (
              <h2 id={`nav-${group.label}`} className="hidden px-3 pb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase md:block">
                {group.label}
              </h2>
            )}
            <ul aria-labelledby={group.label ? `nav-${group.label}` : undefined} className="flex gap-1 md:flex-col">
              {group.items.map((item) => {
                const active = isActive(pathname, item.href);
                return (
                  <li key={item.href}>
                    <Link
                      href={item.href}
                      aria-current={active ? 'page' : undefined}
                      className={`flex items-center gap-2.5 rounded-md px-3 py-2 text-sm font-medium whitespace-nowrap transition-colors focus-visible:outline-2 focus-visible:outline-indigo-600 ${
                        active ? 'bg-white text-indigo-700 shadow-sm ring-1 ring-slate-200' : 'text-slate-700 hover:bg-slate-100 hover:text-slate-900'
                      }`}
                    >
                      <Icon name={item.icon} />
                      {item.label}
                    </Link>
                  </li>
                );
              })}
            </ul>
          </div>
        ))}
      </nav>
      <section aria-label="Account" className="border-t border-slate-200 px-4 py-3 md:mt-auto">
        <UserMenu />
      </section>
    </aside>
  );
}
