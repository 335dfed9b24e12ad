import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** Feeds a file (or its first `end` bytes) into `hash`, streaming. Resolves with the bytes read. */
export async function hashInto(hash: Hash, file: string, onProgress?: (bytes: number) => void, end?: number): Promise<number> {
  if (end === 0) return 0;
  let size = 0;
  const stream = createReadStream(file, { highWaterMark: 1 << 20, ...(end === undefined ? {} : { end: end - 1 }) });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
    onProgress?.(size);
  }
  return size;
}

/** sha256 of a file as lowercase hex, streaming (bounded memory whatever the size). */
export async function sha256File(file: string, onProgress?: (bytes: number) => void): Promise<{ hex: string; size: number }> {
  const hash = createHash('sha256');
  const size = await hashInto(hash, file, onProgress);
  return { hex: hash.digest('hex'), size };
}

/** "sha256:<hex>" or "<hex>" → "<hex>"; null if it is not a sha256 digest. */
export function bareDigest(digest: string | null | undefined): string | null {
  if (!digest) return null;
  const hex = digest.trim().replace(/^sha256:/, '').toLowerCase();
  return /^[0-9a-f]{64}$/.test(hex) ? hex : null;
}
