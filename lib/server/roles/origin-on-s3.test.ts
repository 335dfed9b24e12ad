/**
 * `torsh serve --role origin` with TORSH_STORAGE=s3://… as a real process: package bytes go to
 * the bucket (s3rver on loopback), none to the data dir; a wrong TORSH_STORAGE stops it at start.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeSamplePackage } from '@/lib/engine/format/test-support/sample-package';
import { startS3rver, type S3rverHandle } from '@/lib/engine/storage/test-support/s3rver';
import { adminToken, startRole } from '@/lib/server/test-support/role-process';

let s3: S3rverHandle;
let dir: string;

beforeAll(async () => {
  s3 = await startS3rver({ bucket: 'hub-blobs' });
  dir = await mkdtemp(path.join(os.tmpdir(), 'o-s3-'));
});
afterAll(async () => {
  await s3?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('an origin process configured with TORSH_STORAGE=s3://bucket/prefix stores and serves from the bucket', async () => {
  const o = await startRole(['--role', 'origin', '--data', dir], {
    TORSH_ADMIN_PASSWORD: 'pass-word-123',
    TORSH_STORAGE: 's3://hub-blobs/prod',
    TORSH_S3_ENDPOINT: s3.endpoint,
    TORSH_S3_ACCESS_KEY_ID: s3.credentials.accessKeyId,
    TORSH_S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
  });
  try {
    const token = await adminToken(o.url, 'pass-word-123');
    const bytes = await readFile(await writeSamplePackage({ name: 'env-s3', version: '1.0.0' }));
    const put = await fetch(`${o.url}/api/v1/packages/env-s3/1.0.0`, { method: 'PUT', headers: { authorization: `Bearer ${token}` }, body: bytes });
    expect(put.status, await put.clone().text()).toBe(201);
    const dl = await fetch(`${o.url}/api/v1/packages/env-s3/1.0.0/download`, { headers: { range: 'bytes=0-3' } });
    expect(dl.status).toBe(206);
    expect(Buffer.from(await dl.arrayBuffer()).equals(bytes.subarray(0, 4))).toBe(true);

    const client = new S3Client({ ...s3.storeOptions(), requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
    const listed = await client.send(new ListObjectsV2Command({ Bucket: 'hub-blobs' }));
    client.destroy();
    expect((listed.Contents ?? []).map((c) => c.Key)).toEqual([expect.stringMatching(/^prod\/blobs\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}$/)]);
    const blobsDir = await readdir(path.join(dir, 'blobs')).catch(() => []);
    expect(blobsDir).toEqual([]);
  } finally {
    await o.stop();
  }
}, 90_000);

it('a malformed TORSH_STORAGE stops the origin at start with a message naming the variable', async () => {
  const err = await startRole(['--role', 'origin', '--data', dir], { TORSH_STORAGE: 's3://Not_A_Bucket' }).catch((e: Error) => e);
  expect(err).toBeInstanceOf(Error);
  expect((err as Error).message).toContain('TORSH_STORAGE must look like s3://<bucket>[/<prefix>]');
}, 60_000);
