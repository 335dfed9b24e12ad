import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BlobInfo, BlobStore } from '../blob-store';

export type BlobStoreHarness = {
  store: BlobStore;
  /** The local directory the store stages into (temp files); the temp-file checks use it. */
  tempDir?: string;
  cleanup(): Promise<void>;
};

const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');
const body = (...parts: string[]) => Readable.from(parts.map((p) => Buffer.from(p)));

async function listAll(store: BlobStore): Promise<BlobInfo[]> {
  const out: BlobInfo[] = [];
  for await (const { digest, size } of store.list()) out.push({ digest, size });
  return out.sort((x, y) => x.size - y.size || x.digest.localeCompare(y.digest));
}

/**
 * Behaviour every BlobStore must have, whatever keeps the bytes (local disk, S3, Azure Blob).
 * `make` builds a fresh, empty store for each test.
 */
export function describeBlobStoreContract(name: string, make: () => Promise<BlobStoreHarness>): void {
  describe(`BlobStore contract: ${name}`, () => {
    let h: BlobStoreHarness;
    let store: BlobStore;

    beforeEach(async () => {
      h = await make();
      store = h.store;
    });
    afterEach(async () => {
      await h.cleanup();
    });

    const tmpFiles = async () => (h.tempDir ? await readdir(h.tempDir).catch(() => [] as string[]) : []);

    it('puts a stream under its sha256 and reads it back', async () => {
      const info = await store.put(body('hello ', 'world'));
      expect(info).toEqual({ digest: sha('hello world'), size: 11 });
      expect(await text(await store.get(info.digest))).toBe('hello world');
      expect(await tmpFiles()).toEqual([]);
    });

    it('stores an empty blob', async () => {
      const info = await store.put(Readable.from([]));
      expect(info).toEqual({ digest: sha(''), size: 0 });
      expect(await store.stat(info.digest)).toEqual(info);
      expect(await text(await store.get(info.digest))).toBe('');
    });

    it('serves inclusive byte ranges', async () => {
      const { digest } = await store.put(body('0123456789'));
      expect(await text(await store.get(digest, { start: 2, end: 5 }))).toBe('2345');
      expect(await text(await store.get(digest, { start: 0, end: 0 }))).toBe('0');
      expect(await text(await store.get(digest, { start: 9, end: 9 }))).toBe('9');
      await expect(store.get(digest, { start: 5, end: 10 })).rejects.toMatchObject({ code: 'RANGE_NOT_SATISFIABLE' });
    });

    it('stats, lists and deletes', async () => {
      const a = await store.put(body('a'));
      const b = await store.put(body('bb'));
      expect(await store.stat(a.digest)).toEqual(a);
      expect(await listAll(store)).toEqual([a, b]);
      expect(await store.delete(a.digest)).toBe(true);
      expect(await store.delete(a.digest)).toBe(false);
      expect(await store.stat(a.digest)).toBeNull();
      expect(await listAll(store)).toEqual([b]);
      await expect(store.get(a.digest)).rejects.toMatchObject({ code: 'BLOB_NOT_FOUND' });
    });

    it('keeps staged bytes invisible until commit, and discard leaves nothing', async () => {
      const staged = await store.stage(body('staged'));
      expect(staged).toMatchObject({ digest: sha('staged'), size: 6 });
      expect(await text(createReadStream(staged.path))).toBe('staged');
      expect(await store.stat(staged.digest)).toBeNull();
      if (h.tempDir) expect(await tmpFiles()).toHaveLength(1);
      await staged.discard();
      expect(await tmpFiles()).toEqual([]);
      expect(await store.stat(staged.digest)).toBeNull();
      expect(await listAll(store)).toEqual([]);
    });

    it('commit makes the blob visible and removes the temp file; discard afterwards is a no-op', async () => {
      const staged = await store.stage(body('committed'));
      await staged.commit();
      await staged.discard();
      expect(await store.stat(staged.digest)).toEqual({ digest: sha('committed'), size: 9 });
      expect(await text(await store.get(staged.digest))).toBe('committed');
      expect(await tmpFiles()).toEqual([]);
    });

    it('deduplicates identical content', async () => {
      const a = await store.put(body('same'));
      const b = await store.put(body('same'));
      expect(a).toEqual(b);
      expect(await listAll(store)).toEqual([a]);
      expect(await tmpFiles()).toEqual([]);
    });

    it.each([
      {
        name: 'too many bytes',
        body: () => Readable.from([Buffer.alloc(600), Buffer.alloc(600)]),
        opts: { maxBytes: 1000 },
        code: 'BODY_TOO_LARGE',
      },
      {
        name: 'a stream that fails midway',
        body: () =>
          new Readable({
            read() {
              this.push(Buffer.alloc(100));
              this.destroy(new Error('socket hang up'));
            },
          }),
        opts: {},
        code: 'UPLOAD_ABORTED',
      },
      { name: 'fewer bytes than announced', body: () => Readable.from([Buffer.alloc(10)]), opts: { expectedSize: 20 }, code: 'UPLOAD_ABORTED' },
      {
        name: 'another digest than expected',
        body: () => Readable.from([Buffer.from('x')]),
        opts: { expectedDigest: sha('y') },
        code: 'DIGEST_MISMATCH',
      },
    ])('rejects $name and leaves nothing behind', async ({ body: b, opts, code }) => {
      await expect(store.stage(b(), opts)).rejects.toMatchObject({ code });
      expect(await tmpFiles()).toEqual([]);
      expect(await listAll(store)).toEqual([]);
    });

    it('rejects digests that are not sha256 hex (no path traversal through the key)', async () => {
      await expect(store.get('../../etc/passwd')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await expect(store.stat('../x')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await expect(store.delete('ABC')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    });

    it('answers a missing blob: stat null, get BLOB_NOT_FOUND, delete false', async () => {
      const missing = sha('never stored');
      expect(await store.stat(missing)).toBeNull();
      await expect(store.get(missing)).rejects.toMatchObject({ code: 'BLOB_NOT_FOUND' });
      await expect(store.get(missing, { start: 0, end: 0 })).rejects.toMatchObject({ code: 'BLOB_NOT_FOUND' });
      expect(await store.delete(missing)).toBe(false);
    });

    it('deletes a blob unless keep() says otherwise', async () => {
      const { digest } = await store.put(body('kept'));
      expect(await store.delete(digest, () => true)).toBe(false);
      expect(await store.stat(digest)).not.toBeNull();
      expect(await store.delete(digest, () => false)).toBe(true);
      expect(await store.stat(digest)).toBeNull();
    });

    it('stages a file: the source stays, and the staged blob survives its removal', async () => {
      const srcDir = path.join(h.tempDir ? path.dirname(h.tempDir) : os.tmpdir(), `src-${process.pid}-${Date.now()}`);
      await mkdir(srcDir, { recursive: true });
      try {
        const source = path.join(srcDir, 'upload.bin');
        await writeFile(source, 'linked bytes');
        const staged = await store.stageFile(source);
        expect(staged).toMatchObject({ digest: sha('linked bytes'), size: 12 });
        expect(await text(createReadStream(source))).toBe('linked bytes');
        await rm(source);
        await staged.commit();
        expect(await text(await store.get(staged.digest))).toBe('linked bytes');
        expect(await tmpFiles()).toEqual([]);
      } finally {
        await rm(srcDir, { recursive: true, force: true });
      }
    });

    it('commit replaces a blob of the same digest: the blob exists afterwards', async () => {
      const first = await store.put(body('same bytes'));
      const staged = await store.stage(body('same bytes'));
      await store.delete(first.digest);
      await staged.commit();
      expect(await text(await store.get(first.digest))).toBe('same bytes');
    });

    it('sweeps old temp files only, and never one that keep() claims', async () => {
      expect(await store.sweepTemp({ olderThan: 0 })).toBe(0);
      if (!h.tempDir) return;
      await mkdir(h.tempDir, { recursive: true });
      const old = path.join(h.tempDir, 'old.part');
      const held = path.join(h.tempDir, 'held.part');
      const fresh = path.join(h.tempDir, 'fresh.part');
      for (const f of [old, held, fresh]) await writeFile(f, 'x');
      const past = new Date(Date.now() - 3_600_000);
      await utimes(old, past, past);
      await utimes(held, past, past);
      expect(await store.sweepTemp({ olderThan: Date.now() - 60_000, keep: (p) => p === held })).toBe(1);
      expect((await tmpFiles()).sort()).toEqual(['fresh.part', 'held.part']);
    });

    it('streams a blob of several MiB intact, whole and ranged', async () => {
      const chunk = Buffer.alloc(1 << 20);
      const chunks = Array.from({ length: 6 }, (_, i) => Buffer.from(chunk.fill(i + 1)));
      const all = Buffer.concat(chunks);
      const info = await store.put(Readable.from(chunks));
      expect(info).toEqual({ digest: sha(all), size: all.length });
      const got = Buffer.concat(await (await store.get(info.digest)).toArray());
      expect(sha(got)).toBe(info.digest);
      const start = (1 << 20) - 3;
      const end = 3 * (1 << 20) + 5;
      const part = Buffer.concat(await (await store.get(info.digest, { start, end })).toArray());
      expect(part.equals(all.subarray(start, end + 1))).toBe(true);
    });
  });
}
