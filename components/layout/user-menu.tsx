'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { Suspense, useEffect } from 'react';
import { logoutAction } from '@/app/(auth)/actions';
import { loginHref } from '@/components/auth/safe-next';
import { Badge } from '@/components/ui/badge';
import { Button, buttonClasses } from '@/components/ui/button';
import { ErrorState } from '@/components/ui/error-state';
import { Icon } from '@/components/ui/icon';
import { Skeleton } from '@/components/ui/skeleton';
import { useMe, type MeUser } from '@/lib/queries/use-me';
import { unwrapAction } from '@/lib/ui/unwrap-action';

/** The signed-in user with "Sign out", or a "Sign in" link; sends a fresh install to /setup. */
export function UserMenu() {
  const router = useRouter();
  const { data: me, isPending } = useMe();
  const needsSetup = me?.needs_setup ?? false;

  useEffect(() => {
    if (needsSetup) router.replace('/setup');
  }, [needsSetup, router]);

  if (isPending) {
    return (
      <div aria-busy="true">
        <span className="sr-only">Loading your account…</span>
        <Skeleton className="h-4 w-28" />
        <Skeleton className="mt-2 h-3 w-20" />
      </div>
    );
  }
  if (!me?.user) {
    return (
      <Suspense fallback={<SignInLink search="" />}>
        <SignInLinkWithSearch />
      </Suspense>
    );
  }
  return <SignedIn user={me.user} />;
}

function SignInLinkWithSearch() {
  const search = useSearchParams().toString();
  return <SignInLink search={search ? `?${search}` : ''} />;
}

function SignInLink({ search }: { search: string }) {
  const pathname = usePathname();
  // Coming back to the sign-in page itself would be a loop.
  const next = pathname === '/login' ? '/' : `${pathname}${search}`;
  return (
    <Link href={loginHref(next)} className={`${buttonClasses('primary', 'sm')} w-full md:w-auto`}>
      Sign in
    </Link>
  );
}

function SignedIn({ user }: { user: MeUser }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const logout = useMutation({
    mutationFn: () => unwrapAction(logoutAction({})),
    onSuccess: async () => {
      router.push('/');
      router.refresh();
      // Every cached answer was for the signed-in user.
      await queryClient.resetQueries();
    },
  });

  return (
    <div className="flex flex-wrap items-center justify-between gap-x-3 gap-y-2 md:flex-col md:items-stretch">
      <div className="min-w-0">
        <p className="truncate text-sm font-semibold text-slate-900" title={user.email}>
          <span className="sr-only">Signed in as </span>
          {user.username}
        </p>
        {user.roles.length > 0 && (
          <ul aria-label="Your roles" className="mt-1 flex flex-wrap gap-1">
            {user.roles.map((role) => (
              <li key={role}>
                <Badge tone={role === 'admin' ? 'info' : 'neutral'}>{role}</Badge>
              </li>
            ))}
          </ul>
        )}
      </div>
      <Button size="sm" onClick={() => logout.mutate()} disabled={logout.isPending} aria-busy={logout.isPending}>
        <Icon name="logout" />
        Sign out
      </Button>
      {logout.error && <ErrorState title="Could not sign out" error={logout.error} />}
    </div>
  );
}
