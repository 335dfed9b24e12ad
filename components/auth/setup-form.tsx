'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { setupAction } from '@/app/(auth)/actions';
import { TextField } from '@/components/forms/text-field';
import { Button } from '@/components/ui/button';
import { ActionError, fieldErrors, unwrapAction } from '@/lib/ui/unwrap-action';

type SetupInput = { username: string; email: string; password: string };

const SETUP_DONE = 'SETUP_DONE';

export function SetupForm() {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [mismatch, setMismatch] = useState(false);

  const setup = useMutation({
    mutationFn: (input: SetupInput) => unwrapAction(setupAction(input)),
    onSuccess: async () => {
      await queryClient.resetQueries();
      router.push('/');
      router.refresh();
    },
  });
  const error = setup.error;
  const setupDone = error instanceof ActionError && error.code === SETUP_DONE;

  return (
    <form
      className="mt-5 space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        const password = String(form.get('password') ?? '');
        if (password !== String(form.get('confirm') ?? '')) {
          setMismatch(true);
          return;
        }
        setMismatch(false);
        setup.mutate({
          username: String(form.get('username') ?? '').trim(),
          email: String(form.get('email') ?? '').trim(),
          password,
        });
      }}
    >
      <TextField
        label="Username"
        name="username"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        required
        autoFocus
        errors={fieldErrors(error, 'username')}
      />
      <TextField label="Email" name="email" type="email" autoComplete="email" required errors={fieldErrors(error, 'email')} />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        hint="At least 10 characters."
        errors={fieldErrors(error, 'password')}
      />
      <TextField
        label="Confirm password"
        name="confirm"
        type="password"
        autoComplete="new-password"
        required
        aria-invalid={mismatch || undefined}
        onChange={() => setMismatch(false)}
      />
      {mismatch && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          The passwords do not match.
        </p>
      )}
      {error && (
        <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          <p>{error.message}</p>
          {setupDone && (
            <p className="mt-1">
              <Link href="/login" className="font-medium text-red-900 underline">
                Sign in
              </Link>{' '}
              with an existing account instead.
            </p>
          )}
        </div>
      )}
      <Button type="submit" variant="primary" className="w-full" disabled={setup.isPending || setup.isSuccess} aria-busy={setup.isPending}>
        Create admin account
      </Button>
    </form>
  );
}
