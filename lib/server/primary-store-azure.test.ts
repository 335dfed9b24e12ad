/**
 * An origin whose primary blob store is an Azure Blob container (Azurite on loopback): the
 * primary-store suite, and a storage service that went away is a clear 503.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import { expect, it } from 'vitest';
import { writeSamplePackage } from '@/lib/engine/format/test-support/sample-package';
import { createAzureBlobStore } from '@/lib/engine/storage/azure-blob-store';
import { AZURITE_KEY, startAzurite, type Azurite } from '@/lib/engine/storage/test-support/azurite';
import { describePrimaryStore } from './test-support/primary-store-suite';

let azurite: Azurite;

describePrimaryStore('Azure Blob', {
  kind: 'azure',
  prefix: 'origin',
  async start() {
    azurite = await startAzurite();
    const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(azurite.container);
    return {
      blobs: (root) =>
        createAzureBlobStore({
          connectionString: azurite.connectionString,
          container: azurite.container,
          prefix: 'origin',
          tempDir: path.join(path.dirname(root), 'tmp', 'blob-staging'),
          retryOptions: { maxTries: 1 },
        }),
      async keys() {
        const names: string[] = [];
        for await (const b of container.listBlobsFlat({ prefix: 'origin/' })) names.push(b.name);
        return names;
      },
      stop: () => azurite.stop(),
    };
  },
  more: ({ api, dataDirFiles }) => {
    it('with the storage service gone, a publish and a download are a clear 503 naming the container, never the key', async () => {
      const file = await writeSamplePackage({ name: 'az-down', version: '1.0.0', files: [{ path: 'a.txt', source: Buffer.from('a') }] });
      const first = await api('/packages/az-down/1.0.0', { method: 'PUT', body: await readFile(file) });
      expect(first.status).toBe(201);
      const next = await writeSamplePackage({ name: 'az-down', version: '1.0.1', files: [{ path: 'a.txt', source: Buffer.from('b') }] });
      await azurite.stop();
      const put = await api('/packages/az-down/1.0.1', { method: 'PUT', body: await readFile(next) });
      const get = await api('/packages/az-down/1.0.0/download');
      for (const res of [put, get]) {
        expect(res.status).toBe(503);
        const body = await res.text();
        expect(body).toContain('STORAGE_UNAVAILABLE');
        expect(body).toContain(`container ${azurite.container}`);
        expect(body).not.toContain(AZURITE_KEY);
      }
      expect((await api('/packages/az-down/1.0.1')).status).toBe(404);
      expect(await dataDirFiles()).toEqual([]);
    });
  },
});
