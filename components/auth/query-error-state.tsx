'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { buttonClasses } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorState } from '@/components/ui/error-state';
import { ApiError } from '@/lib/queries/api-error';
import { loginHref } from './safe-next';

type QueryErrorStateProps = {
  error: unknown;
  /** Heading for other failures, e.g. "Could not load users". */
  title: string;
  /** Shown when the API answers 403, e.g. "You do not have permission to manage users". */
  forbidden: string;
};

/** A failed page query: 401 → sign in, 403 → no permission, anything else → the error. */
export function QueryErrorState({ error, title, forbidden }: QueryErrorStateProps) {
  const pathname = usePathname();
  if (error instanceof ApiError && error.status === 401) {
    const next = typeof window === 'undefined' ? pathname : `${pathname}${window.location.search}`;
    return (
      <EmptyState
        title="Sign in required"
        action={
          <Link href={loginHref(next)} className={buttonClasses('primary')}>
            Sign in
          </Link>
        }
      >
        This page is only available to signed-in users.
      </EmptyState>
    );
  }
  if (error instanceof ApiError && error.status === 403) {
    return (
      <EmptyState title={forbidden}>
        Your account does not hold the permission this page needs. Ask an administrator to add it to one of your
        roles.
      </EmptyState>
    );
  }
  return <ErrorState title={title} error={error} />;
}
