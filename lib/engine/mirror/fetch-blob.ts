import type { Engine } from '../engine';
import { AppError } from '../errors';
import { holdBlob, type BlobHold } from '../registry/blob-holds';
import { versionPath, type UpstreamClient } from './upstream-client';

/**
 * Download name@version's bytes into the blob store, checking them against the digest and size
 * the upstream published before anything can serve them (a mismatch throws DIGEST_MISMATCH and
 * leaves nothing). The returned hold keeps the blob from garbage collection until the caller's
 * version row references it; release it after that commit. A blob already in the store (another
 * version with the same bytes, or a download before a restart) is not fetched again.
 */
export async function fetchBlob(
  engine: Engine,
  upstream: UpstreamClient,
  ref: { name: string; version: string; digest: string; size: number },
  signal?: AbortSignal,
): Promise<BlobHold> {
  const hold = holdBlob(engine);
  try {
    hold.digest(ref.digest);
    const have = await engine.blobs.stat(ref.digest);
    if (have && have.size === ref.size) return hold;
    const { body } = await upstream.stream(`${versionPath(ref.name, ref.version)}/download`, signal);
    const staged = await engine.blobs.stage(body, { expectedDigest: ref.digest, expectedSize: ref.size, onTempPath: hold.tempFile });
    try {
      if (staged.digest !== ref.digest) throw new AppError('DIGEST_MISMATCH', `${ref.name}@${ref.version}: upstream bytes hash to ${staged.digest}, not ${ref.digest}`);
      await staged.commit();
    } finally {
      await staged.discard();
    }
    return hold;
  } catch (err) {
    hold.release();
    throw err;
  }
}
