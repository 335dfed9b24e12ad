import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type Azurite } from '../storage/test-support/azurite';
import { startS3rver, type S3rverHandle } from '../storage/test-support/s3rver';
import { openNodeStorage, splitBackend } from './node-storage';
import type { NodeBackendInput, NodeRef } from './types';

let s3: S3rverHandle;
let az: Azurite;
let dir: string;
let n = 0;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'torsh-node-storage-'));
  [s3, az] = await Promise.all([startS3rver(), startAzurite()]);
}, 60_000);
afterAll(async () => {
  await Promise.all([s3?.stop(), az?.stop()]);
  await rm(dir, { recursive: true, force: true });
});

const backends: Record<string, () => NodeBackendInput> = {
  local: () => ({ type: 'local', path: path.join(dir, `node-${++n}`) }),
  s3: () => ({ type: 's3', endpoint: s3.endpoint, bucket: s3.bucket, access_key_id: 'S3RVER', secret_access_key: 'S3RVER', prefix: `n${++n}` }),
  azure: () => ({ type: 'azure', connection_string: az.connectionString, container: az.container, prefix: `n${++n}` }),
};

const ref = (version: string, digest: string): NodeRef => ({ name: 'resnet', version, digest, size: 5, yanked: false, written_at: 1_000 });

describe.each(Object.keys(backends))('node storage on %s', (kind) => {
  it('stores blobs and refs, lists and deletes them', async () => {
    const { backend, secret } = splitBackend(backends[kind]());
    const node = openNodeStorage({ id: 'n1', backend, secret }, dir);
    expect(node.kind).toBe(kind);
    const blob = await node.blobs.put(Readable.from([Buffer.from('hello')]));
    expect(await text(await node.blobs.get(blob.digest))).toBe('hello');
    expect(await node.refs.get('resnet', '1.0.0')).toBeNull();
    await node.refs.put(ref('1.0.0', blob.digest));
    await node.refs.put(ref('1.1.0+build.1', blob.digest));
    await node.refs.put({ ...ref('1.0.0', blob.digest), yanked: true, written_at: 2_000 });
    expect(await node.refs.get('resnet', '1.0.0')).toEqual({ ...ref('1.0.0', blob.digest), yanked: true, written_at: 2_000 });
    const listed: NodeRef[] = [];
    for await (const r of node.refs.list()) listed.push(r);
    expect(listed.map((r) => r.version).sort()).toEqual(['1.0.0', '1.1.0+build.1']);
    expect(await node.refs.delete('resnet', '1.0.0')).toBe(true);
    expect(await node.refs.delete('resnet', '1.0.0')).toBe(false);
    expect(await node.refs.get('resnet', '1.0.0')).toBeNull();
  });
});

describe('splitBackend', () => {
  it('keeps secrets out of the public part', () => {
    const s3b = splitBackend({ type: 's3', endpoint: 'http://x:9000', bucket: 'b', access_key_id: 'AK', secret_access_key: 'SECRET', prefix: 'p' });
    expect(JSON.stringify(s3b.backend)).not.toContain('SECRET');
    expect(s3b.backend).toMatchObject({ force_path_style: true, prefix: 'p/', access_key_id: 'AK' });
    expect(s3b.secret).toEqual({ secret_access_key: 'SECRET' });
    const azb = splitBackend({ type: 'azure', connection_string: 'AccountName=acct;AccountKey=KEYKEY;BlobEndpoint=http://127.0.0.1:1/acct', container: 'c' });
    expect(JSON.stringify(azb.backend)).not.toContain('KEYKEY');
    expect(azb.backend).toMatchObject({ account: 'acct', blob_endpoint: 'http://127.0.0.1:1/acct' });
  });
});
