import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../errors';
import { isOutOfSpace, storageError } from './out-of-space';

export type HashToFileResult = { digest: string; size: number };

/**
 * Copy a stream into a file (its write stream) while computing its sha256 (not yet fsynced:
 * see fsyncFile). Memory stays bounded: the pipeline applies back-pressure, and hashing the
 * next chunk overlaps with the write of the previous one.
 */
export async function hashToFile(
  body: Readable,
  out: Writable,
  opts: { maxBytes?: number; onChunk?: (chunk: Buffer) => void; skipHash?: boolean } = {},
): Promise<HashToFileResult> {
  // skipHash: the caller hashes these bytes itself (a fan-out to several stores); digest is ''.
  const hash = opts.skipHash ? null : createHash('sha256');
  let size = 0;
  const meter = new Transform({
    highWaterMark: 1 << 20,
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (opts.maxBytes !== undefined && size > opts.maxBytes) {
        done(
          new AppError('BODY_TOO_LARGE', `upload exceeds the limit of ${opts.maxBytes} bytes`, {
            limit: opts.maxBytes,
          }),
        );
        return;
      }
      hash?.update(chunk);
      opts.onChunk?.(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(body, meter, out);
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (isOutOfSpace(err)) throw storageError(err);
    throw new AppError('UPLOAD_ABORTED', `upload was interrupted after ${size} bytes`, {
      received: size,
      cause: err instanceof Error ? err.message : String(err),
    });
  }
  return { digest: hash ? hash.digest('hex') : '', size };
}

/** Flush a file's data to stable storage. */
export async function fsyncFile(filePath: string): Promise<void> {
  const fh = await open(filePath, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** sha256 and size of a file on disk, read once (onChunk sees every chunk in order). */
export async function hashFile(
  filePath: string,
  opts: { maxBytes?: number; onChunk?: (chunk: Buffer) => void } = {},
): Promise<HashToFileResult> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(filePath, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (opts.maxBytes !== undefined && size > opts.maxBytes) {
      throw new AppError('BODY_TOO_LARGE', `upload exceeds the limit of ${opts.maxBytes} bytes`, { limit: opts.maxBytes });
    }
    hash.update(chunk);
    opts.onChunk?.(chunk);
  }
  return { digest: hash.digest('hex'), size };
}
