import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalBlobStore } from './local-blob-store';
import { blobCacheFromEnv, withMemoryCache } from './memory-cached-blob-store';

let dir: string;
let local: ReturnType<typeof createLocalBlobStore>;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'torsh-cache-'));
  local = createLocalBlobStore(dir);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const put = async (bytes: Buffer) => (await local.put(Readable.from([bytes]))).digest;
async function read(stream: Promise<Readable>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of await stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
/** The blob's file on disk (to show where a read came from). */
const fileOf = (digest: string) => path.join(dir, digest.slice(0, 2), digest.slice(2, 4), digest);

describe('small blobs served from memory', () => {
  it('serves a small blob from memory after the first read: whole and in ranges', async () => {
    const bytes = Buffer.from('0123456789abcdef');
    const digest = await put(bytes);
    const cached = withMemoryCache(local, { maxBytes: 1024, maxItemBytes: 128 });
    expect(await read(cached.get(digest))).toEqual(bytes);
    expect(cached.cachedBytes()).toBe(16);
    await writeFile(fileOf(digest), Buffer.alloc(16, 0)); // the disk changes: memory still answers
    expect(await read(cached.get(digest))).toEqual(bytes);
    expect(await read(cached.get(digest, { start: 2, end: 5 }))).toEqual(Buffer.from('2345'));
    await expect(cached.get(digest, { start: 10, end: 16 })).rejects.toMatchObject({ code: 'RANGE_NOT_SATISFIABLE' });
  });

  it('streams blobs larger than an item may be, without keeping them', async () => {
    const big = Buffer.alloc(200, 7);
    const digest = await put(big);
    const cached = withMemoryCache(local, { maxBytes: 1024, maxItemBytes: 128 });
    expect(await read(cached.get(digest))).toEqual(big);
    expect(cached.cachedBytes()).toBe(0);
  });

  it('reads a blob once for parallel first requests, and stats a too-large blob only once', async () => {
    const small = await put(Buffer.from('popular'));
    const big = await put(Buffer.alloc(200, 1));
    const calls = { get: 0, stat: 0 };
    const counting = {
      ...local,
      get: (d: string, r?: { start: number; end: number }) => (calls.get++, local.get(d, r)),
      stat: (d: string) => (calls.stat++, local.stat(d)),
    };
    const cached = withMemoryCache(counting, { maxBytes: 1024, maxItemBytes: 128 });
    const bodies = await Promise.all(Array.from({ length: 8 }, () => read(cached.get(small))));
    expect(bodies.every((b) => b.toString() === 'popular')).toBe(true);
    expect(calls).toEqual({ get: 1, stat: 1 });
    await read(cached.get(big));
    await read(cached.get(big));
    expect(calls).toEqual({ get: 3, stat: 2 }); // each big download streams; only the first asks its size
  });

  it('evicts the least recently used blobs to stay within its bytes', async () => {
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((ch) => put(Buffer.alloc(100, ch))));
    const cached = withMemoryCache(local, { maxBytes: 250, maxItemBytes: 128 });
    await read(cached.get(a));
    await read(cached.get(b));
    await read(cached.get(a)); // a is now the most recent
    await read(cached.get(c)); // b goes
    expect(cached.cachedBytes()).toBe(200);
    await writeFile(fileOf(b), Buffer.alloc(100, 'x'));
    await writeFile(fileOf(a), Buffer.alloc(100, 'x'));
    expect((await read(cached.get(b)))[0]).toBe('x'.charCodeAt(0)); // read from disk again
    expect((await read(cached.get(c)))[0]).toBe('c'.charCodeAt(0)); // still in memory
  });

  it('forgets a deleted blob', async () => {
    const digest = await put(Buffer.from('gone soon'));
    const cached = withMemoryCache(local, { maxBytes: 1024, maxItemBytes: 128 });
    await read(cached.get(digest));
    expect(await cached.delete(digest)).toBe(true);
    expect(cached.cachedBytes()).toBe(0);
    await expect(cached.get(digest)).rejects.toMatchObject({ code: 'BLOB_NOT_FOUND' });
  });

  it('reads its size from TORSH_BLOB_CACHE_BYTES, refusing nonsense', () => {
    expect(blobCacheFromEnv({})).toEqual({ maxBytes: 32 * 1024 * 1024, maxItemBytes: 4 * 1024 * 1024 });
    expect(blobCacheFromEnv({ TORSH_BLOB_CACHE_BYTES: '0' }).maxBytes).toBe(0);
    expect(() => blobCacheFromEnv({ TORSH_BLOB_CACHE_BYTES: '-1' })).toThrow(/TORSH_BLOB_CACHE_BYTES/);
  });
});
