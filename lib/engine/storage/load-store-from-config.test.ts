import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBlobStoreFromEnv } from './load-store-from-config';

describe('loadBlobStoreFromEnv', () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('gives the local store under <data>/blobs by default and for file:', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'torsh-load-store-'));
    dirs.push(dataDir);
    for (const env of [{}, { TORSH_STORAGE: 'file:' }]) {
      const store = await loadBlobStoreFromEnv(env, dataDir);
      const info = await store.put(Readable.from([Buffer.from('hello')]));
      expect(await store.stat(info.digest)).toMatchObject({ size: 5 });
      expect(store.localPath?.(info.digest)).toMatch(new RegExp(`^${dataDir}/blobs/`));
    }
  });

  it('refuses a bad TORSH_STORAGE with the same error as blobStoreFromEnv', async () => {
    await expect(loadBlobStoreFromEnv({ TORSH_STORAGE: 'ftp://x' }, '/tmp')).rejects.toThrow(/TORSH_STORAGE must be file: or s3:/);
  });
});
