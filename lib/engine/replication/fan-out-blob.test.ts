import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BlobStore } from '../storage/blob-store';
import { createLocalBlobStore } from '../storage/local-blob-store';
import { startAzurite, type Azurite } from '../storage/test-support/azurite';
import { startS3rver, type S3rverHandle } from '../storage/test-support/s3rver';
import { tempEngine } from '../test-support/temp-engine';
import { fanOutBlob, stageOnStores } from './fan-out-blob';
import { openNodeStorage, splitBackend } from './node-storage';
import { replicateOnPublish } from './replicate-on-publish';
import { configure, insertNode, nodeRefs } from './test-support/replication-fixtures';
import type { NodeBackendInput, NodeStorage } from './types';

let s3: S3rverHandle;
let az: Azurite;
let dir: string;
let n = 0;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'torsh-fan-out-'));
  [s3, az] = await Promise.all([startS3rver(), startAzurite()]);
}, 60_000);
afterAll(async () => {
  await Promise.all([s3?.stop(), az?.stop()]);
  await rm(dir, { recursive: true, force: true });
});

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** Several 1 MiB chunks and a ragged end: the fan-out's backpressure and the stores' chunking both matter. */
const payload = () => randomBytes((3 << 20) + 12_345);
const chunked = (b: Buffer) => Readable.from(Array.from({ length: Math.ceil(b.length / 65_536) }, (_, i) => b.subarray(i * 65_536, (i + 1) * 65_536)));

function backends(): NodeBackendInput[] {
  n += 1;
  return [
    { type: 'local', path: path.join(dir, `local-${n}`) },
    { type: 's3', endpoint: s3.endpoint, bucket: s3.bucket, access_key_id: 'S3RVER', secret_access_key: 'S3RVER', prefix: `f${n}` },
    { type: 'azure', connection_string: az.connectionString, container: az.container, prefix: `f${n}` },
  ];
}

function open(inputs: NodeBackendInput[]): NodeStorage[] {
  return inputs.map((input, i) => {
    const { backend, secret } = splitBackend(input);
    return openNodeStorage({ id: `n${i}`, backend, secret }, dir);
  });
}

async function commitAll(stages: Awaited<ReturnType<typeof fanOutBlob>>): Promise<void> {
  for (const s of stages) {
    if ('error' in s) throw s.error;
    await s.staged.commit();
  }
}

describe('fanOutBlob', () => {
  it('writes byte-identical copies to a folder, an s3rver bucket and an Azurite container', async () => {
    const nodes = open(backends());
    const bytes = payload();
    const stages = await fanOutBlob(chunked(bytes), nodes.map((x) => x.blobs), { digest: sha256(bytes), size: bytes.length });
    await commitAll(stages);
    for (const node of nodes) {
      expect(await node.blobs.stat(sha256(bytes))).toEqual({ digest: sha256(bytes), size: bytes.length });
      expect((await buffer(await node.blobs.get(sha256(bytes)))).equals(bytes)).toBe(true);
    }
    expect(await readdir(path.join(dir, `local-${n}`, 'blobs', '.tmp'))).toEqual([]);
  }, 60_000);

  it('commits nothing on any node when the source bytes do not hash to the digest', async () => {
    const nodes = open(backends());
    const bytes = payload();
    const corrupted = Buffer.from(bytes);
    corrupted[corrupted.length >> 1] ^= 0xff;
    const p = fanOutBlob(chunked(corrupted), nodes.map((x) => x.blobs), { digest: sha256(bytes), size: bytes.length });
    await expect(p).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
    for (const node of nodes) {
      expect(await node.blobs.stat(sha256(bytes))).toBeNull();
      expect(await node.blobs.stat(sha256(corrupted))).toBeNull();
    }
    expect(await readdir(path.join(dir, `local-${n}`, 'blobs', '.tmp'))).toEqual([]);
  }, 60_000);

  it('commits nothing when the source ends short', async () => {
    const nodes = open(backends()).slice(0, 1);
    const bytes = payload();
    const p = fanOutBlob(chunked(bytes.subarray(0, bytes.length - 1)), nodes.map((x) => x.blobs), { digest: sha256(bytes), size: bytes.length });
    await expect(p).rejects.toMatchObject({ code: 'UPLOAD_ABORTED' });
    expect(await nodes[0].blobs.stat(sha256(bytes))).toBeNull();
  });

  it('detaches a store that fails mid-stream; the others still get complete copies', async () => {
    const root = path.join(dir, `failing-${++n}`);
    let written = 0;
    // A disk that fills up after the first MiB.
    const failing = createLocalBlobStore(root, {
      writeStream: () =>
        new Writable({
          write(chunk: Buffer, _enc, done) {
            written += chunk.length;
            done(written > 1 << 20 ? Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }) : null);
          },
        }),
    });
    const healthy = [createLocalBlobStore(path.join(dir, `ok-a-${n}`)), createLocalBlobStore(path.join(dir, `ok-b-${n}`))];
    const bytes = payload();
    const stages = await fanOutBlob(chunked(bytes), [healthy[0], failing, healthy[1]] as BlobStore[], { digest: sha256(bytes), size: bytes.length });
    expect('error' in stages[1]).toBe(true);
    await commitAll([stages[0], stages[2]]);
    for (const s of healthy) expect((await buffer(await s.get(sha256(bytes)))).equals(bytes)).toBe(true);
    expect(await failing.stat(sha256(bytes))).toBeNull();
    expect(await readdir(path.join(root, '.tmp'))).toEqual([]);
  });

  it('refuses to stage unhashed bytes without the digest and size to check them against', async () => {
    const store = createLocalBlobStore(path.join(dir, `plain-${++n}`));
    await expect(store.stage(Readable.from([Buffer.from('x')]), { verifiedBy: 'caller' })).rejects.toThrow(/expectedDigest/);
  });
});

describe('stageOnStores', () => {
  /** A local primary holding `bytes` (committed), as the publish path finds it. */
  async function localPrimary(bytes: Buffer): Promise<BlobStore> {
    const primary = createLocalBlobStore(path.join(dir, `primary-${++n}`));
    await primary.put(Readable.from([bytes]));
    return primary;
  }

  it('copies into local stores in the kernel and streams to the others: every copy byte-identical', async () => {
    const bytes = payload();
    const primary = await localPrimary(bytes);
    const nodes = open(backends());
    const stages = await stageOnStores(primary, nodes.map((x) => x.blobs), { digest: sha256(bytes), size: bytes.length });
    await commitAll(stages);
    for (const node of nodes) expect((await buffer(await node.blobs.get(sha256(bytes)))).equals(bytes)).toBe(true);
    expect(await readdir(path.join(dir, `local-${n}`, 'blobs', '.tmp'))).toEqual([]);
  }, 60_000);

  it('commits nothing on any store, local or remote, when the primary file does not hash to its digest', async () => {
    const bytes = payload();
    const primary = await localPrimary(bytes);
    const file = primary.localPath!(sha256(bytes));
    const damaged = Buffer.from(bytes);
    damaged[12_345] ^= 0x01;
    await writeFile(file, damaged);
    const nodes = open(backends());
    const second = createLocalBlobStore(path.join(dir, `local-b-${n}`));
    const stores = [...nodes.map((x) => x.blobs), second];
    await expect(stageOnStores(primary, stores, { digest: sha256(bytes), size: bytes.length })).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
    for (const store of stores) {
      expect(await store.stat(sha256(bytes))).toBeNull();
      expect(await store.stat(sha256(damaged))).toBeNull();
    }
    expect(await readdir(path.join(dir, `local-${n}`, 'blobs', '.tmp'))).toEqual([]);
    expect(await readdir(path.join(dir, `local-b-${n}`, '.tmp'))).toEqual([]);
  }, 60_000);

  it('drops a local store whose copy fails; the other local store still gets its copy', async () => {
    const bytes = payload();
    const primary = await localPrimary(bytes);
    const good = createLocalBlobStore(path.join(dir, `good-${++n}`));
    // A store whose folder is a regular file: its temp folder cannot be made.
    const brokenRoot = path.join(dir, `broken-${n}`);
    await writeFile(brokenRoot, 'not a folder');
    const broken = createLocalBlobStore(brokenRoot);
    const stages = await stageOnStores(primary, [broken, good], { digest: sha256(bytes), size: bytes.length });
    expect('error' in stages[0]).toBe(true);
    expect('staged' in stages[1]).toBe(true);
    await commitAll([stages[1]]);
    expect((await buffer(await good.get(sha256(bytes)))).equals(bytes)).toBe(true);
  });
});

describe('replicateOnPublish with the fan-out', () => {
  let engine: Awaited<ReturnType<typeof tempEngine>>;
  let inputs: NodeBackendInput[];
  beforeEach(async () => {
    engine = await tempEngine();
    inputs = backends();
    inputs.forEach((backend, i) => insertNode(engine, { id: ['local', 's3', 'azure'][i], region: `r${i}`, priority: i + 1, backend }));
    configure(engine, { consistency: 'quorum', replication_factor: 3 });
  });
  afterEach(async () => {
    await engine.cleanup();
  });

  it('acknowledges a quorum when one node fails, the others holding the version', async () => {
    const local = inputs[0] as { path: string };
    await writeFile(local.path, 'not a folder');
    const bytes = payload();
    const blob = await engine.blobs.put(Readable.from([bytes]));
    const r = { name: 'resnet', version: '1.0.0', digest: blob.digest, size: blob.size, yanked: false };
    const result = await replicateOnPublish(engine, r);
    const ok = result.writes.filter((w) => w.ok).map((w) => w.node);
    expect(ok.length).toBeGreaterThanOrEqual(2);
    expect(ok).not.toContain('local');
    for (const id of ok) expect((await nodeRefs(engine, id)).map((x) => x.version)).toEqual(['1.0.0']);
  }, 60_000);

  it('fails the publish and exposes nothing anywhere when the primary copy is corrupted', async () => {
    const bytes = payload();
    const blob = await engine.blobs.put(Readable.from([bytes]));
    const file = path.join(engine.dataDir, 'blobs', blob.digest.slice(0, 2), blob.digest.slice(2, 4), blob.digest);
    const corrupted = Buffer.from(bytes);
    corrupted[7] ^= 0x01;
    await writeFile(file, corrupted);
    const r = { name: 'resnet', version: '1.0.0', digest: blob.digest, size: blob.size, yanked: false };
    await expect(replicateOnPublish(engine, r)).rejects.toMatchObject({ code: 'REPLICATION_FAILED', message: expect.stringContaining('sha256') });
    for (const node of open(inputs)) {
      expect(await node.blobs.stat(blob.digest)).toBeNull();
      expect(await node.refs.get('resnet', '1.0.0')).toBeNull();
    }
  }, 60_000);
});
