'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { revokeTokenAction } from '@/app/(dashboard)/tokens/actions';
import { ConfirmDialog } from '@/components/forms/confirm-dialog';
import { OwnedResourcePage, useEveryoneView } from '@/components/layout/owned-resource-page';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { hasPermission, useMe } from '@/lib/queries/use-me';
import { tokensKey, useTokens, type TokenRow } from '@/lib/queries/use-tokens';
import { unwrapAction } from '@/lib/ui/unwrap-action';
import { NewTokenDialog } from './new-token-dialog';
import { TokenTable } from '@/components/tables/token-table';

/** Own tokens, or with ?all=1 everyone's (ManageTokens); "New token" and "Revoke". */
export function TokensPage() {
  const all = useEveryoneView();
  const { data: me } = useMe();
  const user = me?.user ?? null;
  const tokens = useTokens({ all });
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<TokenRow | null>(null);

  const invalidate = () => queryClient.invalidateQueries({ queryKey: tokensKey });
  const revoke = useMutation({
    mutationFn: (token: TokenRow) => unwrapAction(revokeTokenAction({ tokenId: token.id })),
    onSuccess: async () => {
      await invalidate();
      setRevoking(null);
    },
  });
  const create = () => setCreating(true);

  return (
    <OwnedResourcePage
      all={all}
      path="/tokens"
      tabs={{ label: 'Token lists', mine: 'My tokens', all: 'All tokens', shown: hasPermission(user, 'ManageTokens') }}
      action={user && { label: 'New token', onClick: create }}
      query={tokens}
      items={(data) => data.tokens}
      loading={{ label: 'Loading tokens…', columns: 6 }}
      error={{
        title: 'Could not load tokens',
        forbidden: { mine: 'You do not have permission to use API tokens', all: 'You do not have permission to see everyone’s tokens' },
      }}
      empty={{
        all: <EmptyState title="No API tokens yet">Nobody has created an API token.</EmptyState>,
        mine: (
          <EmptyState title="You have no API tokens" action={<Button variant="primary" onClick={create}>Create your first token</Button>}>
            Create a token to publish from CI or download private packages with curl or the torsh CLI.
          </EmptyState>
        ),
      }}
      table={(rows) => (
        <TokenTable
          tokens={rows}
          showUsername={all}
          onRevoke={(token) => {
            revoke.reset();
            setRevoking(token);
          }}
        />
      )}
    >
      {user && <NewTokenDialog open={creating} permissions={user.permissions} onClose={() => setCreating(false)} onCreated={invalidate} />}
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke token ${revoking?.name ?? ''}?`}
        confirmLabel="Revoke token"
        pending={revoke.isPending}
        error={revoke.error}
        errorTitle="Could not revoke this token"
        onConfirm={() => revoking && revoke.mutate(revoking)}
        onClose={() => setRevoking(null)}
      >
        {revoking && (
          <p>
            Requests that send <code className="font-mono">{revoking.prefix}…</code>
            {all && <> (owned by {revoking.username})</>} are refused from now on. Scripts and CI jobs using it need a new
            token. This cannot be undone.
          </p>
        )}
      </ConfirmDialog>
    </OwnedResourcePage>
  );
}
