import { Readable } from 'node:stream';
import { AppError } from '../errors';
import type { BlobStore, ByteRange } from './blob-store';

const MiB = 1024 * 1024;

/** TORSH_BLOB_CACHE_BYTES (default 32 MiB; 0 turns it off); blobs up to an eighth of it are cached. */
export function blobCacheFromEnv(env: Record<string, string | undefined> = process.env): BlobCacheOptions {
  const raw = env.TORSH_BLOB_CACHE_BYTES;
  const maxBytes = raw === undefined || raw === '' ? 32 * MiB : Number(raw);
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) throw new Error('TORSH_BLOB_CACHE_BYTES must be a number of bytes (0 turns the cache off)');
  return { maxBytes, maxItemBytes: Math.floor(maxBytes / 8) };
}

export type BlobCacheOptions = {
  /** Most bytes held in memory (0 turns the cache off). */
  maxBytes: number;
  /** Blobs larger than this are always streamed from the store. */
  maxItemBytes: number;
};

/** One buffer as a stream: the same bytes go to every client without a copy of ours. */
function bufferStream(buf: Buffer): Readable {
  return new Readable({
    read() {
      this.push(buf);
      this.push(null);
    },
  });
}

/**
 * Small blobs served from memory (LRU by bytes). A registry serves the same small packages
 * over and over; reading each from disk allocates a fresh buffer per response (GC and RSS grow
 * with the connections) while here one immutable buffer — blobs are content-addressed — is
 * written to every socket. Large blobs stream from the store as before.
 */
export function withMemoryCache(store: BlobStore, opts: BlobCacheOptions): BlobStore & { cachedBytes(): number } {
  const cache = new Map<string, Buffer>(); // insertion order = recency
  let bytes = 0;
  /** Loads in progress, so parallel first requests for one blob read it once. */
  const loading = new Map<string, Promise<Buffer | null>>();
  /** Blobs already seen to be too large, so each of their downloads costs no extra stat. */
  const tooLarge = new Set<string>();
  const TOO_LARGE_REMEMBERED = 10_000;

  const remember = (digest: string, buf: Buffer) => {
    cache.set(digest, buf);
    bytes += buf.length;
    for (const [d, b] of cache) {
      if (bytes <= opts.maxBytes) break;
      cache.delete(d);
      bytes -= b.length;
    }
  };
  const forget = (digest: string) => {
    const buf = cache.get(digest);
    if (!buf) return;
    cache.delete(digest);
    bytes -= buf.length;
  };
  const slice = (buf: Buffer, range?: ByteRange) => {
    if (!range) return buf;
    if (range.start < 0 || range.end < range.start || range.end >= buf.length) {
      throw new AppError('RANGE_NOT_SATISFIABLE', `range ${range.start}-${range.end} is outside 0-${buf.length - 1}`);
    }
    return buf.subarray(range.start, range.end + 1);
  };

  async function read(digest: string): Promise<Buffer | null> {
    const info = await store.stat(digest);
    if (!info) return null;
    if (info.size > opts.maxItemBytes || info.size > opts.maxBytes) {
      if (tooLarge.size >= TOO_LARGE_REMEMBERED) tooLarge.clear();
      tooLarge.add(digest);
      return null;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of await store.get(digest)) chunks.push(chunk as Buffer);
    const buf = Buffer.concat(chunks);
    if (buf.length !== info.size) return null; // changed under us: let the store answer
    remember(digest, buf);
    return buf;
  }

  function load(digest: string): Promise<Buffer | null> {
    let pending = loading.get(digest);
    if (!pending) {
      pending = read(digest).finally(() => loading.delete(digest));
      loading.set(digest, pending);
    }
    return pending;
  }

  return {
    ...store,
    async get(digest, range) {
      if (opts.maxBytes <= 0 || tooLarge.has(digest)) return store.get(digest, range);
      let buf = cache.get(digest);
      if (buf) {
        cache.delete(digest);
        cache.set(digest, buf); // most recently used
      } else {
        buf = (await load(digest)) ?? undefined;
      }
      return buf ? bufferStream(slice(buf, range)) : store.get(digest, range);
    },
    async delete(digest, keep) {
      const deleted = await store.delete(digest, keep);
      if (deleted) forget(digest);
      return deleted;
    },
    cachedBytes: () => bytes,
  };
}
