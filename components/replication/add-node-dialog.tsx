'use client';

import { useState } from 'react';
import { addNodeAction } from '@/app/(dashboard)/replication/actions';
import { DialogActions } from '@/components/forms/dialog-actions';
import { backendFromForm, StorageBackendFields, type StorageBackendCopy, type StorageBackendType } from '@/components/forms/storage-backend-fields';
import { TextField } from '@/components/forms/text-field';
import { useDialogAction } from '@/components/forms/use-dialog-action';
import { Dialog } from '@/components/ui/dialog';
import { ErrorState } from '@/components/ui/error-state';
import type { NodeBackendInput } from '@/lib/engine/replication/types';
import { formText } from '@/lib/ui/form-text';
import { fieldErrors } from '@/lib/ui/unwrap-action';

type NodeInput = { id: string; region: string; priority: number; capacity_bytes: number | null; backend: NodeBackendInput };
type AddNodeDialogProps = { open: boolean; onClose: () => void; onSaved: () => Promise<unknown> };

const GIB = 1024 ** 3;
const BACKEND_COPY: StorageBackendCopy = {
  label: 'Backend',
  s3Label: 'S3 bucket (AWS, MinIO, SeaweedFS, GCS S3 API)',
  folderPlaceholder: '/srv/torsh-replica',
  bucketPlaceholder: 'torsh-replica',
  pathHint: 'An absolute path on the origin’s host that the registry process can write.',
  endpointHint: 'Empty for AWS; the URL of MinIO, SeaweedFS or storage.googleapis.com otherwise.',
  s3PrefixHint: 'Optional: every object of this node goes under it.',
};

/**
 * Add a node. The origin probes it first (writes, reads back and deletes a probe object): wrong
 * credentials, a missing bucket or container, an unreachable endpoint or an unwritable folder are
 * refused, and the reason is shown here. Secrets are sent once and never shown again.
 */
export function AddNodeDialog({ open, onClose, onSaved }: AddNodeDialogProps) {
  const [type, setType] = useState<StorageBackendType>('local');
  const { mutation: save, close, errorCode } = useDialogAction((input: NodeInput) => addNodeAction(input), { onDone: onSaved, onClose });
  const errorTitle =
    errorCode === 'REPLICATION_NODE_UNAVAILABLE'
      ? 'The probe failed: the node was not added'
      : errorCode === 'REPLICATION_NODE_EXISTS'
        ? 'A node with this id exists'
        : 'Could not add the node';
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
          const capacityGiB = formText(f, 'capacity_gib');
          save.mutate({
            id: formText(f, 'id').toLowerCase(),
            region: formText(f, 'region').toLowerCase(),
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
        <StorageBackendFields type={type} onTypeChange={setType} copy={BACKEND_COPY} errors={backendErrs} />
        {save.error && <ErrorState title={errorTitle} error={save.error} />}
        <DialogActions submitLabel={save.isPending ? 'Probing…' : 'Probe and add'} pending={save.isPending} onCancel={close} />
      </form>
    </Dialog>
  );
}
