'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { revokeKeyAction } from '@/app/(dashboard)/keys/actions';
import { ConfirmDialog } from '@/components/forms/confirm-dialog';
import { OwnedResourcePage, useEveryoneView } from '@/components/layout/owned-resource-page';
import { Button } from '@/components/ui/button';
import { CommandSnippet } from '@/components/ui/command-snippet';
import { EmptyState } from '@/components/ui/empty-state';
import { hasPermission, useMe } from '@/lib/queries/use-me';
import { allPackagesKey, keysKey, useKeys, type KeyRow } from '@/lib/queries/use-keys';
import { unwrapAction } from '@/lib/ui/unwrap-action';
import { KeyTable } from '@/components/tables/key-table';
import { RegisterKeyDialog } from './register-key-dialog';

const SIGNING_COMMANDS = [
  'torsh keygen -o signing-key.pem',
  'torsh keys register signing-key.pem --name laptop',
  'torsh publish model.torshpkg --sign signing-key.pem',
].join('\n');

type Outcome = { kind: 'registered'; key: KeyRow } | { kind: 'revoked'; key: KeyRow; flaggedVersions: number };

/** Own signing keys, or with ?all=1 everyone's (ManageSecurity); "Register key" and "Revoke". */
export function KeysPage() {
  const all = useEveryoneView();
  const { data: me } = useMe();
  const user = me?.user ?? null;
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
    <OwnedResourcePage
      all={all}
      path="/keys"
      tabs={{ label: 'Key lists', mine: 'My keys', all: 'All keys', shown: hasPermission(user, 'ManageSecurity') }}
      action={user && { label: 'Register key', onClick: openRegister }}
      notice={<OutcomeMessage outcome={outcome} />}
      query={keys}
      items={(data) => data.keys}
      loading={{ label: 'Loading signing keys…', columns: 5 }}
      error={{
        title: 'Could not load signing keys',
        forbidden: { mine: 'You do not have permission to use signing keys', all: 'You do not have permission to see everyone’s keys' },
      }}
      empty={{
        all: <EmptyState title="No signing keys yet">Nobody has registered a signing key.</EmptyState>,
        mine: <NoKeys onRegister={openRegister} />,
      }}
      table={(rows) => (
        <KeyTable
          keys={rows}
          showOwner={all}
          onRevoke={(key) => {
            revoke.reset();
            setRevoking(key);
          }}
        />
      )}
    >
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
    </OwnedResourcePage>
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

function NoKeys({ onRegister }: { onRegister: () => void }) {
  return (
    <EmptyState title="You have no signing keys" action={<Button variant="primary" onClick={onRegister}>Register your first key</Button>}>
      <p>
        Signing proves a package came from you and was not altered. Create a key pair with{' '}
        <code className="font-mono">torsh keygen</code>, register it with <code className="font-mono">torsh keys register</code>{' '}
        (or “Register key” here: you sign a challenge with the key to prove it is yours), then sign what you publish with{' '}
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
