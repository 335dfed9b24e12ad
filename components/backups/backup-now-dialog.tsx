'use client';

import { useState } from 'react';
import { startBackupAction } from '@/app/(dashboard)/backups/actions';
import { DialogActions } from '@/components/forms/dialog-actions';
import { TextField } from '@/components/forms/text-field';
import { useDialogAction } from '@/components/forms/use-dialog-action';
import { Dialog } from '@/components/ui/dialog';
import { ErrorState } from '@/components/ui/error-state';
import type { JobView } from '@/lib/queries/use-jobs';
import { formText } from '@/lib/ui/form-text';
import { fieldErrors } from '@/lib/ui/unwrap-action';
import { parseTags } from './backup-format';

export type BackupInput = {
  id: string;
  tags?: string[];
  description?: string;
  recovery_point?: { name: string; description?: string };
  package?: { name: string; version: string };
};

type Props = { repositoryId: string; open: boolean; onClose: () => void; onStarted: (job: JobView) => void };

/** The input of startBackupAction from the form: empty fields left out; a recovery point only with a name. */
export function backupInputFromForm(id: string, scope: 'registry' | 'package', f: FormData): BackupInput {
  const input: BackupInput = { id };
  const tags = parseTags(formText(f, 'tags'));
  if (tags.length > 0) input.tags = tags;
  if (formText(f, 'description')) input.description = formText(f, 'description');
  if (formText(f, 'rp_name')) input.recovery_point = { name: formText(f, 'rp_name'), ...(formText(f, 'rp_description') ? { description: formText(f, 'rp_description') } : {}) };
  if (scope === 'package') input.package = { name: formText(f, 'package_name'), version: formText(f, 'package_version') };
  return input;
}

/** "Back up now": the whole registry (or one package version), tagged and described, optionally a named recovery point. */
export function BackupNowDialog({ repositoryId, open, onClose, onStarted }: Props) {
  const [scope, setScope] = useState<'registry' | 'package'>('registry');
  const { mutation: start, close } = useDialogAction((input: BackupInput) => startBackupAction(input), { onDone: (data) => onStarted(data.job), onClose });
  const errs = (field: string) => fieldErrors(start.error, field);
  return (
    <Dialog open={open} title={`Back up to ${repositoryId}`} onClose={close} busy={start.isPending}>
      <form
        className="space-y-4"
        onSubmit={(event) => {
          event.preventDefault();
          start.mutate(backupInputFromForm(repositoryId, scope, new FormData(event.currentTarget)));
        }}
      >
        <fieldset className="flex gap-4 text-sm text-slate-800">
          <legend className="sr-only">What to back up</legend>
          <label className="flex items-center gap-2">
            <input type="radio" name="scope" checked={scope === 'registry'} onChange={() => setScope('registry')} />
            The whole registry
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" name="scope" checked={scope === 'package'} onChange={() => setScope('package')} />
            One package version
          </label>
        </fieldset>
        {scope === 'registry' ? (
          <p className="text-xs text-slate-600">Database, blobs, registry key and settings, copied while the registry keeps serving. Only chunks the repository does not hold yet are written.</p>
        ) : (
          <div className="grid grid-cols-2 gap-3">
            <TextField label="Package" name="package_name" required placeholder="resnet50" errors={errs('package.name')} />
            <TextField label="Version" name="package_version" required placeholder="1.2.0" errors={errs('package.version')} />
          </div>
        )}
        <TextField label="Tags" name="tags" placeholder="manual, before-upgrade" hint="Comma or space separated; retention can keep tagged snapshots." errors={errs('tags')} />
        <TextField label="Description" name="description" placeholder="Before the 2.0 migration" errors={errs('description')} />
        <fieldset className="space-y-3 rounded-md border border-slate-200 p-3">
          <legend className="px-1 text-xs font-medium text-slate-600">Recovery point (optional: named, exempt from retention)</legend>
          <TextField label="Recovery point name" name="rp_name" placeholder="pre-2.0" errors={errs('recovery_point.name')} />
          <TextField label="Recovery point description" name="rp_description" placeholder="State before upgrading to 2.0" errors={errs('recovery_point.description')} />
        </fieldset>
        {start.error && <ErrorState title="Could not start the backup" error={start.error} />}
        <DialogActions submitLabel={start.isPending ? 'Starting…' : 'Start backup'} pending={start.isPending} onCancel={close} />
      </form>
    </Dialog>
  );
}
