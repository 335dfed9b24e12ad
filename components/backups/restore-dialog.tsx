'use client';

import { useState } from 'react';
import { startRestoreAction } from '@/app/(dashboard)/backups/actions';
import { TextField } from '@/components/forms/text-field';
import { useDialogAction } from '@/components/forms/use-dialog-action';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { ErrorState } from '@/components/ui/error-state';
import type { SnapshotView } from '@/lib/queries/use-backups';
import type { JobView } from '@/lib/queries/use-jobs';
import { formatDateTime } from '@/lib/ui/format-time';
import { formText } from '@/lib/ui/form-text';
import { fieldErrors } from '@/lib/ui/unwrap-action';
import { snapshotContent } from './backup-format';

export type RestoreTarget = { type: 'package'; name?: string; version?: string } | { type: 'directory'; path: string };
type RestoreInput = { id: string; snapshot: string; target: RestoreTarget };
type Props = { repositoryId: string; snapshot: SnapshotView | null; onClose: () => void; onStarted: (job: JobView) => void };

/**
 * Restore a snapshot: one package version into the live registry (refused when that version
 * exists), or the whole registry into a new, empty directory on the server (the registry in use
 * is not touched; start a server on that directory to use it).
 */
export function RestoreDialog({ repositoryId, snapshot, onClose, onStarted }: Props) {
  const isPackage = snapshot?.kind === 'package';
  const [type, setType] = useState<RestoreTarget['type']>('package');
  const target = isPackage ? 'package' : type;
  const { mutation: restore, close } = useDialogAction((input: RestoreInput) => startRestoreAction(input), {
    onDone: (data) => onStarted(data.job),
    onClose: () => {
      setType('package');
      onClose();
    },
  });
  const errs = (field: string) => fieldErrors(restore.error, field);
  return (
    <Dialog open={snapshot !== null} title={`Restore snapshot ${snapshot?.short_id ?? ''}`} onClose={close} busy={restore.isPending}>
      {snapshot && (
        <form
          className="space-y-4"
          onSubmit={(event) => {
            event.preventDefault();
            const f = new FormData(event.currentTarget);
            const t: RestoreTarget =
              target === 'directory'
                ? { type: 'directory', path: formText(f, 'path') }
                : isPackage
                  ? { type: 'package' }
                  : { type: 'package', name: formText(f, 'name'), version: formText(f, 'version') };
            restore.mutate({ id: repositoryId, snapshot: snapshot.id, target: t });
          }}
        >
          <p className="text-sm text-slate-700">
            {snapshotContent(snapshot)}, taken {formatDateTime(snapshot.time)}
            {snapshot.recovery_point ? ` (recovery point ${snapshot.recovery_point.name})` : ''}.
          </p>
          {!isPackage && (
            <fieldset className="space-y-2 text-sm text-slate-800">
              <legend className="text-sm font-medium text-slate-900">Restore</legend>
              <label className="flex items-start gap-2">
                <input type="radio" name="target" checked={type === 'package'} onChange={() => setType('package')} className="mt-1" />
                <span>One package version into the live registry</span>
              </label>
              <label className="flex items-start gap-2">
                <input type="radio" name="target" checked={type === 'directory'} onChange={() => setType('directory')} className="mt-1" />
                <span>The whole registry into a new directory on the server</span>
              </label>
            </fieldset>
          )}
          {target === 'package' && !isPackage && (
            <div className="grid grid-cols-2 gap-3">
              <TextField label="Package" name="name" required placeholder="resnet50" errors={errs('target.name')} />
              <TextField label="Version" name="version" required placeholder="1.2.0" errors={errs('target.version')} />
            </div>
          )}
          {target === 'package' && (
            <p className="text-xs text-slate-600">
              The version is published again with its original bytes, signatures and metadata, and audited as a restore. Refused if that version exists: delete it first to replace it.
            </p>
          )}
          {target === 'directory' && (
            <>
              <TextField
                label="Target directory"
                name="path"
                required
                placeholder="/srv/torsh-restored"
                hint="An absolute path on the server; it must not exist or be empty."
                errors={errs('target.path')}
              />
              <p className="text-xs text-slate-600">
                The database, blobs, registry key and settings are written there; the running registry is not touched. Start a registry with <code>TORSH_DATA_DIR</code> set to it to serve
                the restored packages, users, roles, tokens and keys.
              </p>
            </>
          )}
          {restore.error && <ErrorState title="Could not start the restore" error={restore.error} />}
          <div className="flex justify-end gap-2">
            <Button onClick={close} disabled={restore.isPending}>
              Cancel
            </Button>
            <Button type="submit" variant="danger" disabled={restore.isPending} aria-busy={restore.isPending}>
              {target === 'directory' ? 'Restore into directory' : 'Restore package version'}
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
