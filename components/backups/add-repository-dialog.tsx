'use client';

import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { addBackupRepositoryAction } from '@/app/(dashboard)/backups/actions';
import { DialogActions } from '@/components/forms/dialog-actions';
import { INPUT_CLASSES, TextField } from '@/components/forms/text-field';
import { backendFromForm } from '@/components/replication/add-node-dialog';
import { Dialog } from '@/components/ui/dialog';
import { ErrorState } from '@/components/ui/error-state';
import type { NodeBackendInput } from '@/lib/engine/replication/types';
import type { PasswordSourceView } from '@/lib/queries/use-backups';
import { fieldErrors, unwrapAction } from '@/lib/ui/unwrap-action';

type BackendType = NodeBackendInput['type'];
export type RepositoryInput = { id: string; description?: string; backend: NodeBackendInput; password_source: PasswordSourceView; init: boolean };
type Props = { open: boolean; onClose: () => void; onSaved: () => Promise<unknown> };

const BACKENDS: { id: BackendType; label: string }[] = [
  { id: 'local', label: 'Local folder' },
  { id: 's3', label: 'S3 bucket (AWS, MinIO, SeaweedFS)' },
  { id: 'azure', label: 'Azure Blob container' },
];

const ERROR_TITLES: Record<string, string> = {
  BACKUP_REPO_UNAVAILABLE: 'The location could not be reached: nothing was added',
  BACKUP_WRONG_PASSWORD: 'The password does not open this repository',
  BACKUP_PASSWORD_UNAVAILABLE: 'The server could not read the password',
  BACKUP_REPO_EXISTS: 'Already configured, or a repository is already there (attach it instead)',
  BACKUP_REPO_NOT_FOUND: 'No backup repository there: initialise a new one instead',
  BACKUP_FORMAT_UNSUPPORTED: 'The repository there has a newer format than this server reads',
};

const text = (f: FormData, key: string) => String(f.get(key) ?? '').trim();

/**
 * Add a backup repository: where it lives (the replication backends), where the server reads its
 * password (a file or an environment variable: the password itself never goes through the browser
 * or the database), and whether to initialise a new repository or attach an existing one.
 */
export function AddRepositoryDialog({ open, onClose, onSaved }: Props) {
  const id = useId();
  const [type, setType] = useState<BackendType>('local');
  const [source, setSource] = useState<PasswordSourceView['type']>('file');
  const [init, setInit] = useState(true);
  const save = useMutation({
    mutationFn: (input: RepositoryInput) => unwrapAction(addBackupRepositoryAction(input)),
    onSuccess: async () => {
      await onSaved();
      close();
    },
  });
  const close = () => {
    save.reset();
    onClose();
  };
  const code = save.error && 'code' in save.error ? String(save.error.code) : '';
  const errs = (field: string) => fieldErrors(save.error, field);
  const backendErrs = (field: string) => fieldErrors(save.error, `backend.${field}`);
  return (
    <Dialog open={open} title="Add backup repository" onClose={close} busy={save.isPending}>
      <form
        className="space-y-4"
        autoComplete="off"
        onSubmit={(event) => {
          event.preventDefault();
          const f = new FormData(event.currentTarget);
          const description = text(f, 'description');
          save.mutate({
            id: text(f, 'id').toLowerCase(),
            ...(description ? { description } : {}),
            backend: backendFromForm(type, f),
            password_source: source === 'file' ? { type: 'file', path: text(f, 'password_file') } : { type: 'env', name: text(f, 'password_env') },
            init,
          });
        }}
      >
        <div className="grid grid-cols-2 gap-3">
          <TextField label="Repository id" name="id" required placeholder="nightly" pattern="[a-z0-9][a-z0-9\-]{0,62}" hint="Lower case, digits and dashes." errors={errs('id')} />
          <TextField label="Description" name="description" placeholder="Nightly, off-site" errors={errs('description')} />
        </div>
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-slate-900">Repository</legend>
          <label className="flex items-start gap-2 text-sm text-slate-800">
            <input type="radio" name="init" checked={init} onChange={() => setInit(true)} className="mt-1" />
            <span>
              Initialise a new repository <span className="block text-xs text-slate-600">The location must not hold one yet; a new random key is wrapped by the password.</span>
            </span>
          </label>
          <label className="flex items-start gap-2 text-sm text-slate-800">
            <input type="radio" name="init" checked={!init} onChange={() => setInit(false)} className="mt-1" />
            <span>
              Attach an existing repository <span className="block text-xs text-slate-600">One made by another server or by <code>torsh backup init</code>; the password is checked.</span>
            </span>
          </label>
        </fieldset>
        <div>
          <label htmlFor={`${id}-backend`} className="block text-sm font-medium text-slate-900">
            Location
          </label>
          <select id={`${id}-backend`} value={type} onChange={(e) => setType(e.target.value as BackendType)} className={`mt-1.5 ${INPUT_CLASSES}`}>
            {BACKENDS.map((b) => (
              <option key={b.id} value={b.id}>
                {b.label}
              </option>
            ))}
          </select>
        </div>
        <fieldset key={type} className="space-y-3 rounded-md border border-slate-200 p-3">
          <legend className="px-1 text-xs font-medium text-slate-600">{BACKENDS.find((b) => b.id === type)!.label}</legend>
          {type === 'local' && (
            <TextField label="Folder" name="path" required placeholder="/srv/torsh-backups" hint="An absolute path on the server that the registry process can write." errors={backendErrs('path')} />
          )}
          {type === 's3' && (
            <>
              <TextField label="Endpoint" name="endpoint" type="url" placeholder="https://s3.eu-west-1.amazonaws.com" hint="Empty for AWS; the URL of MinIO or SeaweedFS otherwise." errors={backendErrs('endpoint')} />
              <div className="grid grid-cols-2 gap-3">
                <TextField label="Bucket" name="bucket" required placeholder="torsh-backups" errors={backendErrs('bucket')} />
                <TextField label="Bucket region" name="s3_region" placeholder="us-east-1" errors={backendErrs('region')} />
                <TextField label="Access key id" name="access_key_id" autoComplete="off" errors={backendErrs('access_key_id')} />
                <TextField label="Secret access key" name="secret_access_key" type="password" autoComplete="new-password" errors={backendErrs('secret_access_key')} />
              </div>
              <TextField label="Key prefix" name="prefix" placeholder="torsh/" hint="Optional: the repository lives under it." errors={backendErrs('prefix')} />
              <label className="flex items-center gap-2 text-sm text-slate-800">
                <input type="checkbox" name="force_path_style" defaultChecked={false} />
                Path-style addressing (MinIO, SeaweedFS and most self-hosted servers)
              </label>
            </>
          )}
          {type === 'azure' && (
            <>
              <TextField
                label="Connection string"
                name="connection_string"
                type="password"
                required
                autoComplete="new-password"
                hint="From the storage account’s Access keys; kept server-side, never shown again."
                errors={backendErrs('connection_string')}
              />
              <div className="grid grid-cols-2 gap-3">
                <TextField label="Container" name="container" required placeholder="torsh-backups" errors={backendErrs('container')} />
                <TextField label="Blob prefix" name="prefix" placeholder="torsh/" errors={backendErrs('prefix')} />
              </div>
            </>
          )}
        </fieldset>
        <fieldset className="space-y-3 rounded-md border border-slate-200 p-3">
          <legend className="px-1 text-xs font-medium text-slate-600">Password (read by the server at each use, never stored)</legend>
          <div className="flex gap-4 text-sm text-slate-800">
            <label className="flex items-center gap-2">
              <input type="radio" name="password_source_type" checked={source === 'file'} onChange={() => setSource('file')} />
              From a file
            </label>
            <label className="flex items-center gap-2">
              <input type="radio" name="password_source_type" checked={source === 'env'} onChange={() => setSource('env')} />
              From an environment variable
            </label>
          </div>
          {source === 'file' ? (
            <TextField
              key="file"
              label="Password file"
              name="password_file"
              required
              placeholder="/etc/torsh/backup-nightly.pass"
              hint="An absolute path on the server, readable by the registry process only (chmod 600)."
              errors={fieldErrors(save.error, 'password_source')}
            />
          ) : (
            <TextField
              key="env"
              label="Environment variable"
              name="password_env"
              required
              placeholder="TORSH_BACKUP_PASSWORD_NIGHTLY"
              hint="TORSH_BACKUP_PASSWORD or TORSH_BACKUP_PASSWORD_<NAME>, set in the server’s environment."
              errors={fieldErrors(save.error, 'password_source')}
            />
          )}
        </fieldset>
        {save.error && <ErrorState title={ERROR_TITLES[code] ?? 'Could not add the repository'} error={save.error} />}
        <DialogActions submitLabel={save.isPending ? 'Checking…' : init ? 'Initialise and add' : 'Open and add'} pending={save.isPending} onCancel={close} />
      </form>
    </Dialog>
  );
}
