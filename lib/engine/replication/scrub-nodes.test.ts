import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { edges } from '@/db/schema';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAccounts } from '../access/bootstrap';
import { SYSTEM } from '../actor';
import type { Engine } from '../engine';
import { writeSamplePackage } from '../format/test-support/sample-package';
import { listJobs, startWorker } from '../jobs';
import { createSqliteQueue } from '../jobs/sqlite-queue';
import { findDownload, openDownload } from '../registry';
import { createS3Client, s3BlobKey } from '../storage/s3-blob-store';
import { startAzurite, type Azurite } from '../storage/test-support/azurite';
import { startS3rver, type S3rverHandle } from '../storage/test-support/s3rver';
import { publishSample, userActor } from '../test-support/registry-fixtures';
import { manualClock, tempEngine } from '../test-support/temp-engine';
import { listConflicts } from './conflicts';
import { blobIsIntact, hashStream } from './node-inventory';
import { storeReplicationConfig } from './replication-config';
import { resolveConflict } from './resolve-conflict';
import { SCRUB_JOB_HANDLER, scrubNodes, scrubSchedules, startScrub } from './scrub-nodes';
import { seedNode, seedReplica, versionOf } from './test-support/replica-fixtures';
import { DEFAULT_REPLICATION_CONFIG, REPLICATION_JOBS, type ConflictStrategy, type NodeStorage } from './types';

let s3: S3rverHandle;
let az: Azurite;
let dir: string;
let n = 0;
let engine: Engine & { cleanup(): Promise<void> };
const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);
const clock = manualClock(T0);

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'torsh-scrub-'));
  [s3, az] = await Promise.all([startS3rver(), startAzurite()]);
}, 60_000);
afterAll(async () => {
  await Promise.all([s3?.stop(), az?.stop()]);
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await engine?.cleanup();
});

/** A fresh engine with three nodes: a folder, an S3 bucket prefix, an Azure container prefix. */
async function threeNodes() {
  clock.set(T0);
  engine = await tempEngine({}, { clock: clock.now });
  const folder = path.join(dir, `folder-${++n}`);
  const s3Prefix = `s${++n}`;
  const nodes = {
    folder,
    s3Prefix,
    local: seedNode(engine, 'local', { type: 'local', path: folder }, { priority: 1 }),
    s3: seedNode(engine, 's3', { type: 's3', endpoint: s3.endpoint, bucket: s3.bucket, access_key_id: 'S3RVER', secret_access_key: 'S3RVER', prefix: s3Prefix }, { priority: 2 }),
    azure: seedNode(engine, 'azure', { type: 'azure', connection_string: az.connectionString, container: az.container, prefix: `a${++n}` }, { priority: 3 }),
  };
  return nodes;
}

async function bytesOf(store: NodeStorage['blobs'], digest: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of await store.get(digest)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function downloadBytes(name: string, version: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of await openDownload(engine, findDownload(engine, name, version))) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const primaryBytes = (digest: string) => bytesOf(engine.blobs, digest);

describe('scrub', () => {
  it('detects and repairs a corrupted folder copy, a corrupted S3 copy and a deleted Azure copy; removes an extra ref', async () => {
    const nodes = await threeNodes();
    await publishSample(engine, 'resnet', '1.0.0');
    await publishSample(engine, 'bert', '2.0.0');
    for (const id of ['local', 's3', 'azure']) {
      await seedReplica(engine, id, 'resnet', '1.0.0');
      await seedReplica(engine, id, 'bert', '2.0.0');
    }
    const resnet = versionOf(engine, 'resnet', '1.0.0');
    const bert = versionOf(engine, 'bert', '2.0.0');
    const original = await primaryBytes(resnet.digest);

    // Folder: flip bytes in place (same size: a size check alone cannot see it).
    const file = path.join(nodes.folder, 'blobs', resnet.digest.slice(0, 2), resnet.digest.slice(2, 4), resnet.digest);
    const damaged = Buffer.from(await readFile(file));
    damaged[10] ^= 0xff;
    damaged[damaged.length - 5] ^= 0x0f;
    await writeFile(file, damaged);
    // S3: other bytes under the blob's key.
    await createS3Client(s3.storeOptions()).send(
      new PutObjectCommand({ Bucket: s3.bucket, Key: s3BlobKey(`${nodes.s3Prefix}/`, bert.digest), Body: Buffer.alloc(bert.size, 7) }),
    );
    // Azure: the blob is gone (the ref stays).
    expect(await nodes.azure.blobs.delete(resnet.digest)).toBe(true);
    // An extra ref (no row, no version) on the folder node, with its blob.
    const ghost = await nodes.local.blobs.put(Readable.from([Buffer.from('not a package anyone published')]));
    await nodes.local.refs.put({ name: 'ghost', version: '9.9.9', digest: ghost.digest, size: ghost.size, yanked: false, written_at: T0 });

    const report = await scrubNodes(engine);
    const byId = Object.fromEntries(report.nodes.map((r) => [r.id, r]));
    expect(report.primary).toMatchObject({ checked: 2, missing: 0, errors: [] });
    expect(byId.local).toMatchObject({ checked: 3, missing: 0, mismatched: 1, extra: 2, conflicts: 0, repaired: 1, errors: [] });
    expect(byId.s3).toMatchObject({ checked: 2, missing: 0, mismatched: 1, extra: 0, conflicts: 0, repaired: 1, errors: [] });
    expect(byId.azure).toMatchObject({ checked: 2, missing: 1, mismatched: 0, extra: 0, conflicts: 0, repaired: 1, errors: [] });

    // Every copy is byte-identical to the primary again.
    expect((await bytesOf(nodes.local.blobs, resnet.digest)).equals(original)).toBe(true);
    expect((await bytesOf(nodes.azure.blobs, resnet.digest)).equals(original)).toBe(true);
    expect((await bytesOf(nodes.s3.blobs, bert.digest)).equals(await primaryBytes(bert.digest))).toBe(true);
    expect(await nodes.local.refs.get('ghost', '9.9.9')).toBeNull();
    expect(await nodes.local.blobs.stat(ghost.digest)).toBeNull();

    // A second scrub finds nothing left to do.
    const again = await scrubNodes(engine);
    for (const r of again.nodes) expect(r).toMatchObject({ missing: 0, mismatched: 0, extra: 0, conflicts: 0, repaired: 0, errors: [] });
  }, 60_000);

  it('repairs the primary store from a node, then a node that lost its ref and blob', async () => {
    const nodes = await threeNodes();
    await publishSample(engine, 'resnet', '1.0.0');
    await seedReplica(engine, 's3', 'resnet', '1.0.0');
    await seedReplica(engine, 'azure', 'resnet', '1.0.0');
    const v = versionOf(engine, 'resnet', '1.0.0');
    const original = await primaryBytes(v.digest);
    expect(await engine.blobs.delete(v.digest)).toBe(true);
    expect(await nodes.azure.refs.delete('resnet', '1.0.0')).toBe(true);
    expect(await nodes.azure.blobs.delete(v.digest)).toBe(true);

    const report = await scrubNodes(engine);
    expect(report.primary).toMatchObject({ checked: 1, missing: 1, repaired: 1, errors: [] });
    expect(report.nodes.find((r) => r.id === 'azure')).toMatchObject({ missing: 1, repaired: 1, errors: [] });
    expect((await primaryBytes(v.digest)).equals(original)).toBe(true);
    expect((await bytesOf(nodes.azure.blobs, v.digest)).equals(original)).toBe(true);
    expect(await nodes.azure.refs.get('resnet', '1.0.0')).toMatchObject({ digest: v.digest, size: v.size });
  }, 60_000);

  it('reports an unreachable node and scrubs the others', async () => {
    await threeNodes();
    await publishSample(engine, 'resnet', '1.0.0');
    await seedReplica(engine, 'local', 'resnet', '1.0.0');
    seedNode(engine, 'gone', { type: 's3', endpoint: 'http://127.0.0.1:9', bucket: 'nope', access_key_id: 'x', secret_access_key: 'y' });
    const progress: string[] = [];
    const report = await scrubNodes(engine, { onProgress: (p) => progress.push(`${p.done}/${p.total} ${p.message}`) });
    const gone = report.nodes.find((r) => r.id === 'gone')!;
    expect(gone.errors).toHaveLength(1);
    expect(gone.errors[0]).toMatch(/^node gone unreachable: /);
    expect(report.nodes.find((r) => r.id === 'local')).toMatchObject({ checked: 1, errors: [] });
    expect(progress).toContain('0/5 primary store');
    expect(progress.at(-1)).toBe('5/5 done');
  }, 60_000);

  it('startScrub returns the queued scrub instead of adding another', async () => {
    await threeNodes();
    const first = startScrub(engine);
    expect(startScrub(engine)).toEqual(first);
    const queue = createSqliteQueue(engine);
    const job = queue.claim('w', [REPLICATION_JOBS.scrub], 60_000)!;
    expect(job.id).toBe(first.job_id);
    expect(startScrub(engine)).toEqual(first);
    queue.complete(job.id, 'w', {});
    expect(startScrub(engine).job_id).not.toBe(first.job_id);
  });
});

describe('scrub job', () => {
  it('runs as the replication.scrub job on its daily schedule (03:00 UTC by default) with the report as result', async () => {
    expect(scrubSchedules({})).toEqual([{ name: 'replication.scrub', cron: '0 3 * * *', kind: 'replication.scrub' }]);
    expect(scrubSchedules({ TORSH_REPLICATION_SCRUB_CRON: '*/5 * * * *' })[0].cron).toBe('*/5 * * * *');
    const nodes = await threeNodes();
    await publishSample(engine, 'resnet', '1.0.0');
    await seedReplica(engine, 'local', 'resnet', '1.0.0');
    await nodes.local.refs.delete('resnet', '1.0.0');
    clock.set(Date.UTC(2026, 11, 1, 2, 59));
    const worker = startWorker(engine, [SCRUB_JOB_HANDLER], { manual: true, schedules: scrubSchedules({}) });
    await worker.tick();
    expect(listJobs(engine, { kind: REPLICATION_JOBS.scrub }).total).toBe(0);
    clock.set(Date.UTC(2026, 11, 1, 3, 0, 1));
    await worker.tick();
    await worker.stop();
    const job = listJobs(engine, { kind: REPLICATION_JOBS.scrub }).jobs[0];
    expect(job).toMatchObject({ state: 'succeeded', scheduleName: REPLICATION_JOBS.scrub, progress: { done: 4, total: 4, message: 'done' } });
    const result = engine.db.get<{ result: string }>(sql`SELECT result FROM jobs WHERE id = ${job.id}`).result;
    expect(JSON.parse(result).nodes.find((r: { id: string }) => r.id === 'local')).toMatchObject({ missing: 1, repaired: 1 });
    expect(await nodes.local.refs.get('resnet', '1.0.0')).not.toBeNull();
  }, 60_000);
});

describe('conflicts', () => {
  /**
   * resnet@1.0.0 published at T0 and replicated to all three nodes; then the S3 node's ref is
   * made to name another valid package of resnet@1.0.0 (with its blob), written at `nodeAt`.
   */
  async function injectConflict(strategy: ConflictStrategy, nodeAt: number, bytes?: Buffer) {
    const nodes = await threeNodes();
    storeReplicationConfig(engine, { ...DEFAULT_REPLICATION_CONFIG, conflict_strategy: strategy });
    await publishSample(engine, 'resnet', '1.0.0');
    for (const id of ['local', 's3', 'azure']) await seedReplica(engine, id, 'resnet', '1.0.0');
    const cat = versionOf(engine, 'resnet', '1.0.0');
    const other = bytes ?? (await readFile(await writeSamplePackage({ name: 'resnet', version: '1.0.0', description: 'retrained elsewhere' })));
    const blob = await nodes.s3.blobs.put(Readable.from([other]));
    expect(blob.digest).not.toBe(cat.digest);
    await nodes.s3.refs.put({ name: 'resnet', version: '1.0.0', digest: blob.digest, size: blob.size, yanked: false, written_at: nodeAt });
    clock.advance(60_000);
    return { nodes, cat, other, otherDigest: blob.digest };
  }

  const auditRows = () => engine.db.all<{ actor: string; action: string; target: string; result: string }>(sql`SELECT actor, action, target, result FROM audit_events WHERE action = 'replication.conflict.resolve' ORDER BY id`);

  it('manual: one ledger entry however many scrubs; open until an admin resolves it', async () => {
    const { nodes, cat, otherDigest } = await injectConflict('manual', T0 + 5_000);
    const first = await scrubNodes(engine);
    expect(first.nodes.find((r) => r.id === 's3')).toMatchObject({ conflicts: 1, repaired: 0, errors: [] });
    await scrubNodes(engine);
    const ledger = listConflicts(engine, {});
    expect(ledger.total).toBe(1);
    expect(ledger.conflicts[0]).toMatchObject({
      name: 'resnet',
      version: '1.0.0',
      node_id: 's3',
      catalogue: { digest: cat.digest, written_at: T0 },
      node: { digest: otherDigest, written_at: T0 + 5_000 },
      strategy: 'manual',
      state: 'open',
      winner_digest: null,
    });
    // The conflicting blob is kept while the conflict is open.
    expect(await nodes.s3.blobs.stat(otherDigest)).not.toBeNull();
    expect(listConflicts(engine, { state: 'resolved' }).total).toBe(0);

    await bootstrapAccounts(engine, undefined);
    const admin = await userActor(engine, 'alice', ['admin']);
    const id = ledger.conflicts[0].id;
    await expect(resolveConflict(engine, admin, id, { winner_digest: 'a'.repeat(64) })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(resolveConflict(engine, admin, 999, { winner_digest: cat.digest })).rejects.toMatchObject({ code: 'CONFLICT_NOT_FOUND' });
    const view = await resolveConflict(engine, admin, id, { winner_digest: `sha256:${cat.digest}` });
    expect(view).toMatchObject({ state: 'resolved', winner_digest: cat.digest, resolved_by: 'alice', strategy: 'manual' });
    await expect(resolveConflict(engine, admin, id, { winner_digest: cat.digest })).rejects.toMatchObject({ code: 'CONFLICT_RESOLVED' });
    expect(await nodes.s3.refs.get('resnet', '1.0.0')).toMatchObject({ digest: cat.digest });
    // The loser's blob is extra now: the next scrub removes it.
    const after = await scrubNodes(engine);
    expect(after.nodes.find((r) => r.id === 's3')).toMatchObject({ conflicts: 0, extra: 1, errors: [] });
    expect(await nodes.s3.blobs.stat(otherDigest)).toBeNull();
  }, 60_000);

  it('a conflict whose node was removed can only be settled for the catalogue', async () => {
    const { cat, otherDigest } = await injectConflict('manual', T0 + 5_000);
    await scrubNodes(engine);
    const id = listConflicts(engine, {}).conflicts[0].id;
    engine.db.run(sql`DELETE FROM replication_nodes WHERE id = 's3'`);
    await expect(resolveConflict(engine, SYSTEM, id, { winner_digest: otherDigest })).rejects.toMatchObject({ code: 'REPLICATION_NODE_NOT_FOUND' });
    expect(await resolveConflict(engine, SYSTEM, id, { winner_digest: cat.digest })).toMatchObject({ state: 'resolved', winner_digest: cat.digest });
  }, 60_000);

  it('last_write_wins with the node newer: the node copy becomes the version; download serves it; other nodes re-replicate', async () => {
    const { nodes, otherDigest, other } = await injectConflict('last_write_wins', T0 + 5_000);
    engine.db.insert(edges).values({ url: 'http://127.0.0.1:9', region: 'eu', purgeToken: 't', state: 'healthy', createdAt: T0, updatedAt: T0 }).run();
    const report = await scrubNodes(engine);
    expect(report.nodes.find((r) => r.id === 's3')).toMatchObject({ conflicts: 1, repaired: 1, errors: [] });
    const v = versionOf(engine, 'resnet', '1.0.0');
    expect(v).toMatchObject({ digest: otherDigest, size: other.length });
    expect((await downloadBytes('resnet', '1.0.0')).equals(other)).toBe(true);
    const manifest = engine.db.get<{ manifest: string }>(sql`SELECT manifest FROM versions WHERE version = '1.0.0'`).manifest;
    expect(JSON.parse(manifest).description).toBe('retrained elsewhere');
    const conflict = listConflicts(engine, {}).conflicts[0];
    expect(conflict).toMatchObject({ state: 'resolved', winner_digest: otherDigest, resolved_by: 'system', strategy: 'last_write_wins' });
    expect(auditRows()).toEqual([expect.objectContaining({ actor: 'system', result: 'ok' })]);
    expect(auditRows()[0].target).toContain("node s3's copy");
    const rows = engine.db.all<{ node_id: string; state: string; digest: string }>(sql`SELECT node_id, state, digest FROM replicas ORDER BY node_id`);
    expect(rows).toEqual([
      { node_id: 'azure', state: 'pending', digest: otherDigest },
      { node_id: 'local', state: 'pending', digest: otherDigest },
      { node_id: 's3', state: 'present', digest: otherDigest },
    ]);
    const applies = engine.db.all<{ payload: string }>(sql`SELECT payload FROM jobs WHERE kind = ${REPLICATION_JOBS.apply} ORDER BY id`);
    expect(applies.map((j) => JSON.parse(j.payload).node).sort()).toEqual(['azure', 'local']);
    // Edges cached the old bytes: purged.
    const purges = engine.db.all<{ payload: string }>(sql`SELECT payload FROM jobs WHERE kind = 'cdn.purge'`);
    expect(purges.map((j) => JSON.parse(j.payload).target)).toEqual([{ name: 'resnet', version: '1.0.0' }]);
    // The nodes still behind are pending, not conflicts.
    const again = await scrubNodes(engine);
    expect(again.nodes.map((r) => r.conflicts)).toEqual([0, 0, 0]);
    expect(listConflicts(engine, {}).total).toBe(1);
    expect(await blobIsIntact(nodes.s3.blobs, otherDigest, other.length)).toBe(true);
  }, 60_000);

  it('last_write_wins with the catalogue newer keeps the catalogue copy', async () => {
    const { nodes, cat } = await injectConflict('last_write_wins', T0 - 5_000);
    await scrubNodes(engine);
    expect(versionOf(engine, 'resnet', '1.0.0').digest).toBe(cat.digest);
    expect(await nodes.s3.refs.get('resnet', '1.0.0')).toMatchObject({ digest: cat.digest });
    expect(listConflicts(engine, {}).conflicts[0]).toMatchObject({ state: 'resolved', winner_digest: cat.digest, resolved_by: 'system' });
  }, 60_000);

  it("first_write_wins with the node newer: the catalogue's copy stays and the node's ref is rewritten", async () => {
    const { nodes, cat } = await injectConflict('first_write_wins', T0 + 5_000);
    const original = await primaryBytes(cat.digest);
    const report = await scrubNodes(engine);
    expect(report.nodes.find((r) => r.id === 's3')).toMatchObject({ conflicts: 1, repaired: 1, errors: [] });
    expect(versionOf(engine, 'resnet', '1.0.0').digest).toBe(cat.digest);
    expect((await downloadBytes('resnet', '1.0.0')).equals(original)).toBe(true);
    expect(await nodes.s3.refs.get('resnet', '1.0.0')).toMatchObject({ digest: cat.digest, size: cat.size });
    expect((await bytesOf(nodes.s3.blobs, cat.digest)).equals(original)).toBe(true);
    expect(listConflicts(engine, {}).conflicts[0]).toMatchObject({ state: 'resolved', winner_digest: cat.digest, resolved_by: 'system', strategy: 'first_write_wins' });
    expect(auditRows()).toEqual([expect.objectContaining({ actor: 'system', result: 'ok' })]);
  }, 60_000);

  it('first_write_wins with the node older: the node copy wins', async () => {
    const { otherDigest } = await injectConflict('first_write_wins', T0 - 5_000);
    await scrubNodes(engine);
    expect(versionOf(engine, 'resnet', '1.0.0').digest).toBe(otherDigest);
  }, 60_000);

  it('a node copy that is not a valid package of this name@version cannot win: the conflict stays open with the reason', async () => {
    const other = await readFile(await writeSamplePackage({ name: 'resnet', version: '2.0.0' }));
    const { cat, otherDigest } = await injectConflict('last_write_wins', T0 + 5_000, other);
    const report = await scrubNodes(engine);
    const s3r = report.nodes.find((r) => r.id === 's3')!;
    expect(s3r.conflicts).toBe(1);
    expect(s3r.errors.join('\n')).toMatch(/conflict \d+ \(resnet@1\.0\.0\) stays open: the copy on node s3 cannot win: .*version/i);
    expect(versionOf(engine, 'resnet', '1.0.0').digest).toBe(cat.digest);
    expect(listConflicts(engine, { state: 'open' }).conflicts[0]).toMatchObject({ node: { digest: otherDigest } });
    expect(auditRows()).toEqual([expect.objectContaining({ actor: 'system', result: 'error' })]);
    // Nothing of the candidate stays in the primary store.
    expect(await engine.blobs.stat(otherDigest)).toBeNull();
  }, 60_000);
});

describe('hashStream', () => {
  it('hashes a file without holding it', async () => {
    const file = path.join(dir, 'h.bin');
    await writeFile(file, Buffer.alloc(3 * 1024 * 1024, 1));
    const got = await hashStream(createReadStream(file));
    expect(got.size).toBe((await stat(file)).size);
    expect(got.digest).toMatch(/^[a-f0-9]{64}$/);
  });
});
