import { createCipheriv, createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3BlobStore, s3BlobKey } from './s3-blob-store';
import { describeBlobStoreContract } from './test-support/blob-store-contract';
import { startS3rver, type S3rverHandle } from './test-support/s3rver';

let s3: S3rverHandle;
let n = 0;

beforeAll(async () => {
  s3 = await startS3rver();
});
afterAll(async () => {
  await s3?.stop();
});

async function tempDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'torsh-s3-stage-'));
}

// Each test gets its own key prefix in the one bucket: a fresh, empty store.
describeBlobStoreContract('s3 (s3rver)', async () => {
  const dir = await tempDir();
  const store = createS3BlobStore({ ...s3.storeOptions(), prefix: `t${++n}`, tempDir: path.join(dir, 'tmp') });
  return { store, tempDir: path.join(dir, 'tmp'), cleanup: () => rm(dir, { recursive: true, force: true }) };
});

describe('s3 blob store', () => {
  it('keys blobs as <prefix>blobs/aa/bb/<sha256>', () => {
    const d = 'ab'.repeat(32);
    expect(s3BlobKey('reg/', d)).toBe(`reg/blobs/ab/ab/${d}`);
  });

  it('a missing bucket is a clear STORAGE_UNAVAILABLE naming bucket and endpoint, not the secret', async () => {
    const dir = await tempDir();
    try {
      const store = createS3BlobStore({ ...s3.storeOptions({ bucket: 'no-such-bucket' }), tempDir: dir });
      const err = await store.put(Readable.from([Buffer.from('x')])).catch((e) => e);
      expect(err).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
      expect(err.message).toContain('no-such-bucket');
      expect(err.message).toContain(s3.endpoint);
      expect(err.message).toContain('does not exist');
      // (HEAD answers a bare 404 for a missing bucket as for a missing key: stat cannot tell them apart.)
      await expect(store.get('ab'.repeat(32))).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('wrong credentials are refused with a clear error that does not leak the secret', async () => {
    const dir = await tempDir();
    try {
      const store = createS3BlobStore({
        ...s3.storeOptions({ credentials: { accessKeyId: 'WRONGKEY', secretAccessKey: 'very-secret-value' } }),
        tempDir: dir,
      });
      const err = await store.put(Readable.from([Buffer.from('x')])).catch((e) => e);
      expect(err).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
      expect(err.message).toContain('refused the credentials');
      expect(JSON.stringify({ m: err.message, d: err.details })).not.toContain('very-secret-value');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('an unreachable endpoint is STORAGE_UNAVAILABLE naming it', async () => {
    const dir = await tempDir();
    try {
      const store = createS3BlobStore({ ...s3.storeOptions({ endpoint: 'http://127.0.0.1:9', maxAttempts: 1 }), tempDir: dir });
      const err = await store.stat('ab'.repeat(32)).catch((e) => e);
      expect(err).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
      expect(err.message).toContain('http://127.0.0.1:9');
      expect(err.message).toContain('unreachable');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('round-trips a 64 MiB blob (multipart) byte for byte with bounded memory', async () => {
    const dir = await tempDir();
    try {
      const store = createS3BlobStore({ ...s3.storeOptions(), prefix: 'big', tempDir: dir, partSize: 5 << 20, queueSize: 2 });
      const chunk = 1 << 20;
      const total = 64;
      // Deterministic, non-repeating content generated on the fly: never the whole blob in memory.
      const key = Buffer.alloc(32, 7);
      const zeros = Buffer.alloc(chunk);
      const make = (i: number) => {
        const iv = Buffer.alloc(16);
        iv.writeUInt32BE(i, 0);
        return createCipheriv('aes-256-ctr', key, iv).update(zeros);
      };
      const expected = createHash('sha256');
      for (let i = 0; i < total; i++) expected.update(make(i));
      const digest = expected.digest('hex');
      const rssBefore = process.memoryUsage().rss;
      let peak = rssBefore;
      const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
      const info = await store.put(
        Readable.from(
          (function* () {
            for (let i = 0; i < total; i++) {
              sample();
              yield make(i);
            }
          })(),
        ),
      );
      expect(info).toEqual({ digest, size: total * chunk });
      expect(await readdir(dir)).toEqual([]);
      const got = createHash('sha256');
      let size = 0;
      for await (const c of await store.get(digest)) {
        got.update(c as Buffer);
        size += (c as Buffer).length;
        sample();
      }
      expect(size).toBe(total * chunk);
      expect(got.digest('hex')).toBe(digest);
      const mid = 40 * chunk + 17;
      const part = Buffer.concat(await (await store.get(digest, { start: mid, end: mid + 63 })).toArray());
      expect(part.equals(make(40).subarray(17, 17 + 64))).toBe(true);
      // Loose bound: the 64 MiB blob must never be held whole (parts of 5 MiB, 2 in flight).
      expect(peak - rssBefore).toBeLessThan(60 << 20);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
