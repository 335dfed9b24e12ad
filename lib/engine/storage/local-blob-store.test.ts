import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalBlobStore } from './local-blob-store';
import { diskFullAfter } from '../test-support/disk-full';
import type { BlobStore } from './blob-store';
import { describeBlobStoreContract } from './test-support/blob-store-contract';

describeBlobStoreContract('local', async () => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'torsh-blobs-'));
  return { store: createLocalBlobStore(root), tempDir: path.join(root, '.tmp'), cleanup: () => rm(root, { recursive: true, force: true }) };
});

const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

describe('local blob store (local-only behaviour)', () => {
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

  it('puts blobs sharded as <aa>/<bb>/<sha256>', async () => {
    const info = await store.put(Readable.from([Buffer.from('hello '), Buffer.from('world')]));
    const d = info.digest;
    expect(info.digest).toBe(sha('hello world'));
    expect(await readdir(path.join(root, d.slice(0, 2), d.slice(2, 4)))).toEqual([d]);
    expect(await tmpFiles()).toEqual([]);
  });

  it('stages a file by hard-linking it when on the same disk', async () => {
    const source = path.join(root, 'upload.bin');
    await writeFile(source, 'linked bytes');
    const staged = await store.stageFile(source);
    expect((await stat(staged.path)).ino).toBe((await stat(source)).ino);
    await staged.discard();
    expect(await text(createReadStream(source))).toBe('linked bytes');
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
