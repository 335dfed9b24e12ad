'use client';

import Link from 'next/link';
import { loginHref } from '@/components/auth/safe-next';
import { buttonClasses } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { Skeleton } from '@/components/ui/skeleton';
import { useMe } from '@/lib/queries/use-me';
import { PublishForm } from './publish-form';

/** The publish form for signed-in users; anonymous visitors are asked to sign in first. */
export function PublishGate() {
  const { data: me, isPending } = useMe();
  if (isPending) {
    return (
      <div aria-busy="true">
        <span className="sr-only">Loading…</span>
        <Skeleton className="h-44 w-full" />
      </div>
    );
  }
  if (!me?.user) {
    return (
      <EmptyState
        title="Sign in to publish"
        action={
          <Link href={loginHref('/publish')} className={buttonClasses('primary')}>
            Sign in
          </Link>
        }
      >
        Publishing needs an account with the Publish permission. From CI, send an API token instead (see the command
        on this page).
      </EmptyState>
    );
  }
  return <PublishForm />;
}
