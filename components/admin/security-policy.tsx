'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useId, useState } from 'react';
import { updatePolicyAction } from '@/app/(dashboard)/admin/security/actions';
import { QueryErrorState } from '@/components/auth/query-error-state';
import { Fingerprint } from '@/components/keys/fingerprint';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ErrorState } from '@/components/ui/error-state';
import { Skeleton } from '@/components/ui/skeleton';
import { REGISTRY_OWNER, useKeys, useTrustedKeys, type KeyRow } from '@/lib/queries/use-keys';
import { policyKey, usePolicy, type SignaturePolicy } from '@/lib/queries/use-policy';
import { unwrapAction } from '@/lib/ui/unwrap-action';

const POLICY_OPTIONS: { field: keyof SignaturePolicy; label: string; description: string }[] = [
  {
    field: 'require_signature',
    label: 'Require a verified signature for every publish',
    description:
      'Publishes that are unsigned, signed with an unknown or revoked key, or whose signature does not verify are refused. Package owners can override this per package.',
  },
  {
    field: 'sign_browser_publishes',
    label: 'Sign browser publishes with the registry key',
    description:
      'Packages published from the dashboard carry no signature of their own; with this on, the registry signs them with its key so they show as Verified (signed by registry).',
  },
];

/**
 * The registry-wide signature policy and the registry's own key (ManageSecurity). Access is decided
 * by GET /api/v1/keys?all=1, which answers 401/403 like the other admin pages; the policy itself is public.
 */
export function SecurityPolicy() {
  // The trusted-keys route creates the registry key on first use: load it before listing all keys.
  const trusted = useTrustedKeys();
  const keys = useKeys({ all: true, enabled: !trusted.isPending });
  const policy = usePolicy();

  if (keys.isPending) return <SecuritySkeleton />;
  if (keys.error) return <QueryErrorState error={keys.error} title="Could not load security settings" forbidden="You do not have permission to manage security" />;

  return (
    <div className="space-y-6">
      {policy.error ? (
        <ErrorState title="Could not load the signature policy" error={policy.error} />
      ) : policy.data ? (
        <PolicyForm policy={policy.data} />
      ) : (
        <SecuritySkeleton />
      )}
      <RegistryKey registryKeyId={trusted.data?.registry_key_id ?? null} keys={keys.data.keys} error={trusted.error} />
    </div>
  );
}

function samePolicy(a: SignaturePolicy, b: SignaturePolicy): boolean {
  return a.require_signature === b.require_signature && a.sign_browser_publishes === b.sign_browser_publishes;
}

function PolicyForm({ policy }: { policy: SignaturePolicy }) {
  const id = useId();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState(policy);
  const [synced, setSynced] = useState(policy);
  // Saved here or elsewhere: show what the server now has.
  if (!samePolicy(policy, synced)) {
    setSynced(policy);
    setDraft(policy);
  }
  const save = useMutation({
    mutationFn: (next: SignaturePolicy) => unwrapAction(updatePolicyAction(next)),
    onSuccess: async (saved) => {
      queryClient.setQueryData(policyKey, saved);
      await queryClient.invalidateQueries({ queryKey: policyKey });
    },
  });
  const changed = !samePolicy(draft, policy);

  return (
    <Card title="Signature policy">
      <form
        className="space-y-4 p-4"
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate(draft);
        }}
      >
        <div className="space-y-3">
          {POLICY_OPTIONS.map((option) => {
            const inputId = `${id}-${option.field}`;
            return (
              <div key={option.field} className="flex items-start gap-2.5">
                <input
                  id={inputId}
                  type="checkbox"
                  checked={draft[option.field]}
                  onChange={(event) => setDraft({ ...draft, [option.field]: event.target.checked })}
                  aria-describedby={`${inputId}-description`}
                  disabled={save.isPending}
                  className="mt-0.5 size-4 rounded border-slate-300 accent-indigo-600"
                />
                <div className="min-w-0 text-sm leading-tight">
                  <label htmlFor={inputId} className="font-medium text-slate-900">
                    {option.label}
                  </label>
                  <p id={`${inputId}-description`} className="mt-0.5 max-w-2xl text-xs text-slate-600">
                    {option.description}
                  </p>
                </div>
              </div>
            );
          })}
        </div>
        {draft.require_signature && !draft.sign_browser_publishes && (
          <p className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
            With signatures required and browser publishes left unsigned, publishing from the dashboard is refused: only
            packages signed with <code className="font-mono">torsh publish --sign</code> are accepted.
          </p>
        )}
        {save.error && <ErrorState title="Could not save the policy" error={save.error} />}
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" variant="primary" disabled={!changed || save.isPending} aria-busy={save.isPending}>
            Save policy
          </Button>
          <p role="status" className="text-sm text-emerald-800">
            {save.isSuccess && !changed ? 'Policy saved.' : ''}
          </p>
        </div>
      </form>
    </Card>
  );
}

type RegistryKeyProps = { registryKeyId: string | null; keys: KeyRow[]; error: Error | null };

function RegistryKey({ registryKeyId, keys, error }: RegistryKeyProps) {
  const key = keys.find((k) => k.key_id === registryKeyId) ?? keys.find((k) => k.owner === REGISTRY_OWNER) ?? null;
  return (
    <Card title="Registry key">
      <div className="space-y-3 p-4 text-sm">
        <p className="max-w-2xl text-slate-600">
          The registry’s own Ed25519 key. It signs browser publishes when the policy above says so. Clients verify
          downloads against the public keys listed at <code className="font-mono">/api/v1/keys/trusted</code>.
        </p>
        {error && <ErrorState title="Could not load the registry key" error={error} />}
        {key ? (
          <dl className="space-y-3">
            <div>
              <dt className="text-xs font-medium text-slate-600">Key ID</dt>
              <dd className="mt-0.5 flex items-center gap-2">
                <code className="font-mono text-xs text-slate-800">{key.key_id}</code>
                {key.revoked_at !== null && <Badge tone="danger">Revoked</Badge>}
              </dd>
            </div>
            <div>
              <dt className="text-xs font-medium text-slate-600">Fingerprint (SHA-256)</dt>
              <dd className="mt-0.5">
                <Fingerprint hex={key.fingerprint} />
              </dd>
            </div>
          </dl>
        ) : (
          !error && <p className="text-slate-600">The registry key is created the first time it is needed.</p>
        )}
        <p>
          <Link href="/keys?all=1" className="font-medium text-indigo-700 hover:underline">
            See every registered key
          </Link>
        </p>
      </div>
    </Card>
  );
}

function SecuritySkeleton() {
  return (
    <div aria-busy="true" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <span className="sr-only">Loading security settings…</span>
      <Skeleton className="h-4 w-2/3" />
      <Skeleton className="h-4 w-1/2" />
      <Skeleton className="h-9 w-32" />
    </div>
  );
}
