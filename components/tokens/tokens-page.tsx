'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { revokeTokenAction } from '@/app/(dashboard)/tokens/actions';
import { QueryErrorState } from '@/components/auth/query-error-state';
import { ConfirmDialog } from '@/components/forms/confirm-dialog';
import { TableSkeleton } from '@/components/tables/table-skeleton';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { hasPermission, useMe } from '@/lib/queries/use-me';
import { tokensKey, useTokens, type TokenRow } from '@/lib/queries/use-tokens';
import { unwrapAction } from '@/lib/ui/unwrap-action';
import { NewTokenDialog } from './new-token-dialog';
import { TokenTable } from './token-table';

/** Own tokens, or with ?all=1 everyone's (ManageTokens); "New token" and "Revoke". */
export function TokensPage() {
  const all = useSearchParams().get('all') === '1';
  const { data: me } = useMe();
  const user = me?.user ?? null;
  const canSeeAll = hasPermission(user, 'ManageTokens');
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

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        {canSeeAll ? <TokenTabs all={all} /> : <span />}
        {user && (
          <Button variant="primary" onClick={() => setCreating(true)}>
            New token
          </Button>
        )}
      </div>

      <TokenList
        all={all}
        tokens={tokens}
        onCreate={() => setCreating(true)}
        onRevoke={(token) => {
          revoke.reset();
          setRevoking(token);
        }}
      />

      {user && (
        <NewTokenDialog open={creating} permissions={user.permissions} onClose={() => setCreating(false)} onCreated={invalidate} />
      )}
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
    </div>
  );
}

function TokenTabs({ all }: { all: boolean }) {
  const tab = (active: boolean) =>
    `-mb-px border-b-2 px-3 py-2 text-sm font-medium ${
      active ? 'border-indigo-600 text-indigo-700' : 'border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900'
    }`;
  return (
    <nav aria-label="Token lists" className="flex border-b border-slate-200">
      <Link href="/tokens" aria-current={!all ? 'page' : undefined} className={tab(!all)}>
        My tokens
      </Link>
      <Link href="/tokens?all=1" aria-current={all ? 'page' : undefined} className={tab(all)}>
        All tokens
      </Link>
    </nav>
  );
}

type TokenListProps = {
  all: boolean;
  tokens: ReturnType<typeof useTokens>;
  onCreate: () => void;
  onRevoke: (token: TokenRow) => void;
};

function TokenList({ all, tokens, onCreate, onRevoke }: TokenListProps) {
  if (tokens.isPending) return <TableSkeleton label="Loading tokens…" columns={6} />;
  if (tokens.error) {
    return (
      <QueryErrorState
        error={tokens.error}
        title="Could not load tokens"
        forbidden={all ? 'You do not have permission to see everyone’s tokens' : 'You do not have permission to use API tokens'}
      />
    );
  }
  if (tokens.data.tokens.length === 0) {
    return all ? (
      <EmptyState title="No API tokens yet">Nobody has created an API token.</EmptyState>
    ) : (
      <EmptyState title="You have no API tokens" action={<Button variant="primary" onClick={onCreate}>Create your first token</Button>}>
        Create a token to publish from CI or download private packages with curl or the torsh CLI.
      </EmptyState>
    );
  }
  return <TokenTable tokens={tokens.data.tokens} showUsername={all} onRevoke={onRevoke} />;
}
