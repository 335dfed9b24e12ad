'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import {
  addOwnerAction,
  removeOwnerAction,
  setGrantAction,
  setPackageSignaturePolicyAction,
  setVisibilityAction,
} from '@/app/(dashboard)/packages/[name]/actions';
import { ConfirmDialog } from '@/components/forms/confirm-dialog';
import { TextField } from '@/components/forms/text-field';
import { TABLE, TD, TH, THEAD } from '@/components/tables/table-styles';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ErrorState } from '@/components/ui/error-state';
import { ApiError } from '@/lib/queries/api-error';
import { useMe } from '@/lib/queries/use-me';
import { packageKey } from '@/lib/queries/use-package';
import { usePackageAccess, type PackageAccess as Access, type Visibility } from '@/lib/queries/use-package-access';
import { usePolicy } from '@/lib/queries/use-policy';
import { searchKey } from '@/lib/queries/use-search-packages';
import { statsKey } from '@/lib/queries/use-stats';
import { fieldErrors, unwrapAction } from '@/lib/ui/unwrap-action';
import { GrantDialog, type GrantEdit } from './grant-dialog';

const VISIBILITIES: { value: Visibility; label: string; description: string }[] = [
  { value: 'public', label: 'Public', description: 'Anyone, signed in or not, can see and download it.' },
  { value: 'restricted', label: 'Restricted', description: 'Signed-in users with read permission can see and download it.' },
  { value: 'private', label: 'Private', description: 'Only owners and users with a grant on this package.' },
];

/** Statuses meaning "this user does not manage this package": the panel stays hidden. */
const HIDDEN_STATUSES = new Set([401, 403, 404]);

/** Visibility, signature policy, owners and per-user grants of one package, for those who may manage them. */
export function PackageAccess({ name }: { name: string }) {
  const { data: me } = useMe();
  const signedIn = !!me?.user;
  const { data, error } = usePackageAccess(name, { enabled: signedIn });

  if (!signedIn) return null;
  if (error instanceof ApiError && HIDDEN_STATUSES.has(error.status)) return null;
  if (error) return <ErrorState title="Could not load who can access this package" error={error} />;
  if (!data) return null;

  return (
    <Card title="Access">
      <div className="divide-y divide-slate-200">
        <VisibilityForm name={name} visibility={data.visibility} />
        <SignaturePolicyForm name={name} requireSignature={data.require_signature ?? null} />
        <Owners name={name} owners={data.owners} />
        <Grants name={name} access={data} />
      </div>
    </Card>
  );
}

function useInvalidateAccess(name: string) {
  const queryClient = useQueryClient();
  // The package key covers its access; listings and totals depend on visibility.
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: packageKey(name) }),
      queryClient.invalidateQueries({ queryKey: searchKey }),
      queryClient.invalidateQueries({ queryKey: statsKey }),
    ]);
}

function VisibilityForm({ name, visibility }: { name: string; visibility: Visibility }) {
  const groupId = useId();
  const [selected, setSelected] = useState(visibility);
  const [synced, setSynced] = useState(visibility);
  // Saved here or elsewhere: show what the server now has.
  if (visibility !== synced) {
    setSynced(visibility);
    setSelected(visibility);
  }
  const invalidate = useInvalidateAccess(name);
  const save = useMutation({
    mutationFn: (next: Visibility) => unwrapAction(setVisibilityAction({ name, visibility: next })),
    onSuccess: invalidate,
  });

  return (
    <form
      className="space-y-3 p-4"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate(selected);
      }}
    >
      <fieldset>
        <legend className="text-sm font-semibold text-slate-900">Visibility</legend>
        <div className="mt-2 grid gap-2 sm:grid-cols-3">
          {VISIBILITIES.map((option) => {
            const id = `${groupId}-${option.value}`;
            const checked = selected === option.value;
            return (
              <div
                key={option.value}
                className={`flex items-start gap-2 rounded-md border px-3 py-2 ${checked ? 'border-indigo-400 bg-indigo-50/60' : 'border-slate-200'}`}
              >
                <input
                  id={id}
                  type="radio"
                  name={`${groupId}-visibility`}
                  value={option.value}
                  checked={checked}
                  onChange={() => setSelected(option.value)}
                  aria-describedby={`${id}-description`}
                  className="mt-0.5 size-4 accent-indigo-600"
                />
                <div className="text-sm leading-tight">
                  <label htmlFor={id} className="font-medium text-slate-900">
                    {option.label}
                  </label>
                  {option.value === visibility && <span className="ml-1.5 text-xs text-slate-500">(current)</span>}
                  <p id={`${id}-description`} className="mt-0.5 text-xs text-slate-600">
                    {option.description}
                  </p>
                </div>
              </div>
            );
          })}
        </div>
      </fieldset>
      {save.error && <ErrorState title="Could not change the visibility" error={save.error} />}
      {save.isSuccess && selected === visibility && (
        <p role="status" className="text-sm text-emerald-800">
          Visibility saved.
        </p>
      )}
      <Button type="submit" size="sm" variant="primary" disabled={selected === visibility || save.isPending} aria-busy={save.isPending}>
        Save visibility
      </Button>
    </form>
  );
}

type SignatureChoice = 'global' | 'required' | 'not-required';

const SIGNATURE_CHOICES: { value: SignatureChoice; label: string; setting: boolean | null }[] = [
  { value: 'global', label: 'Follow global policy', setting: null },
  { value: 'required', label: 'Required', setting: true },
  { value: 'not-required', label: 'Not required', setting: false },
];

const choiceOf = (setting: boolean | null): SignatureChoice => (setting === null ? 'global' : setting ? 'required' : 'not-required');

function SignaturePolicyForm({ name, requireSignature }: { name: string; requireSignature: boolean | null }) {
  const selectId = useId();
  const current = choiceOf(requireSignature);
  const [selected, setSelected] = useState(current);
  const [synced, setSynced] = useState(current);
  if (current !== synced) {
    setSynced(current);
    setSelected(current);
  }
  const policy = usePolicy();
  const invalidate = useInvalidateAccess(name);
  const save = useMutation({
    mutationFn: (choice: SignatureChoice) =>
      unwrapAction(
        setPackageSignaturePolicyAction({
          name,
          require_signature: SIGNATURE_CHOICES.find((c) => c.value === choice)?.setting ?? null,
        }),
      ),
    onSuccess: invalidate,
  });
  const globalText =
    policy.data === undefined
      ? null
      : policy.data.require_signature
        ? 'The global policy currently requires a verified signature.'
        : 'The global policy currently does not require a signature.';

  return (
    <form
      className="space-y-3 p-4"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate(selected);
      }}
    >
      <div>
        <h3 className="text-sm font-semibold text-slate-900">Signature policy</h3>
        <p className="text-xs text-slate-600">
          Whether every new version of this package must carry a verified signature. Existing versions are not affected.
        </p>
      </div>
      <div>
        <label htmlFor={selectId} className="block text-sm font-medium text-slate-900">
          Require signature
        </label>
        <select
          id={selectId}
          value={selected}
          onChange={(event) => setSelected(event.target.value as SignatureChoice)}
          aria-describedby={globalText ? `${selectId}-hint` : undefined}
          disabled={save.isPending}
          className="mt-1.5 h-9 w-full max-w-xs rounded-md border border-slate-300 bg-white px-3 text-sm text-slate-900 shadow-sm focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 focus:outline-none"
        >
          {SIGNATURE_CHOICES.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
        {globalText && (
          <p id={`${selectId}-hint`} className="mt-1 text-xs text-slate-600">
            {globalText}
          </p>
        )}
      </div>
      {save.error && <ErrorState title="Could not change the signature policy" error={save.error} />}
      {save.isSuccess && selected === current && (
        <p role="status" className="text-sm text-emerald-800">
          Signature policy saved.
        </p>
      )}
      <Button type="submit" size="sm" variant="primary" disabled={selected === current || save.isPending} aria-busy={save.isPending}>
        Save signature policy
      </Button>
    </form>
  );
}

function Owners({ name, owners }: { name: string; owners: string[] }) {
  const headingId = useId();
  const invalidate = useInvalidateAccess(name);
  const [removing, setRemoving] = useState<string | null>(null);
  const [username, setUsername] = useState('');
  const add = useMutation({
    mutationFn: (owner: string) => unwrapAction(addOwnerAction({ name, username: owner })),
    onSuccess: async () => {
      await invalidate();
      setUsername('');
    },
  });
  const remove = useMutation({
    mutationFn: (owner: string) => unwrapAction(removeOwnerAction({ name, username: owner })),
    onSuccess: async () => {
      await invalidate();
      setRemoving(null);
    },
  });

  return (
    <section aria-labelledby={headingId} className="space-y-3 p-4">
      <div>
        <h3 id={headingId} className="text-sm font-semibold text-slate-900">
          Owners
        </h3>
        <p className="text-xs text-slate-600">Owners can publish, yank and manage access to this package.</p>
      </div>
      {owners.length === 0 ? (
        <p className="text-sm text-slate-600">No owners: only administrators can manage this package.</p>
      ) : (
        <ul aria-label="Owners" className="divide-y divide-slate-100 rounded-md border border-slate-200">
          {owners.map((owner) => (
            <li key={owner} className="flex items-center justify-between gap-3 px-3 py-1.5 text-sm">
              <span className="font-medium text-slate-900">{owner}</span>
              <Button
                size="sm"
                variant="danger-outline"
                onClick={() => {
                  remove.reset();
                  setRemoving(owner);
                }}
              >
                Remove
              </Button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          const owner = username.trim();
          if (owner) add.mutate(owner);
        }}
      >
        <TextField
          label="Owner username"
          name="owner"
          value={username}
          onChange={(event) => setUsername(event.target.value)}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          required
          className="w-full max-w-xs"
          errors={fieldErrors(add.error, 'username')}
        />
        <Button type="submit" disabled={add.isPending} aria-busy={add.isPending}>
          Add owner
        </Button>
      </form>
      {add.error && <ErrorState title="Could not add this owner" error={add.error} />}
      <ConfirmDialog
        open={removing !== null}
        title={`Remove owner ${removing ?? ''}?`}
        confirmLabel="Remove owner"
        pending={remove.isPending}
        error={remove.error}
        errorTitle="Could not remove this owner"
        onConfirm={() => removing && remove.mutate(removing)}
        onClose={() => setRemoving(null)}
      >
        <p>
          {removing} will no longer manage <span className="font-mono">{name}</span>. Rights from their roles or a grant stay.
        </p>
      </ConfirmDialog>
    </section>
  );
}

function Grants({ name, access }: { name: string; access: Access }) {
  const headingId = useId();
  const invalidate = useInvalidateAccess(name);
  const [editing, setEditing] = useState<GrantEdit | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const remove = useMutation({
    mutationFn: (username: string) => unwrapAction(setGrantAction({ name, username, permissions: [] })),
    onSuccess: async () => {
      await invalidate();
      setRemoving(null);
    },
  });

  return (
    <section aria-labelledby={headingId} className="space-y-3 p-4">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <h3 id={headingId} className="text-sm font-semibold text-slate-900">
            Grants
          </h3>
          <p className="text-xs text-slate-600">Give one user specific rights on this package only.</p>
        </div>
        <Button size="sm" onClick={() => setEditing({ kind: 'add' })}>
          Add grant
        </Button>
      </div>
      {access.grants.length === 0 ? (
        <p className="text-sm text-slate-600">No grants.</p>
      ) : (
        <div className="overflow-x-auto rounded-md border border-slate-200">
          <table className={TABLE}>
            <caption className="sr-only">Grants</caption>
            <thead className={THEAD}>
              <tr>
                <th scope="col" className={TH}>Username</th>
                <th scope="col" className={TH}>Permissions</th>
                <th scope="col" className={TH}>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {access.grants.map((grant) => (
                <tr key={grant.username} className="align-top">
                  <th scope="row" className={`${TD} text-left font-medium`}>
                    {grant.username}
                  </th>
                  <td className={TD}>
                    <ul aria-label="Permissions" className="flex flex-wrap gap-1">
                      {grant.permissions.map((permission) => (
                        <li key={permission}>
                          <Badge>{permission}</Badge>
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td className={`${TD} text-right`}>
                    <div className="flex justify-end gap-2">
                      <Button size="sm" onClick={() => setEditing({ kind: 'edit', grant })}>
                        Edit
                      </Button>
                      <Button
                        size="sm"
                        variant="danger-outline"
                        onClick={() => {
                          remove.reset();
                          setRemoving(grant.username);
                        }}
                      >
                        Remove
                      </Button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <GrantDialog
        name={name}
        editing={editing}
        onClose={() => setEditing(null)}
        onSaved={invalidate}
      />
      <ConfirmDialog
        open={removing !== null}
        title={`Remove grant for ${removing ?? ''}?`}
        confirmLabel="Remove grant"
        pending={remove.isPending}
        error={remove.error}
        errorTitle="Could not remove this grant"
        onConfirm={() => removing && remove.mutate(removing)}
        onClose={() => setRemoving(null)}
      >
        <p>
          {removing} loses the rights this grant gives on <span className="font-mono">{name}</span>. Rights from their roles stay.
        </p>
      </ConfirmDialog>
    </section>
  );
}
