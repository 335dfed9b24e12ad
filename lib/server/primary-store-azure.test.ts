/**
 * An origin whose primary blob store is an Azure Blob container (Azurite on loopback): publish
 * over HTTP, download whole and with Range, delete and garbage-collect — and no package bytes
 * ever stay in the data directory; a storage service that went away is a clear 503.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSamplePackage } from '@/lib/engine/format/test-support/sample-package';
import { collectGarbage } from '@/lib/engine/registry/collect-garbage';
import { createAzureBlobStore } from '@/lib/engine/storage/azure-blob-store';
import { AZURITE_KEY, startAzurite, type Azurite } from '@/lib/engine/storage/test-support/azurite';
import { manualClock } from '@/lib/engine/test-support/temp-engine';
import { startApiTestServer, type ApiTestServer } from './test-support/api-test-server';

const DAY_MS = 24 * 60 * 60 * 1000;

let azurite: Azurite;
let t: ApiTestServer;
let admin: { token: string };
const clock = manualClock(Date.now());

beforeAll(async () => {
  azurite = await startAzurite();
  t = await startApiTestServer(undefined, {
    clock: clock.now,
    blobs: (root) =>
      createAzureBlobStore({
        connectionString: azurite.connectionString,
        container: azurite.container,
        prefix: 'origin',
        tempDir: path.join(path.dirname(root), 'tmp', 'blob-staging'),
        retryOptions: { maxTries: 1 },
      }),
  });
  admin = await t.user('root', ['admin']);
});
afterAll(async () => {
  await t?.close();
  await azurite?.stop();
});

const api = (p: string, init: RequestInit = {}) => {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${admin.token}`);
  return fetch(`${t.url}/api/v1${p}`, { ...init, headers });
};

async function bucketKeys(): Promise<string[]> {
  const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(azurite.container);
  const names: string[] = [];
  for await (const b of container.listBlobsFlat({ prefix: 'origin/' })) names.push(b.name);
  return names;
}

/** Files in the data dir other than the SQLite database, with sizes. */
async function dataDirFiles(): Promise<{ file: string; size: number }[]> {
  const entries = await readdir(t.engine.dataDir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile() && !/^torsh\.db(-wal|-shm|-journal)?$/.test(e.name));
  return Promise.all(files.map(async (e) => ({ file: path.relative(t.engine.dataDir, path.join(e.parentPath, e.name)), size: (await stat(path.join(e.parentPath, e.name))).size })));
}

describe('the primary store on Azure Blob', () => {
  it('publishes, downloads (whole and Range) and garbage-collects, keeping no package bytes on local disk', async () => {
    expect(t.engine.blobs.kind).toBe('azure');
    // 12 MiB of incompressible weights: the upload is staged in several blocks.
    const weights = randomBytes(12 << 20);
    const file = await writeSamplePackage({ name: 'az-model', version: '1.0.0', files: [{ path: 'models/model.bin', source: weights }] });
    const bytes = await readFile(file);

    const put = await api('/packages/az-model/1.0.0', { method: 'PUT', body: bytes });
    expect(put.status).toBe(201);
    const { digest } = (await put.json()) as { digest: string };
    expect(digest).toMatch(/^(sha256:)?[0-9a-f]{64}$/);
    const hex = digest.replace(/^sha256:/, '');

    const keys = await bucketKeys();
    expect(keys).toEqual([`origin/blobs/${hex.slice(0, 2)}/${hex.slice(2, 4)}/${hex}`]);
    expect(await dataDirFiles()).toEqual([]);

    const whole = await api('/packages/az-model/1.0.0/download');
    expect(whole.status).toBe(200);
    expect(Buffer.from(await whole.arrayBuffer()).equals(bytes)).toBe(true);

    const start = 5 << 20;
    const end = start + 999_999;
    const ranged = await api('/packages/az-model/1.0.0/download', { headers: { range: `bytes=${start}-${end}` } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe(`bytes ${start}-${end}/${bytes.length}`);
    expect(Buffer.from(await ranged.arrayBuffer()).equals(bytes.subarray(start, end + 1))).toBe(true);

    const tail = await api('/packages/az-model/1.0.0/download', { headers: { range: `bytes=${bytes.length - 10}-` } });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer()).equals(bytes.subarray(bytes.length - 10))).toBe(true);

    const outside = await api('/packages/az-model/1.0.0/download', { headers: { range: `bytes=${bytes.length}-${bytes.length + 5}` } });
    expect(outside.status).toBe(416);

    // Referenced: GC keeps it.
    clock.advance(2 * DAY_MS);
    expect(await collectGarbage(t.engine)).toMatchObject({ blobsRemoved: 0 });
    expect(await bucketKeys()).toHaveLength(1);

    expect((await api('/packages/az-model/1.0.0', { method: 'DELETE' })).status).toBe(200);
    clock.advance(2 * DAY_MS);
    expect(await collectGarbage(t.engine)).toEqual({ tempFilesRemoved: 0, blobsRemoved: 1, bytesFreed: bytes.length });
    expect(await bucketKeys()).toEqual([]);
    expect(await t.engine.blobs.stat(hex)).toBeNull();
    expect(await dataDirFiles()).toEqual([]);
  });

  it('a publish refused by validation leaves nothing in the container or the data dir', async () => {
    const res = await api('/packages/az-bad/1.0.0', { method: 'PUT', body: Buffer.from('not a zip at all') });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(await bucketKeys()).toEqual([]);
    expect(await dataDirFiles()).toEqual([]);
  });

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
});
