'use client';

import type { UseQueryResult } from '@tanstack/react-query';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import type { ReactNode } from 'react';
import { QueryErrorState } from '@/components/auth/query-error-state';
import { TableSkeleton } from '@/components/tables/table-skeleton';
import { Button } from '@/components/ui/button';

/** Mine or everyone's: `?all=1` selects everyone's. */
export function useEveryoneView(): boolean {
  return useSearchParams().get('all') === '1';
}

/** Per-view texts: the signed-in user's own list, and everyone's. */
type ByView<T> = { mine: T; all: T };

type OwnedResourcePageProps<D, T> = {
  /** From useEveryoneView(). */
  all: boolean;
  /** The page's path; everyone's list is `${path}?all=1`. */
  path: string;
  /** Tab labels; the tabs appear only when the user may see everyone's list. */
  tabs: ByView<string> & { label: string; shown: boolean };
  /** The page's main button ("New token", "Register key"); null when signed out. */
  action: { label: string; onClick: () => void } | null;
  /** A live region above the list (outcomes of the page's actions). */
  notice?: ReactNode;
  query: UseQueryResult<D>;
  items: (data: D) => T[];
  loading: { label: string; columns: number };
  error: { title: string; forbidden: ByView<string> };
  empty: ByView<ReactNode>;
  table: (items: T[]) => ReactNode;
  /** The page's dialogs. */
  children?: ReactNode;
};

/**
 * A page listing the user's own things (API tokens, signing keys), or with `?all=1` everyone's
 * for those allowed: tabs, the main button, and the list's loading / error / empty states.
 */
export function OwnedResourcePage<D, T>({ all, path, tabs, action, notice, query, items, loading, error, empty, table, children }: OwnedResourcePageProps<D, T>) {
  const view = all ? 'all' : 'mine';
  let list: ReactNode;
  if (query.isPending) list = <TableSkeleton label={loading.label} columns={loading.columns} />;
  else if (query.error) list = <QueryErrorState error={query.error} title={error.title} forbidden={error.forbidden[view]} />;
  else {
    const rows = items(query.data);
    list = rows.length === 0 ? empty[view] : table(rows);
  }
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        {tabs.shown ? <ViewTabs all={all} path={path} tabs={tabs} /> : <span />}
        {action && (
          <Button variant="primary" onClick={action.onClick}>
            {action.label}
          </Button>
        )}
      </div>
      {notice}
      {list}
      {children}
    </div>
  );
}

function ViewTabs({ all, path, tabs }: { all: boolean; path: string; tabs: ByView<string> & { label: string } }) {
  const tab = (active: boolean) =>
    `-mb-px border-b-2 px-3 py-2 text-sm font-medium ${
      active ? 'border-indigo-600 text-indigo-700' : 'border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900'
    }`;
  return (
    <nav aria-label={tabs.label} className="flex border-b border-slate-200">
      <Link href={path} aria-current={!all ? 'page' : undefined} className={tab(!all)}>
        {tabs.mine}
      </Link>
      <Link href={`${path}?all=1`} aria-current={all ? 'page' : undefined} className={tab(all)}>
        {tabs.all}
      </Link>
    </nav>
  );
}
