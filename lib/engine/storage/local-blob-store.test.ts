import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalBlobStore } from './local-blob-store';
import { diskFullAfter } from '../test-support/disk-full';
import type { BlobStore } from './blob-store';

const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

describe('local blob store', () => {
  let root: string;
  let store: BlobStore;

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'torsh-blobs-'));
    store = createLocalBlobStore(root);
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const tmpFiles = () => readdir(path.join(root, '.tmp'));

  it('puts a stream under its sha256, sharded, and reads it back', async () => {
    const info = await store.put(Readable.from([Buffer.from('hello '), Buffer.from('world')]));
    expect(info).toEqual({ digest: sha('hello world'), size: 11 });
    expect(await text(await store.get(info.digest))).toBe('hello world');
    const d = info.digest;
    expect((await readdir(path.join(root, d.slice(0, 2), d.slice(2, 4))))).toEqual([d]);
    expect(await tmpFiles()).toEqual([]);
  });

  it('serves inclusive byte ranges', async () => {
    const { digest } = await store.put(Readable.from([Buffer.from('0123456789')]));
    expect(await text(await store.get(digest, { start: 2, end: 5 }))).toBe('2345');
    expect(await text(await store.get(digest, { start: 9, end: 9 }))).toBe('9');
    await expect(store.get(digest, { start: 5, end: 10 })).rejects.toMatchObject({ code: 'RANGE_NOT_SATISFIABLE' });
  });

  it('stats, lists and deletes', async () => {
    const a = await store.put(Readable.from([Buffer.from('a')]));
    const b = await store.put(Readable.from([Buffer.from('bb')]));
    expect(await store.stat(a.digest)).toEqual(a);
    const listed = [];
    for await (const { digest, size } of store.list()) listed.push({ digest, size });
    expect(listed.sort((x, y) => x.size - y.size)).toEqual([a, b]);
    expect(await store.delete(a.digest)).toBe(true);
    expect(await store.delete(a.digest)).toBe(false);
    expect(await store.stat(a.digest)).toBeNull();
    await expect(store.get(a.digest)).rejects.toMatchObject({ code: 'BLOB_NOT_FOUND' });
  });

  it('keeps staged bytes invisible until commit, and discard leaves nothing', async () => {
    const staged = await store.stage(Readable.from([Buffer.from('staged')]));
    expect(await store.stat(staged.digest)).toBeNull();
    expect(await tmpFiles()).toHaveLength(1);
    await staged.discard();
    expect(await tmpFiles()).toEqual([]);
    expect(await store.stat(staged.digest)).toBeNull();
  });

  it('deduplicates identical content', async () => {
    const a = await store.put(Readable.from([Buffer.from('same')]));
    const b = await store.put(Readable.from([Buffer.from('same')]));
    expect(a).toEqual(b);
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
  ])('rejects $name and leaves no file behind', async ({ body, opts, code }) => {
    await expect(store.stage(body(), opts)).rejects.toMatchObject({ code });
    expect(await tmpFiles()).toEqual([]);
    const listed = [];
    for await (const x of store.list()) listed.push(x);
    expect(listed).toEqual([]);
  });

  it('rejects digests that are not sha256 hex (no path traversal through the key)', async () => {
    await expect(store.get('../../etc/passwd')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('sweeps old temp files only, and never one that keep() claims', async () => {
    await store.sweepTemp({ olderThan: 0 });
    const old = path.join(root, '.tmp', 'old.part');
    const held = path.join(root, '.tmp', 'held.part');
    const fresh = path.join(root, '.tmp', 'fresh.part');
    for (const f of [old, held, fresh]) await writeFile(f, 'x');
    const past = new Date(Date.now() - 3_600_000);
    await utimes(old, past, past);
    await utimes(held, past, past);
    expect(await store.sweepTemp({ olderThan: Date.now() - 60_000, keep: (p) => p === held })).toBe(1);
    expect((await tmpFiles()).sort()).toEqual(['fresh.part', 'held.part']);
  });

  it('deletes a blob unless keep() says otherwise', async () => {
    const { digest } = await store.put(Readable.from([Buffer.from('kept')]));
    expect(await store.delete(digest, () => true)).toBe(false);
    expect(await store.stat(digest)).not.toBeNull();
    expect(await store.delete(digest, () => false)).toBe(true);
    expect(await store.stat(digest)).toBeNull();
  });

  it('stages a file by linking it: the source stays, and the staged copy survives its removal', async () => {
    const source = path.join(root, 'upload.bin');
    await writeFile(source, 'linked bytes');
    const staged = await store.stageFile(source);
    expect(staged).toMatchObject({ digest: sha('linked bytes'), size: 12 });
    expect(await text(createReadStream(source))).toBe('linked bytes');
    await rm(source);
    await staged.commit();
    expect(await text(await store.get(staged.digest))).toBe('linked bytes');
    expect(await tmpFiles()).toEqual([]);
  });

  it('commit replaces a blob of the same digest: the blob exists afterwards whatever happened to the old file', async () => {
    const first = await store.put(Readable.from([Buffer.from('same bytes')]));
    const staged = await store.stage(Readable.from([Buffer.from('same bytes')]));
    await store.delete(first.digest);
    await staged.commit();
    expect(await text(await store.get(first.digest))).toBe('same bytes');
  });

  it('a full disk while storing is INSUFFICIENT_STORAGE, and the temp file is removed', async () => {
    const full = createLocalBlobStore(root, { writeStream: diskFullAfter(4) });
    await expect(full.stage(Readable.from([Buffer.from('ab'), Buffer.from('cdef'), Buffer.from('gh')]))).rejects.toMatchObject({
      code: 'INSUFFICIENT_STORAGE',
      message: expect.stringContaining('out of storage space'),
    });
    expect(await tmpFiles()).toEqual([]);
  });
});
