import { createHash } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import { AppError } from '../errors';
import type { BlobInfo, BlobStore, StagedBlob } from '../storage/blob-store';

const CHUNK = 1 << 20;

/** One store's outcome of the fan-out: its staged copy (not yet committed), or why it dropped out. */
export type FanOutStage = { staged: StagedBlob } | { error: unknown };

type Writer = { pass: PassThrough; result: Promise<StagedBlob>; failed: boolean };

/**
 * Read `source` once, hash it once, and stream the same chunks into every store's stager (each
 * writes its own temp file and, for a local store, starts its fsync). The stagers do not hash
 * (`verifiedBy: 'caller'`): the bytes each wrote are exactly the bytes hashed here, so one hash
 * verifies every copy. A store that fails is detached without failing the others; the slowest
 * live store sets the pace (bounded memory: one chunk per store). When the bytes do not hash to
 * `expected` (or their size differs), every staged copy is discarded and this throws, so nothing
 * is committed anywhere. Otherwise the caller commits each staged copy.
 */
export async function fanOutBlob(source: Readable, stores: readonly BlobStore[], expected: BlobInfo): Promise<FanOutStage[]> {
  const writers: Writer[] = stores.map((store) => {
    const pass = new PassThrough({ highWaterMark: CHUNK });
    // A stager that failed destroys its input; a write racing that must not become an unhandled error.
    pass.on('error', () => {});
    const w: Writer = { pass, failed: false, result: store.stage(pass, { expectedDigest: expected.digest, expectedSize: expected.size, verifiedBy: 'caller' }) };
    w.result.catch(() => {
      w.failed = true;
      pass.destroy();
    });
    return w;
  });
  const hash = createHash('sha256');
  let size = 0;
  let readError: unknown = null;
  let allDetached = false;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
      if (size > expected.size) break;
      const live = writers.filter((w) => !w.failed);
      if (live.length === 0) {
        allDetached = true;
        break;
      }
      const waits: Promise<unknown>[] = [];
      for (const w of live) {
        if (!w.pass.write(chunk)) {
          waits.push(Promise.race([new Promise((resolve) => w.pass.once('drain', resolve)), w.result.then(() => undefined, () => undefined)]));
        }
      }
      if (waits.length > 0) await Promise.all(waits);
    }
  } catch (err) {
    readError = err;
  }
  const digest = hash.digest('hex');
  const verified = readError === null && size === expected.size && digest === expected.digest;
  for (const w of writers) {
    if (verified) w.pass.end();
    else w.pass.destroy(new Error('the source did not match its digest'));
  }
  const settled = await Promise.allSettled(writers.map((w) => w.result));
  if (!verified) {
    await Promise.allSettled(settled.map((s) => (s.status === 'fulfilled' ? s.value.discard() : undefined)));
    if (allDetached) {
      // Every store failed before the end: their own errors say why.
      return settled.map((s) => ({ error: (s as PromiseRejectedResult).reason }));
    }
    if (readError !== null) throw readError;
    if (size !== expected.size) {
      throw new AppError('UPLOAD_ABORTED', `the source held ${size > expected.size ? 'more than' : size} of ${expected.size} expected bytes`, { received: size, expected: expected.size });
    }
    throw new AppError('DIGEST_MISMATCH', `source bytes hash to sha256:${digest}, expected sha256:${expected.digest}`);
  }
  return settled.map((s) => (s.status === 'fulfilled' ? { staged: s.value } : { error: s.reason }));
}
