'use client';

import { useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import { FileDropZone } from '@/components/forms/file-drop-zone';
import { Button, buttonClasses } from '@/components/ui/button';
import { ErrorState } from '@/components/ui/error-state';
import { Skeleton } from '@/components/ui/skeleton';
import { ApiError } from '@/lib/queries/api-error';
import type { PublishResult } from '@/lib/queries/api-types';
import { searchKey } from '@/lib/queries/use-search-packages';
import { packageKey } from '@/lib/queries/use-package';
import { statsKey } from '@/lib/queries/use-stats';
import { digestHex } from '@/lib/ui/digest';
import { formatBytes } from '@/lib/ui/format-bytes';
import { readManifest, type ManifestPreview as Preview } from '@/lib/ui/read-manifest';
import { UPLOAD_CANCELLED, uploadPackage, type UploadProgress } from '@/lib/ui/upload-package';
import { ManifestPreview } from './manifest-preview';
import { UploadStatus } from './upload-status';

type Reading =
  | { status: 'reading' }
  | { status: 'read'; preview: Preview; name: string; version: string }
  | { status: 'invalid'; message: string };

type Upload =
  | { status: 'idle' }
  | { status: 'uploading'; progress: UploadProgress; abort: () => void }
  | { status: 'published'; result: PublishResult }
  | { status: 'cancelled' }
  | { status: 'failed'; error: Error };

type Selection = { file: File; reading: Reading };

function toReading(preview: Preview): Reading {
  const { name, version } = preview.manifest;
  if (typeof name !== 'string' || name === '' || typeof version !== 'string' || version === '') {
    return { status: 'invalid', message: 'MANIFEST.json must have a "name" and a "version" string.' };
  }
  return { status: 'read', preview, name, version };
}

export function PublishForm() {
  const queryClient = useQueryClient();
  const [selection, setSelection] = useState<Selection | null>(null);
  const [upload, setUpload] = useState<Upload>({ status: 'idle' });
  const currentFile = useRef<File | null>(null);
  const abortUpload = useRef<(() => void) | null>(null);
  const uploading = upload.status === 'uploading';

  // Navigating to another page of the app ends the upload rather than leaving it running unseen.
  useEffect(() => () => abortUpload.current?.(), []);

  // Leaving the page would abort the upload: ask first.
  useEffect(() => {
    if (!uploading) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [uploading]);

  async function selectFile(file: File) {
    currentFile.current = file;
    setSelection({ file, reading: { status: 'reading' } });
    setUpload({ status: 'idle' });
    let reading: Reading;
    try {
      reading = toReading(await readManifest(file));
    } catch (error) {
      reading = { status: 'invalid', message: error instanceof Error ? error.message : String(error) };
    }
    // A newer selection replaced this file while its manifest was being read.
    if (currentFile.current !== file) return;
    setSelection({ file, reading });
  }

  async function publish() {
    if (!selection || selection.reading.status !== 'read') return;
    const { name, version } = selection.reading;
    const handle = uploadPackage({ name, version, file: selection.file }, (progress) =>
      setUpload((current) => (current.status === 'uploading' ? { ...current, progress } : current)),
    );
    abortUpload.current = handle.abort;
    setUpload({ status: 'uploading', progress: { loaded: 0, total: selection.file.size, bytesPerSecond: null }, abort: handle.abort });
    try {
      const result = await handle.result;
      setUpload({ status: 'published', result });
      void queryClient.invalidateQueries({ queryKey: searchKey });
      void queryClient.invalidateQueries({ queryKey: statsKey });
      void queryClient.invalidateQueries({ queryKey: packageKey(result.name) });
    } catch (error) {
      if (error instanceof ApiError && error.code === UPLOAD_CANCELLED) {
        setUpload({ status: 'cancelled' });
        return;
      }
      setUpload({ status: 'failed', error: error instanceof Error ? error : new Error(String(error)) });
    } finally {
      abortUpload.current = null;
    }
  }

  function reset() {
    currentFile.current = null;
    setSelection(null);
    setUpload({ status: 'idle' });
  }

  const reading = selection?.reading;
  const canPublish = reading?.status === 'read' && (upload.status === 'idle' || upload.status === 'failed' || upload.status === 'cancelled');

  return (
    <div className="space-y-5">
      <FileDropZone label="Package file" accept=".torshpkg,.zip" disabled={uploading} onFile={selectFile}>
        <p className="text-sm font-medium text-slate-900">
          Drop a <code className="font-mono">.torshpkg</code> here, or <span className="text-indigo-700 underline">choose a file</span>
        </p>
        <p className="text-xs text-slate-600">
          {selection ? `Selected: ${selection.file.name} (${formatBytes(selection.file.size)})` : 'The manifest is read in your browser before anything is uploaded.'}
        </p>
      </FileDropZone>

      {reading?.status === 'reading' && (
        <div aria-busy="true" className="space-y-2">
          <span className="sr-only">Reading MANIFEST.json…</span>
          <Skeleton className="h-6 w-64" />
          <Skeleton className="h-32 w-full" />
        </div>
      )}
      {reading?.status === 'invalid' && (
        <ErrorState title="This file cannot be published" error={new Error(reading.message)} />
      )}
      {selection && reading?.status === 'read' && (
        <ManifestPreview preview={reading.preview} fileSize={selection.file.size} name={reading.name} version={reading.version} />
      )}

      {upload.status === 'uploading' && <UploadStatus progress={upload.progress} onCancel={upload.abort} />}
      {upload.status === 'cancelled' && (
        <p role="status" className="rounded-md border border-slate-200 bg-white px-4 py-3 text-sm text-slate-700">
          Upload cancelled. Nothing was published.
        </p>
      )}
      {upload.status === 'failed' && <ErrorState title="Publish failed" error={upload.error} />}
      {upload.status === 'published' && <Published result={upload.result} onPublishAnother={reset} />}

      {selection && upload.status !== 'published' && (
        <div className="flex gap-2">
          <Button variant="primary" disabled={!canPublish} onClick={publish}>
            Publish
          </Button>
          <Button onClick={reset} disabled={uploading}>
            Clear
          </Button>
        </div>
      )}
    </div>
  );
}

function Published({ result, onPublishAnother }: { result: PublishResult; onPublishAnother: () => void }) {
  const href = `/packages/${encodeURIComponent(result.name)}?version=${encodeURIComponent(result.version)}`;
  return (
    <div role="status" className="rounded-lg border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-900">
      <p className="font-semibold">
        Published {result.name}@{result.version}
      </p>
      <p className="mt-1">
        {formatBytes(result.size)} · sha256{' '}
        <code className="font-mono text-xs break-all">{digestHex(result.digest)}</code>
      </p>
      <div className="mt-3 flex gap-2">
        <Link href={href} className={buttonClasses('primary', 'sm')}>
          View package
        </Link>
        <Button size="sm" onClick={onPublishAnother}>
          Publish another
        </Button>
      </div>
    </div>
  );
}
