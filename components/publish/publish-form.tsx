'use client';

import { useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import { FileDropZone } from '@/components/forms/file-drop-zone';
import { Button, buttonClasses } from '@/components/ui/button';
import { ErrorState } from '@/components/ui/error-state';
import { Skeleton } from '@/components/ui/skeleton';
import { publishUploadAction } from '@/app/(dashboard)/publish/actions';
import type { PublishResult } from '@/lib/queries/api-types';
import { searchKey } from '@/lib/queries/use-search-packages';
import { packageKey } from '@/lib/queries/use-package';
import { statsKey } from '@/lib/queries/use-stats';
import { digestHex } from '@/lib/ui/digest';
import { formatBytes } from '@/lib/ui/format-bytes';
import { readManifest, type ManifestPreview as Preview } from '@/lib/ui/read-manifest';
import { ActionError } from '@/lib/ui/unwrap-action';
import {
  assertNotPublished,
  findUnfinishedUpload,
  startUpload,
  type UnfinishedUpload,
  type UploadController,
  type UploadProgress,
} from '@/lib/ui/upload-package';
import { ManifestPreview } from './manifest-preview';
import { UploadStatus } from './upload-status';

type Reading =
  | { status: 'reading' }
  | { status: 'read'; preview: Preview; name: string; version: string }
  | { status: 'invalid'; message: string };

type Upload =
  | { status: 'idle' }
  | { status: 'uploading' | 'paused' | 'verifying'; progress: UploadProgress }
  | { status: 'published'; result: PublishResult }
  | { status: 'cancelled' }
  | { status: 'failed'; error: Error };

/** `unfinished`: an earlier upload of this file the server still has (found after the manifest is read). */
type Selection = { file: File; reading: Reading; unfinished: UnfinishedUpload | null };

function toReading(preview: Preview): Reading {
  const { name, version } = preview.manifest;
  if (typeof name !== 'string' || name === '' || typeof version !== 'string' || version === '') {
    return { status: 'invalid', message: 'MANIFEST.json must have a "name" and a "version" string.' };
  }
  return { status: 'read', preview, name, version };
}

const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));

export function PublishForm() {
  const queryClient = useQueryClient();
  const [selection, setSelection] = useState<Selection | null>(null);
  const [upload, setUpload] = useState<Upload>({ status: 'idle' });
  const currentFile = useRef<File | null>(null);
  const controller = useRef<UploadController | null>(null);
  const busy = upload.status === 'uploading' || upload.status === 'paused' || upload.status === 'verifying';
  const sending = upload.status === 'uploading';

  // Leaving for another page of the app pauses the upload; choosing the file again resumes it.
  useEffect(() => () => controller.current?.pause(), []);

  // Leaving the page stops the upload (it can be resumed, but only by coming back): ask first.
  useEffect(() => {
    if (!sending) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [sending]);

  async function lookForUnfinished(file: File, reading: Reading) {
    if (reading.status !== 'read') return;
    const unfinished = await findUnfinishedUpload(file, reading).catch(() => null);
    if (currentFile.current !== file) return;
    setSelection((current) => (current?.file === file ? { ...current, unfinished } : current));
  }

  async function selectFile(file: File) {
    currentFile.current = file;
    setSelection({ file, reading: { status: 'reading' }, unfinished: null });
    setUpload({ status: 'idle' });
    let reading: Reading;
    try {
      reading = toReading(await readManifest(file));
    } catch (error) {
      reading = { status: 'invalid', message: error instanceof Error ? error.message : String(error) };
    }
    // A newer selection replaced this file while its manifest was being read.
    if (currentFile.current !== file) return;
    setSelection({ file, reading, unfinished: null });
    await lookForUnfinished(file, reading);
  }

  async function finish(uploadId: string, name: string, version: string) {
    controller.current = null;
    setUpload((current) => (current.status === 'uploading' ? { ...current, status: 'verifying' } : current));
    try {
      const result = await publishUploadAction({ uploadId, name, version });
      if (!result.ok) {
        // The server removes a rejected upload: there is nothing left to resume.
        setSelection((current) => (current ? { ...current, unfinished: null } : current));
        setUpload({ status: 'failed', error: new ActionError(result.error) });
        return;
      }
      setUpload({ status: 'published', result: result.data });
      void queryClient.invalidateQueries({ queryKey: searchKey });
      void queryClient.invalidateQueries({ queryKey: statsKey });
      void queryClient.invalidateQueries({ queryKey: packageKey(result.data.name) });
    } catch (error) {
      setUpload({ status: 'failed', error: asError(error) });
    }
  }

  async function publish() {
    if (!selection || selection.reading.status !== 'read') return;
    const { file, unfinished } = selection;
    const { name, version } = selection.reading;
    setSelection({ ...selection, unfinished: null });
    setUpload({ status: 'uploading', progress: { loaded: unfinished?.offset ?? 0, total: file.size, bytesPerSecond: null } });
    try {
      await assertNotPublished(name, version);
    } catch (error) {
      setUpload({ status: 'failed', error: asError(error) });
      return;
    }
    controller.current = startUpload(
      { file, name, version, resumeFrom: unfinished?.previous },
      {
        onProgress: (progress) => setUpload((current) => (current.status === 'uploading' ? { ...current, progress } : current)),
        onUploaded: (uploadId) => void finish(uploadId, name, version),
        onError: (error) => {
          controller.current = null;
          setUpload({ status: 'failed', error });
          // What the server kept can be resumed: offer it.
          void lookForUnfinished(file, selection.reading);
        },
      },
    );
  }

  function pause() {
    controller.current?.pause();
    setUpload((current) => (current.status === 'uploading' ? { ...current, status: 'paused' } : current));
  }

  function resume() {
    controller.current?.resume();
    setUpload((current) => (current.status === 'paused' ? { ...current, status: 'uploading', progress: { ...current.progress, bytesPerSecond: null } } : current));
  }

  async function cancel() {
    const running = controller.current;
    controller.current = null;
    setUpload({ status: 'cancelled' });
    await running?.cancel();
  }

  function reset() {
    controller.current?.pause();
    controller.current = null;
    currentFile.current = null;
    setSelection(null);
    setUpload({ status: 'idle' });
  }

  const reading = selection?.reading;
  const canPublish = reading?.status === 'read' && (upload.status === 'idle' || upload.status === 'failed' || upload.status === 'cancelled');
  const unfinished = selection?.unfinished;
  const resumeLabel = unfinished ? `Resume upload (${Math.floor((unfinished.offset / unfinished.size) * 100)}% done)` : null;

  return (
    <div className="space-y-5">
      <FileDropZone label="Package file" accept=".torshpkg,.zip" disabled={busy} onFile={selectFile}>
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

      {(upload.status === 'uploading' || upload.status === 'paused' || upload.status === 'verifying') && (
        <UploadStatus progress={upload.progress} phase={upload.status} onPause={pause} onResume={resume} onCancel={cancel} />
      )}
      {upload.status === 'cancelled' && (
        <p role="status" className="rounded-md border border-slate-200 bg-white px-4 py-3 text-sm text-slate-700">
          Upload cancelled and removed from the server. Nothing was published.
        </p>
      )}
      {upload.status === 'failed' && <ErrorState title="Publish failed" error={upload.error} />}
      {upload.status === 'published' && <Published result={upload.result} onPublishAnother={reset} />}

      {selection && upload.status !== 'published' && (
        <div className="flex gap-2">
          <Button variant="primary" disabled={!canPublish} onClick={publish}>
            {canPublish && resumeLabel ? resumeLabel : 'Publish'}
          </Button>
          <Button onClick={reset} disabled={busy}>
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
