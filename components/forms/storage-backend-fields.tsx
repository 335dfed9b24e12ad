'use client';

import { useId } from 'react';
import { INPUT_CLASSES, TextField } from '@/components/forms/text-field';
import type { NodeBackendInput } from '@/lib/engine/replication/types';
import { formText } from '@/lib/ui/form-text';

export type StorageBackendType = NodeBackendInput['type'];

/** What differs between the forms that pick a storage location (replication nodes, backup repositories). */
export type StorageBackendCopy = {
  /** The label of the type select. */
  label: string;
  /** The name of the S3 choice: which S3-compatible services the caller was tested against. */
  s3Label: string;
  folderPlaceholder: string;
  /** The S3 bucket's and the Azure container's placeholder. */
  bucketPlaceholder: string;
  pathHint: string;
  endpointHint: string;
  s3PrefixHint: string;
};

type Props = {
  type: StorageBackendType;
  onTypeChange: (type: StorageBackendType) => void;
  copy: StorageBackendCopy;
  /** Field errors of `backend.<field>`. */
  errors: (field: string) => string[] | undefined;
};

const optional = (f: FormData, key: string) => formText(f, key) || undefined;

/** The posted backend from the form: only the chosen type's fields, empty optional fields left out. */
export function backendFromForm(type: StorageBackendType, f: FormData): NodeBackendInput {
  switch (type) {
    case 'local':
      return { type, path: formText(f, 'path') };
    case 's3':
      return {
        type,
        endpoint: optional(f, 'endpoint'),
        bucket: formText(f, 'bucket'),
        region: optional(f, 's3_region'),
        access_key_id: optional(f, 'access_key_id'),
        secret_access_key: optional(f, 'secret_access_key'),
        force_path_style: f.get('force_path_style') === 'on',
        prefix: optional(f, 'prefix'),
      };
    case 'azure':
      return { type, connection_string: formText(f, 'connection_string'), container: formText(f, 'container'), prefix: optional(f, 'prefix') };
  }
}

/**
 * The type select and the chosen type's fields of a local folder, an S3 bucket or an Azure Blob
 * container, uncontrolled: read them back with `backendFromForm`. Secrets are password inputs.
 */
export function StorageBackendFields({ type, onTypeChange, copy, errors }: Props) {
  const typeId = useId();
  const backends: { id: StorageBackendType; label: string }[] = [
    { id: 'local', label: 'Local folder' },
    { id: 's3', label: copy.s3Label },
    { id: 'azure', label: 'Azure Blob container' },
  ];
  return (
    <>
      <div>
        <label htmlFor={typeId} className="block text-sm font-medium text-slate-900">
          {copy.label}
        </label>
        <select id={typeId} value={type} onChange={(e) => onTypeChange(e.target.value as StorageBackendType)} className={`mt-1.5 ${INPUT_CLASSES}`}>
          {backends.map((b) => (
            <option key={b.id} value={b.id}>
              {b.label}
            </option>
          ))}
        </select>
      </div>
      <fieldset key={type} className="space-y-3 rounded-md border border-slate-200 p-3">
        <legend className="px-1 text-xs font-medium text-slate-600">{backends.find((b) => b.id === type)!.label}</legend>
        {type === 'local' && <TextField label="Folder" name="path" required placeholder={copy.folderPlaceholder} hint={copy.pathHint} errors={errors('path')} />}
        {type === 's3' && (
          <>
            <TextField label="Endpoint" name="endpoint" type="url" placeholder="https://s3.eu-west-1.amazonaws.com" hint={copy.endpointHint} errors={errors('endpoint')} />
            <div className="grid grid-cols-2 gap-3">
              <TextField label="Bucket" name="bucket" required placeholder={copy.bucketPlaceholder} errors={errors('bucket')} />
              <TextField label="Bucket region" name="s3_region" placeholder="us-east-1" errors={errors('region')} />
              <TextField label="Access key id" name="access_key_id" autoComplete="off" errors={errors('access_key_id')} />
              <TextField label="Secret access key" name="secret_access_key" type="password" autoComplete="new-password" errors={errors('secret_access_key')} />
            </div>
            <TextField label="Key prefix" name="prefix" placeholder="torsh/" hint={copy.s3PrefixHint} errors={errors('prefix')} />
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
              errors={errors('connection_string')}
            />
            <div className="grid grid-cols-2 gap-3">
              <TextField label="Container" name="container" required placeholder={copy.bucketPlaceholder} errors={errors('container')} />
              <TextField label="Blob prefix" name="prefix" placeholder="torsh/" errors={errors('prefix')} />
            </div>
          </>
        )}
      </fieldset>
    </>
  );
}
