'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { revokeKeyAction } from '@/app/(dashboard)/keys/actions';
import { QueryErrorState } from '@/components/auth/query-error-state';
import { ConfirmDialog } from '@/components/forms/confirm-dialog';
import { TableSkeleton } from '@/components/tables/table-skeleton';
import { Button } from '@/components/ui/button';
import { CommandSnippet } from '@/components/ui/command-snippet';
import { EmptyState } from '@/components/ui/empty-state';
import { hasPermission, useMe } from '@/lib/queries/use-me';
import { allPackagesKey, keysKey, useKeys, type KeyRow } from '@/lib/queries/use-keys';
import { unwrapAction } from '@/lib/ui/unwrap-action';
import { KeyTable } from './key-table';
import { RegisterKeyDialog } from './register-key-dialog';

const SIGNING_COMMANDS = [
  'torsh keygen -o signing-key.pem',
  'torsh keys register signing-key.pem.pub --name laptop',
  'torsh publish model.torshpkg --sign signing-key.pem',
].join('\n');

type Outcome = { kind: 'registered'; key: KeyRow } | { kind: 'revoked'; key: KeyRow; flaggedVersions: number };

/** Own signing keys, or with ?all=1 everyone's (ManageSecurity); "Register key" and "Revoke". */
export function KeysPage() {
  const all = useSearchParams().get('all') === '1';
  const { data: me } = useMe();
  const user = me?.user ?? null;
  const canSeeAll = hasPermission(user, 'ManageSecurity');
  const keys = useKeys({ all });
  const queryClient = useQueryClient();
  const [registering, setRegistering] = useState(false);
  const [revoking, setRevoking] = useState<KeyRow | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const invalidateKeys = () => queryClient.invalidateQueries({ queryKey: keysKey });
  const revoke = useMutation({
    mutationFn: (key: KeyRow) => unwrapAction(revokeKeyAction({ keyId: key.key_id })),
    onSuccess: async ({ flaggedVersions }, key) => {
      // Versions it signed now show "Key revoked".
      await Promise.all([invalidateKeys(), queryClient.invalidateQueries({ queryKey: allPackagesKey })]);
      setOutcome({ kind: 'revoked', key, flaggedVersions });
      setRevoking(null);
    },
  });

  const openRegister = () => {
    setOutcome(null);
    setRegistering(true);
  };

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        {canSeeAll ? <KeyTabs all={all} /> : <span />}
        {user && (
          <Button variant="primary" onClick={openRegister}>
            Register key
          </Button>
        )}
      </div>

      <OutcomeMessage outcome={outcome} />

      <KeyList
        all={all}
        keys={keys}
        onRegister={openRegister}
        onRevoke={(key) => {
          revoke.reset();
          setRevoking(key);
        }}
      />

      <RegisterKeyDialog
        open={registering}
        onClose={() => setRegistering(false)}
        onRegistered={async (key) => {
          await invalidateKeys();
          setOutcome({ kind: 'registered', key });
          setRegistering(false);
        }}
      />
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke key ${revoking?.name ?? ''}?`}
        confirmLabel="Revoke key"
        pending={revoke.isPending}
        error={revoke.error}
        errorTitle="Could not revoke this key"
        onConfirm={() => revoking && revoke.mutate(revoking)}
        onClose={() => setRevoking(null)}
      >
        {revoking && (
          <div className="space-y-2">
            <p>
              Every version signed with key <code className="font-mono">{revoking.key_id}</code>
              {all && <> (owned by {revoking.owner})</>} will be flagged <strong>Key revoked</strong> and no longer counts as
              verified. New publishes signed with it are not accepted as verified either.
            </p>
            <p>Revoke a key when its private key may have leaked or is no longer used. This cannot be undone.</p>
          </div>
        )}
      </ConfirmDialog>
    </div>
  );
}

/** One live region, so both outcomes are announced. */
function OutcomeMessage({ outcome }: { outcome: Outcome | null }) {
  return <div role="status">{outcome && <OutcomeText outcome={outcome} />}</div>;
}

function OutcomeText({ outcome }: { outcome: Outcome }) {
  if (outcome.kind === 'registered') {
    return (
      <p className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
        Key {outcome.key.name} registered (key id <code className="font-mono">{outcome.key.key_id}</code>). Packages you
        publish signed with it show as Verified.
      </p>
    );
  }
  const n = outcome.flaggedVersions;
  return (
    <p className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
      Key {outcome.key.name} revoked.{' '}
      {n === 0
        ? 'No published versions were signed with it.'
        : `${n} ${n === 1 ? 'version' : 'versions'} signed with it ${n === 1 ? 'is' : 'are'} now flagged “Key revoked”.`}
    </p>
  );
}

function KeyTabs({ all }: { all: boolean }) {
  const tab = (active: boolean) =>
    `-mb-px border-b-2 px-3 py-2 text-sm font-medium ${
      active ? 'border-indigo-600 text-indigo-700' : 'border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900'
    }`;
  return (
    <nav aria-label="Key lists" className="flex border-b border-slate-200">
      <Link href="/keys" aria-current={!all ? 'page' : undefined} className={tab(!all)}>
        My keys
      </Link>
      <Link href="/keys?all=1" aria-current={all ? 'page' : undefined} className={tab(all)}>
        All keys
      </Link>
    </nav>
  );
}

type KeyListProps = {
  all: boolean;
  keys: ReturnType<typeof useKeys>;
  onRegister: () => void;
  onRevoke: (key: KeyRow) => void;
};

function KeyList({ all, keys, onRegister, onRevoke }: KeyListProps) {
  if (keys.isPending) return <TableSkeleton label="Loading signing keys…" columns={5} />;
  if (keys.error) {
    return (
      <QueryErrorState
        error={keys.error}
        title="Could not load signing keys"
        forbidden={all ? 'You do not have permission to see everyone’s keys' : 'You do not have permission to use signing keys'}
      />
    );
  }
  if (keys.data.keys.length === 0) {
    return all ? (
      <EmptyState title="No signing keys yet">Nobody has registered a signing key.</EmptyState>
    ) : (
      <EmptyState title="You have no signing keys" action={<Button variant="primary" onClick={onRegister}>Register your first key</Button>}>
        <p>
          Signing proves a package came from you and was not altered. Create a key pair with{' '}
          <code className="font-mono">torsh keygen</code>, register its public key with{' '}
          <code className="font-mono">torsh keys register</code> (or “Register key” here), then sign what you publish with{' '}
          <code className="font-mono">torsh publish --sign</code>:
        </p>
        <div className="mt-3 text-left">
          <CommandSnippet command={SIGNING_COMMANDS} label="Copy commands" />
        </div>
        <p className="mt-3">
          <code className="font-mono">torsh keygen</code> writes the private key (keep it secret) and{' '}
          <code className="font-mono">signing-key.pem.pub</code>. The private key never leaves your machine: the registry only
          stores the public key.
        </p>
      </EmptyState>
    );
  }
  return <KeyTable keys={keys.data.keys} showOwner={all} onRevoke={onRevoke} />;
}
