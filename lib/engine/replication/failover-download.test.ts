import { chmod, mkdtemp, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../engine';
import { findDownload, openDownload } from '../registry';
import type { BlobStore, ByteRange } from '../storage/blob-store';
import { createLocalBlobStore } from '../storage/local-blob-store';
import { startS3rver, type S3rverHandle } from '../storage/test-support/s3rver';
import { publishSample } from '../test-support/registry-fixtures';
import { tempEngine } from '../test-support/temp-engine';
import { storeReplicationConfig } from './replication-config';
import { seedNode, seedReplica, versionOf } from './test-support/replica-fixtures';
import { DEFAULT_REPLICATION_CONFIG } from './types';

let s3: S3rverHandle;
let dir: string;
let engine: Engine & { cleanup(): Promise<void> };
let n = 0;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'torsh-failover-'));
  s3 = await startS3rver();
}, 60_000);
afterAll(async () => {
  await s3?.stop();
  await chmod(dir, 0o755).catch(() => {});
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await engine?.cleanup();
});

async function read(name: string, version: string, range?: ByteRange): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of await openDownload(engine, findDownload(engine, name, version), range)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** A primary store whose get() throws for one digest until told otherwise (an unreadable copy). */
function flakyStore(root: string, broken: Set<string>): BlobStore {
  const inner = createLocalBlobStore(root);
  return {
    ...inner,
    async get(digest, range) {
      if (broken.has(digest)) {
        broken.delete(digest);
        throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
      }
      return inner.get(digest, range);
    },
  };
}

describe('download failover', () => {
  it('serves a version whose primary blob is missing from the best healthy replica and repairs the primary (Range too)', async () => {
    engine = await tempEngine();
    await publishSample(engine, 'resnet', '1.0.0');
    const v = versionOf(engine, 'resnet', '1.0.0');
    const original = await read('resnet', '1.0.0');
    // An unhealthy node is never a source; among healthy ones, priority decides.
    seedNode(engine, 'sick', { type: 'local', path: path.join(dir, `sick-${++n}`) }, { priority: 0, state: 'unhealthy' });
    seedNode(engine, 'far', { type: 's3', endpoint: s3.endpoint, bucket: s3.bucket, access_key_id: 'S3RVER', secret_access_key: 'S3RVER', prefix: `f${++n}` }, { priority: 5 });
    seedNode(engine, 'near', { type: 'local', path: path.join(dir, `near-${++n}`) }, { priority: 1 });
    for (const id of ['sick', 'far', 'near']) await seedReplica(engine, id, 'resnet', '1.0.0');

    expect(await engine.blobs.delete(v.digest)).toBe(true);
    const warnings: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      warnings.push(String(chunk));
      return write(chunk, ...rest);
    }) as typeof process.stderr.write;
    let ranged: Buffer;
    try {
      ranged = await read('resnet', '1.0.0', { start: 10, end: 99 });
    } finally {
      process.stderr.write = write;
    }
    expect(ranged.equals(original.subarray(10, 100))).toBe(true);
    expect(await engine.blobs.stat(v.digest)).toEqual({ digest: v.digest, size: v.size });
    expect((await read('resnet', '1.0.0')).equals(original)).toBe(true);
    const line = warnings.find((w) => w.includes('download failover'));
    expect(line).toBeDefined();
    expect(JSON.parse(line!)).toMatchObject({ level: 'warn', version: 'resnet@1.0.0', node: 'near' });
  }, 30_000);

  it('skips a node whose copy is damaged and takes the next one', async () => {
    engine = await tempEngine();
    await publishSample(engine, 'resnet', '1.0.0');
    const v = versionOf(engine, 'resnet', '1.0.0');
    const original = await read('resnet', '1.0.0');
    const badDir = path.join(dir, `bad-${++n}`);
    const bad = seedNode(engine, 'bad', { type: 'local', path: badDir }, { priority: 1 });
    seedNode(engine, 'good', { type: 's3', endpoint: s3.endpoint, bucket: s3.bucket, access_key_id: 'S3RVER', secret_access_key: 'S3RVER', prefix: `g${++n}` }, { priority: 2 });
    await seedReplica(engine, 'bad', 'resnet', '1.0.0');
    await seedReplica(engine, 'good', 'resnet', '1.0.0');
    await bad.blobs.delete(v.digest);
    // Other bytes under the right name: the verified copy refuses them.
    const junk = await bad.blobs.put(Readable.from([Buffer.alloc(v.size, 1)]));
    const root = path.join(badDir, 'blobs');
    await rename(path.join(root, junk.digest.slice(0, 2), junk.digest.slice(2, 4), junk.digest), path.join(root, v.digest.slice(0, 2), v.digest.slice(2, 4), v.digest));
    await engine.blobs.delete(v.digest);
    expect((await read('resnet', '1.0.0')).equals(original)).toBe(true);
  }, 30_000);

  it('serves a version whose primary copy is unreadable (get throws) from a replica', async () => {
    const broken = new Set<string>();
    engine = await tempEngine({}, { blobs: (root) => flakyStore(root, broken) });
    await publishSample(engine, 'resnet', '1.0.0');
    const v = versionOf(engine, 'resnet', '1.0.0');
    const original = await read('resnet', '1.0.0');
    seedNode(engine, 'near', { type: 'local', path: path.join(dir, `near-${++n}`) });
    await seedReplica(engine, 'near', 'resnet', '1.0.0');
    broken.add(v.digest);
    expect((await read('resnet', '1.0.0')).equals(original)).toBe(true);
    expect(broken.size).toBe(0);
  }, 30_000);

  it('with no replica holding it, or with auto_failover off, the primary error stands', async () => {
    engine = await tempEngine();
    await publishSample(engine, 'resnet', '1.0.0');
    const v = versionOf(engine, 'resnet', '1.0.0');
    seedNode(engine, 'near', { type: 'local', path: path.join(dir, `near-${++n}`) });
    await engine.blobs.delete(v.digest);
    await expect(read('resnet', '1.0.0')).rejects.toMatchObject({ code: 'BLOB_NOT_FOUND' });

    await publishSample(engine, 'bert', '1.0.0');
    await seedReplica(engine, 'near', 'bert', '1.0.0');
    const b = versionOf(engine, 'bert', '1.0.0');
    await engine.blobs.delete(b.digest);
    storeReplicationConfig(engine, { ...DEFAULT_REPLICATION_CONFIG, auto_failover: false });
    await expect(read('bert', '1.0.0')).rejects.toMatchObject({ code: 'BLOB_NOT_FOUND' });
    expect(await engine.blobs.stat(b.digest)).toBeNull();
  }, 30_000);
});
