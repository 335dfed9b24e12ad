'use client';

import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { addNodeAction } from '@/app/(dashboard)/replication/actions';
import { DialogActions } from '@/components/forms/dialog-actions';
import { INPUT_CLASSES, TextField } from '@/components/forms/text-field';
import { Dialog } from '@/components/ui/dialog';
import { ErrorState } from '@/components/ui/error-state';
import type { NodeBackendInput } from '@/lib/engine/replication/types';
import { fieldErrors, unwrapAction } from '@/lib/ui/unwrap-action';

type BackendType = NodeBackendInput['type'];
type NodeInput = { id: string; region: string; priority: number; capacity_bytes: number | null; backend: NodeBackendInput };
type AddNodeDialogProps = { open: boolean; onClose: () => void; onSaved: () => Promise<unknown> };

const GIB = 1024 ** 3;
const BACKENDS: { id: BackendType; label: string }[] = [
  { id: 'local', label: 'Local folder' },
  { id: 's3', label: 'S3 bucket (AWS, MinIO, SeaweedFS, GCS S3 API)' },
  { id: 'azure', label: 'Azure Blob container' },
];

const text = (f: FormData, key: string) => String(f.get(key) ?? '').trim();
const optional = (f: FormData, key: string) => text(f, key) || undefined;

/** The posted backend from the form: only the chosen type's fields, empty optional fields left out. */
export function backendFromForm(type: BackendType, f: FormData): NodeBackendInput {
  switch (type) {
    case 'local':
      return { type, path: text(f, 'path') };
    case 's3':
      return {
        type,
        endpoint: optional(f, 'endpoint'),
        bucket: text(f, 'bucket'),
        region: optional(f, 's3_region'),
        access_key_id: optional(f, 'access_key_id'),
        secret_access_key: optional(f, 'secret_access_key'),
        force_path_style: f.get('force_path_style') === 'on',
        prefix: optional(f, 'prefix'),
      };
    case 'azure':
      return { type, connection_string: text(f, 'connection_string'), container: text(f, 'container'), prefix: optional(f, 'prefix') };
  }
}

/**
 * Add a node. The origin probes it first (writes, reads back and deletes a probe object): wrong
 * credentials, a missing bucket or container, an unreachable endpoint or an unwritable folder are
 * refused, and the reason is shown here. Secrets are sent once and never shown again.
 */
export function AddNodeDialog({ open, onClose, onSaved }: AddNodeDialogProps) {
  const typeId = useId();
  const [type, setType] = useState<BackendType>('local');
  const save = useMutation({
    mutationFn: (input: NodeInput) => unwrapAction(addNodeAction(input)),
    onSuccess: async () => {
      await onSaved();
      close();
    },
  });
  const close = () => {
    save.reset();
    onClose();
  };
  const code = save.error && 'code' in save.error ? save.error.code : null;
  const errorTitle =
    code === 'REPLICATION_NODE_UNAVAILABLE' ? 'The probe failed: the node was not added' : code === 'REPLICATION_NODE_EXISTS' ? 'A node with this id exists' : 'Could not add the node';
  const errs = (field: string) => fieldErrors(save.error, field);
  const backendErrs = (field: string) => fieldErrors(save.error, `backend.${field}`);
  return (
    <Dialog open={open} title="Add replication node" onClose={close} busy={save.isPending}>
      <form
        className="space-y-4"
        autoComplete="off"
        onSubmit={(event) => {
          event.preventDefault();
          const f = new FormData(event.currentTarget);
          const capacityGiB = text(f, 'capacity_gib');
          save.mutate({
            id: text(f, 'id').toLowerCase(),
            region: text(f, 'region').toLowerCase(),
            priority: Number(f.get('priority')),
            capacity_bytes: capacityGiB ? Math.round(Number(capacityGiB) * GIB) : null,
            backend: backendFromForm(type, f),
          });
        }}
      >
        <div className="grid grid-cols-2 gap-3">
          <TextField label="Node id" name="id" required placeholder="eu-bucket-1" pattern="[a-z0-9][a-z0-9\-]{0,62}" hint="Lower case, digits and dashes; it names the node in charts and logs." errors={errs('id')} />
          <TextField label="Region" name="region" required placeholder="eu-west" hint="Placement puts copies in distinct regions first." errors={errs('region')} />
          <TextField label="Priority" name="priority" type="number" min={0} required defaultValue={100} hint="Lower is preferred by placement." errors={errs('priority')} />
          <TextField label="Capacity (GiB)" name="capacity_gib" type="number" min={0} step="any" placeholder="no limit" hint="Empty: no limit." errors={errs('capacity_bytes')} />
        </div>
        <div>
          <label htmlFor={typeId} className="block text-sm font-medium text-slate-900">
            Backend
          </label>
          <select id={typeId} value={type} onChange={(e) => setType(e.target.value as BackendType)} className={`mt-1.5 ${INPUT_CLASSES}`}>
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
            <TextField label="Folder" name="path" required placeholder="/srv/torsh-replica" hint="An absolute path on the origin’s host that the registry process can write." errors={backendErrs('path')} />
          )}
          {type === 's3' && (
            <>
              <TextField label="Endpoint" name="endpoint" type="url" placeholder="https://s3.eu-west-1.amazonaws.com" hint="Empty for AWS; the URL of MinIO, SeaweedFS or storage.googleapis.com otherwise." errors={backendErrs('endpoint')} />
              <div className="grid grid-cols-2 gap-3">
                <TextField label="Bucket" name="bucket" required placeholder="torsh-replica" errors={backendErrs('bucket')} />
                <TextField label="Bucket region" name="s3_region" placeholder="us-east-1" errors={backendErrs('region')} />
                <TextField label="Access key id" name="access_key_id" autoComplete="off" errors={backendErrs('access_key_id')} />
                <TextField label="Secret access key" name="secret_access_key" type="password" autoComplete="new-password" errors={backendErrs('secret_access_key')} />
              </div>
              <TextField label="Key prefix" name="prefix" placeholder="torsh/" hint="Optional: every object of this node goes under it." errors={backendErrs('prefix')} />
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
                <TextField label="Container" name="container" required placeholder="torsh-replica" errors={backendErrs('container')} />
                <TextField label="Blob prefix" name="prefix" placeholder="torsh/" errors={backendErrs('prefix')} />
              </div>
            </>
          )}
        </fieldset>
        {save.error && <ErrorState title={errorTitle} error={save.error} />}
        <DialogActions submitLabel={save.isPending ? 'Probing…' : 'Probe and add'} pending={save.isPending} onCancel={close} />
      </form>
    </Dialog>
  );
}
