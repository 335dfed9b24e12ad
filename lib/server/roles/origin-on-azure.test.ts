/**
 * `torsh serve --role origin` with TORSH_STORAGE=azure://… as a real process: package bytes go to
 * the container (Azurite on loopback), none to the data dir; a missing connection string stops it
 * at start.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeSamplePackage } from '@/lib/engine/format/test-support/sample-package';
import { startAzurite, type Azurite } from '@/lib/engine/storage/test-support/azurite';
import { adminToken, startRole } from '@/lib/server/test-support/role-process';

let azurite: Azurite;
let dir: string;

beforeAll(async () => {
  azurite = await startAzurite({ container: 'hub-blobs' });
  dir = await mkdtemp(path.join(os.tmpdir(), 'o-az-'));
});
afterAll(async () => {
  await azurite?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('an origin process configured with TORSH_STORAGE=azure://container/prefix stores and serves from the container', async () => {
  const o = await startRole(['--role', 'origin', '--data', dir], {
    TORSH_ADMIN_PASSWORD: 'pass-word-123',
    TORSH_STORAGE: 'azure://hub-blobs/prod',
    TORSH_AZURE_CONNECTION_STRING: azurite.connectionString,
  });
  try {
    const token = await adminToken(o.url, 'pass-word-123');
    const bytes = await readFile(await writeSamplePackage({ name: 'env-az', version: '1.0.0' }));
    const put = await fetch(`${o.url}/api/v1/packages/env-az/1.0.0`, { method: 'PUT', headers: { authorization: `Bearer ${token}` }, body: bytes });
    expect(put.status, await put.clone().text()).toBe(201);
    const dl = await fetch(`${o.url}/api/v1/packages/env-az/1.0.0/download`, { headers: { range: 'bytes=0-3' } });
    expect(dl.status).toBe(206);
    expect(Buffer.from(await dl.arrayBuffer()).equals(bytes.subarray(0, 4))).toBe(true);

    const names: string[] = [];
    const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('hub-blobs');
    for await (const b of container.listBlobsFlat()) names.push(b.name);
    expect(names).toEqual([expect.stringMatching(/^prod\/blobs\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}$/)]);
    expect(await readdir(path.join(dir, 'blobs')).catch(() => [])).toEqual([]);
  } finally {
    await o.stop();
  }
}, 90_000);

it('TORSH_STORAGE=azure://… without TORSH_AZURE_CONNECTION_STRING stops the origin at start, naming the variable', async () => {
  const err = await startRole(['--role', 'origin', '--data', dir], { TORSH_STORAGE: 'azure://hub-blobs' }).catch((e: Error) => e);
  expect(err).toBeInstanceOf(Error);
  expect((err as Error).message).toContain('needs TORSH_AZURE_CONNECTION_STRING');
}, 60_000);
