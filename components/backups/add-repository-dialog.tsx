'use client';

import { useState } from 'react';
import { addBackupRepositoryAction } from '@/app/(dashboard)/backups/actions';
import { DialogActions } from '@/components/forms/dialog-actions';
import { backendFromForm, StorageBackendFields, type StorageBackendCopy, type StorageBackendType } from '@/components/forms/storage-backend-fields';
import { TextField } from '@/components/forms/text-field';
import { useDialogAction } from '@/components/forms/use-dialog-action';
import { Dialog } from '@/components/ui/dialog';
import { ErrorState } from '@/components/ui/error-state';
import type { NodeBackendInput } from '@/lib/engine/replication/types';
import type { PasswordSourceView } from '@/lib/queries/use-backups';
import { formText } from '@/lib/ui/form-text';
import { fieldErrors } from '@/lib/ui/unwrap-action';

export type RepositoryInput = { id: string; description?: string; backend: NodeBackendInput; password_source: PasswordSourceView; init: boolean };
type Props = { open: boolean; onClose: () => void; onSaved: () => Promise<unknown> };

const BACKEND_COPY: StorageBackendCopy = {
  label: 'Location',
  s3Label: 'S3 bucket (AWS, MinIO, SeaweedFS)',
  folderPlaceholder: '/srv/torsh-backups',
  bucketPlaceholder: 'torsh-backups',
  pathHint: 'An absolute path on the server that the registry process can write.',
  endpointHint: 'Empty for AWS; the URL of MinIO or SeaweedFS otherwise.',
  s3PrefixHint: 'Optional: the repository lives under it.',
};

const ERROR_TITLES: Record<string, string> = {
  BACKUP_REPO_UNAVAILABLE: 'The location could not be reached: nothing was added',
  BACKUP_WRONG_PASSWORD: 'The password does not open this repository',
  BACKUP_PASSWORD_UNAVAILABLE: 'The server could not read the password',
  BACKUP_REPO_EXISTS: 'Already configured, or a repository is already there (attach it instead)',
  BACKUP_REPO_NOT_FOUND: 'No backup repository there: initialise a new one instead',
  BACKUP_FORMAT_UNSUPPORTED: 'The repository there has a newer format than this server reads',
};

/**
 * Add a backup repository: where it lives (the replication backends), where the server reads its
 * password (a file or an environment variable: the password itself never goes through the browser
 * or the database), and whether to initialise a new repository or attach an existing one.
 */
export function AddRepositoryDialog({ open, onClose, onSaved }: Props) {
  const [type, setType] = useState<StorageBackendType>('local');
  const [source, setSource] = useState<PasswordSourceView['type']>('file');
  const [init, setInit] = useState(true);
  const { mutation: save, close, errorCode } = useDialogAction((input: RepositoryInput) => addBackupRepositoryAction(input), { onDone: onSaved, onClose });
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
          const description = formText(f, 'description');
          save.mutate({
            id: formText(f, 'id').toLowerCase(),
            ...(description ? { description } : {}),
            backend: backendFromForm(type, f),
            password_source: source === 'file' ? { type: 'file', path: formText(f, 'password_file') } : { type: 'env', name: formText(f, 'password_env') },
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
        <StorageBackendFields type={type} onTypeChange={setType} copy={BACKEND_COPY} errors={backendErrs} />
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
        {save.error && <ErrorState title={ERROR_TITLES[errorCode ?? ''] ?? 'Could not add the repository'} error={save.error} />}
        <DialogActions submitLabel={save.isPending ? 'Checking…' : init ? 'Initialise and add' : 'Open and add'} pending={save.isPending} onCancel={close} />
      </form>
    </Dialog>
  );
}
