import { rm, stat } from 'node:fs/promises';
import type { Actor } from '@/lib/engine/actor';
import type { Engine } from '@/lib/engine/engine';
import { AppError } from '@/lib/engine/errors';
import { publishVersion, type PublishResult } from '@/lib/engine/registry';
import { ZStoredUploadMetadata } from './upload-metadata';
import { readUploadInfo, uploadFiles } from './upload-server';

export type PublishUploadInput = { uploadId: string; name: string; version: string };

// Two finalisations of one upload must not race for its file.
const inFlight = new Set<string>();

/**
 * Publish a finished resumable upload: it must exist, be the actor's, be for this name@version
 * and be complete. The engine validates the package and moves the file into the blob store;
 * whatever happens, the upload is gone afterwards (bytes and tus's info file), so a rejected
 * package leaves nothing behind.
 */
export async function publishUpload(engine: Engine, actor: Actor, input: PublishUploadInput): Promise<PublishResult> {
  const notFound = () => new AppError('UPLOAD_NOT_FOUND', 'no such upload (it may have expired or been published already)');
  if (inFlight.has(input.uploadId)) throw notFound();
  const info = await readUploadInfo(engine, input.uploadId);
  const meta = ZStoredUploadMetadata.safeParse(info?.metadata);
  if (!info || !meta.success || actor.userId === null || meta.data.userId !== String(actor.userId)) throw notFound();
  if (meta.data.name !== input.name || meta.data.version !== input.version) {
    throw new AppError('INVALID_INPUT', `this upload was started for ${meta.data.name}@${meta.data.version}, not ${input.name}@${input.version}`);
  }
  const files = uploadFiles(engine, input.uploadId);
  const received = (await stat(files.data).catch(() => null))?.size;
  if (received === undefined) throw notFound();
  if (info.size === undefined || received !== info.size) {
    throw new AppError('UPLOAD_INCOMPLETE', `the upload has ${received} of ${info.size ?? 'an unknown number of'} bytes; resume it first`);
  }

  inFlight.add(input.uploadId);
  try {
    return await publishVersion(engine, actor, {
      name: input.name,
      version: input.version,
      source: { kind: 'file', path: files.data },
      browser: true,
    });
  } finally {
    // Published: the bytes were moved into the blob store. Rejected: they are of no further use.
    await rm(files.data, { force: true });
    await rm(files.info, { force: true });
    inFlight.delete(input.uploadId);
  }
}
