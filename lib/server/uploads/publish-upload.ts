import { rm, stat } from 'node:fs/promises';
import { actorLabel, type Actor } from '@/lib/engine/actor';
import type { Engine } from '@/lib/engine/engine';
import { AppError, PACKAGE_FORMAT_CODES, type ErrorCode } from '@/lib/engine/errors';
import { publishVersion, type PublishResult } from '@/lib/engine/registry';
import { claimUpload, markUploadPublished, releaseUploadClaim } from '@/lib/engine/registry/upload-claims';
import { ZStoredUploadMetadata, type PublishUploadInput } from './upload-metadata';
import { readUploadInfo, uploadFiles } from './upload-server';

/** Rejections of the bytes themselves: retrying can never succeed, so the upload goes. */
const REJECTS_PACKAGE: ReadonlySet<ErrorCode> = new Set([...PACKAGE_FORMAT_CODES, 'BODY_TOO_LARGE', 'ENCRYPTED_FORMAT_INVALID']);

const rejectsPackage = (err: unknown) => err instanceof AppError && REJECTS_PACKAGE.has(err.code);

/**
 * Publish a finished resumable upload: it must exist, be the actor's, be for this name@version
 * and be complete. Exactly one finalisation gets to publish it (an atomic claim in
 * upload_claims). Published, or rejected for what the package is, the upload is removed; any
 * other failure (a full disk, a missing signature, a server error) keeps it for another try.
 * Only a signed-in user's publish is a browser publish (signed with the registry key when the
 * policy says so); a token's follows the API's rules, as its PUT would.
 */
export async function publishUpload(engine: Engine, actor: Actor, input: PublishUploadInput): Promise<PublishResult> {
  const notFound = () => new AppError('UPLOAD_NOT_FOUND', 'no such upload (it may have expired or been published already)');
  const info = await readUploadInfo(engine, input.uploadId);
  const meta = ZStoredUploadMetadata.safeParse(info?.metadata);
  if (!info || !meta.success || actor.userId === null || meta.data.userId !== String(actor.userId)) throw notFound();
  if (meta.data.name !== input.name || meta.data.version !== input.version) {
    throw new AppError('INVALID_INPUT', `this upload was started for ${meta.data.name}@${meta.data.version}, not ${input.name}@${input.version}`);
  }
  claimUpload(engine, input.uploadId, actorLabel(actor));
  const files = uploadFiles(engine, input.uploadId);
  const removeUpload = async () => {
    await rm(files.data, { force: true });
    await rm(files.info, { force: true });
  };
  let result: PublishResult;
  try {
    const received = (await stat(files.data).catch(() => null))?.size;
    if (received === undefined) throw notFound();
    if (info.size === undefined || received !== info.size) {
      throw new AppError('UPLOAD_INCOMPLETE', `the upload has ${received} of ${info.size ?? 'an unknown number of'} bytes; resume it first`);
    }
    result = await publishVersion(engine, actor, {
      name: input.name,
      version: input.version,
      source: { kind: 'file', path: files.data },
      browser: actor.kind === 'user',
    });
  } catch (err) {
    if (rejectsPackage(err)) await removeUpload();
    releaseUploadClaim(engine, input.uploadId);
    throw err;
  }
  markUploadPublished(engine, input.uploadId, `${result.name}@${result.version}`);
  // The blob store has its own link to the bytes.
  await removeUpload();
  return result;
}
