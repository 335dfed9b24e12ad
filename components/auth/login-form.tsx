'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter, useSearchParams } from 'next/navigation';
import { loginAction } from '@/app/(auth)/actions';
import { TextField } from '@/components/forms/text-field';
import { Button } from '@/components/ui/button';
import { unwrapAction } from '@/lib/ui/unwrap-action';
import { safeNext } from './safe-next';

type Credentials = { username: string; password: string };

export function LoginForm() {
  const router = useRouter();
  const queryClient = useQueryClient();
  const next = safeNext(useSearchParams().get('next'));

  const login = useMutation({
    mutationFn: (credentials: Credentials) => unwrapAction(loginAction(credentials)),
    onSuccess: async () => {
      // Cached answers were for an anonymous visitor.
      await queryClient.resetQueries();
      router.push(next);
      router.refresh();
    },
  });

  return (
    <form
      className="mt-5 space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        login.mutate({ username: String(form.get('username') ?? '').trim(), password: String(form.get('password') ?? '') });
      }}
    >
      <TextField label="Username" name="username" autoComplete="username" autoCapitalize="none" spellCheck={false} required autoFocus />
      <TextField label="Password" name="password" type="password" autoComplete="current-password" required />
      {login.error && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {login.error.message}
        </p>
      )}
      <Button type="submit" variant="primary" className="w-full" disabled={login.isPending || login.isSuccess} aria-busy={login.isPending}>
        Sign in
      </Button>
    </form>
  );
}
