import { createHash, randomFillSync } from 'node:crypto';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createToken, resolveToken } from '../access/tokens';
import { SYSTEM, type Actor } from '../actor';
import { collectGarbage, deleteVersion, setChannel, setYanked } from '../registry';
import { createLocalBlobStore } from '../storage/local-blob-store';
import { tempEngine } from '../test-support/temp-engine';
import { publishSample } from '../test-support/registry-fixtures';
import { createPackageSnapshot } from './backup-package';
import { createRegistrySnapshot } from './create-snapshot';
import { restorePackage } from './restore-package';
import { restoreRegistry } from './restore-registry';
import { registryBackupFixture, type RegistryBackupFixture, type TestEngine, type TestRepo } from './test-support/registry-fixture';
import { dumpTables } from './test-support/snapshot-repo';
import type { BackupProgress } from './types';


const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const publish = (engine: TestEngine, actor: Actor, name: string, version: string, body?: Buffer) =>
  publishSample(engine, name, version, { actor, files: body ? [{ path: 'models/model.bin', source: body }] : undefined });

async function blobFiles(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  for (const e of entries) {
    if (!e.isFile() || e.parentPath.includes('.tmp')) continue;
    out.set(e.name, sha(await readFile(path.join(e.parentPath, e.name))));
  }
  return out;
}

describe('registry snapshots', () => {
  let engine: TestEngine;
  let repo: TestRepo;
  let alice: Actor;
  let scratch: string;
  let fixture: RegistryBackupFixture;
  beforeEach(async () => {
    fixture = await registryBackupFixture('torsh-restore-');
    ({ engine, repo, alice, scratch } = fixture);
  });
  afterEach(() => fixture.cleanup());

  it('round trip: byte-identical blobs, equal tables, the key (0600) and the non-secret settings', async () => {
    await publish(engine, alice, 'resnet', '1.0.0');
    await publish(engine, alice, 'resnet', '1.1.0');
    await publish(engine, alice, 'bert', '2.0.0');
    setChannel(engine, alice, { name: 'resnet', channel: 'stable', version: '1.0.0' });
    const token = createToken(engine, alice, { name: 'ci' }).token;
    engine.metrics.flush();
    const env = { TORSH_PUBLIC_URL: 'https://hub.test', TORSH_ADMIN_PASSWORD: 'x', TORSH_S3_SECRET_ACCESS_KEY: 'y', TORSH_PURGE_TOKEN: 'z', HOME: '/root' };
    const progress: BackupProgress[] = [];
    const snap = await createRegistrySnapshot(repo.repo, { dataDir: engine.dataDir, blobs: engine.blobs, env }, { tags: ['nightly'], onProgress: (p) => progress.push(p) });
    expect(snap.kind).toBe('registry');
    expect(snap.tags).toEqual(['nightly']);
    expect(snap.files.map((f) => f.path.split('/')[0]).sort()).toEqual(['blobs', 'blobs', 'blobs', 'config', 'db', 'keys']);
    expect(snap.stats.newBytes).toBeGreaterThan(0);
    expect(progress.at(-1)!.done).toBe(progress.at(-1)!.total);

    const to = path.join(scratch, 'restored');
    const res = await restoreRegistry(repo.repo, snap.id.slice(0, 10), to);
    expect(res).toMatchObject({ snapshot: snap.id, files: 6 });
    expect(await blobFiles(path.join(to, 'blobs'))).toEqual(await blobFiles(path.join(engine.dataDir, 'blobs')));
    expect(dumpTables(path.join(to, 'torsh.db'))).toEqual(dumpTables(path.join(engine.dataDir, 'torsh.db')));
    const key = path.join(to, 'keys', 'registry-ed25519.pem');
    expect(await readFile(key)).toEqual(await readFile(path.join(engine.dataDir, 'keys', 'registry-ed25519.pem')));
    expect((await stat(key)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(path.join(to, 'config', 'settings.json'), 'utf8'))).toEqual({ TORSH_PUBLIC_URL: 'https://hub.test' });

    // The restored directory is a registry: the same token resolves, the same bytes come out.
    const restored = await tempEngineOn(to);
    try {
      const check = resolveToken(restored, token);
      expect(check.ok && check.actor.name).toBe('alice');
      const digest = restored.db.$client.prepare("SELECT digest FROM versions WHERE version = '1.1.0'").pluck().get() as string;
      expect(sha(await buffer(await restored.blobs.get(digest)))).toBe(digest);
    } finally {
      restored.close();
    }
  });

  it('a second snapshot reads no blob it already has and stores little', async () => {
    await publish(engine, alice, 'resnet', '1.0.0', randomFillSync(Buffer.alloc(3 << 20)));
    const first = await createRegistrySnapshot(repo.repo, { dataDir: engine.dataDir, blobs: engine.blobs }, {});
    let reads = 0;
    const counting = { ...engine.blobs, get: (...a: Parameters<typeof engine.blobs.get>) => (reads++, engine.blobs.get(...a)) };
    await publish(engine, alice, 'resnet', '1.0.1');
    const second = await createRegistrySnapshot(repo.repo, { dataDir: engine.dataDir, blobs: counting }, {});
    expect(reads).toBe(1);
    expect(second.stats.fileCount).toBe(first.stats.fileCount + 1);
    expect(first.stats.newBytes).toBeGreaterThan(3 << 20);
    expect(second.stats.newBytes).toBeLessThan(1 << 20);
  });

  it('a damaged earlier snapshot file does not stop the next backup', async () => {
    await publish(engine, alice, 'resnet', '1.0.0');
    const first = await createRegistrySnapshot(repo.repo, { dataDir: engine.dataDir, blobs: engine.blobs }, {});
    const file = path.join(repo.dir, 'snapshots', first.id);
    const bytes = await readFile(file);
    bytes[bytes.length - 5] ^= 0xff;
    await writeFile(file, bytes);
    const second = await createRegistrySnapshot(repo.repo, { dataDir: engine.dataDir, blobs: engine.blobs }, {});
    // Only the database is new (the first backup's holds came and went); the blob dedups against the index.
    expect(second.stats.newChunks).toBe(1);
    const to = path.join(scratch, 'restored');
    await restoreRegistry(repo.repo, second.id, to);
    expect(await blobFiles(path.join(to, 'blobs'))).toEqual(await blobFiles(path.join(engine.dataDir, 'blobs')));
  });

  it('holds every blob of the copy: a version deleted and collected mid-backup is still in the snapshot', async () => {
    await publish(engine, alice, 'resnet', '1.0.0');
    await publish(engine, alice, 'resnet', '2.0.0');
    let gc: Promise<unknown> | null = null;
    let heldDuring = 0;
    const snap = await createRegistrySnapshot(repo.repo, { dataDir: engine.dataDir, blobs: engine.blobs }, {
      onProgress: () => {
        if (gc) return;
        heldDuring = engine.db.$client.prepare('SELECT count(*) FROM blob_holds').pluck().get() as number;
        deleteVersion(engine, SYSTEM, { name: 'resnet', version: '1.0.0' });
        gc = collectGarbage(engine);
      },
    });
    expect(heldDuring).toBe(2);
    expect(await gc).toMatchObject({ blobsRemoved: 0 });
    expect(engine.db.$client.prepare('SELECT count(*) FROM blob_holds').pluck().get()).toBe(0);
    const to = path.join(scratch, 'restored');
    await restoreRegistry(repo.repo, snap.id, to);
    const restored = dumpTables(path.join(to, 'torsh.db'));
    expect(restored.versions).toHaveLength(2);
    expect(restored.tombstones).toHaveLength(0);
    // Once the holds are gone, collection takes the deleted version's blob as usual.
    expect(await collectGarbage(engine)).toMatchObject({ blobsRemoved: 1 });
  });

  it('an aborted backup writes no snapshot, drops its holds and copy, and releases the lock', async () => {
    await publish(engine, alice, 'resnet', '1.0.0', randomFillSync(Buffer.alloc(3 << 20)));
    const ac = new AbortController();
    const run = createRegistrySnapshot(repo.repo, { dataDir: engine.dataDir, blobs: engine.blobs }, { signal: ac.signal, onProgress: () => ac.abort() });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(await repo.repo.listSnapshots()).toEqual([]);
    expect(engine.db.$client.prepare('SELECT count(*) FROM blob_holds').pluck().get()).toBe(0);
    expect((await readdir(path.join(engine.dataDir, 'tmp'))).filter((n) => n.startsWith('backup-'))).toEqual([]);
    const next = await createRegistrySnapshot(repo.repo, { dataDir: engine.dataDir, blobs: engine.blobs }, {});
    expect((await repo.repo.listSnapshots()).map((s) => s.id)).toEqual([next.id]);
  });

  it('a damaged chunk in one blob fails the restore while others run: no database, no temp file left, finished blobs intact', async () => {
    for (const v of ['1.0.0', '1.0.1', '1.0.2', '1.0.3', '1.0.4']) await publish(engine, alice, 'resnet', v, randomFillSync(Buffer.alloc(2 << 20)));
    const snap = await createRegistrySnapshot(repo.repo, { dataDir: engine.dataDir, blobs: engine.blobs }, {});
    const blobs = snap.files.filter((f) => f.path.startsWith('blobs/')).sort((a, b) => b.size - a.size);
    const victim = blobs[0].chunks.at(-1)!;
    await writeFile(path.join(repo.dir, 'data', victim.slice(0, 2), victim), randomFillSync(Buffer.alloc(4096)));
    const to = path.join(scratch, 'restored');
    await expect(restoreRegistry(repo.repo, snap.id, to)).rejects.toMatchObject({ code: 'BACKUP_CHUNK_DAMAGED' });
    const left = await readdir(to, { recursive: true });
    expect(left.filter((n) => n.includes('.restore-') || n.endsWith('torsh.db'))).toEqual([]);
    const restored = await blobFiles(path.join(to, 'blobs'));
    expect(restored.has(blobs[0].path.slice('blobs/'.length))).toBe(false);
    for (const [name, digest] of restored) expect(digest).toBe(name);
  });

  it('refuses a target that is not empty, writing nothing', async () => {
    await publish(engine, alice, 'resnet', '1.0.0');
    const snap = await createRegistrySnapshot(repo.repo, { dataDir: engine.dataDir, blobs: engine.blobs }, {});
    await mkdir(path.join(scratch, 'full'));
    await writeFile(path.join(scratch, 'full', 'keep.txt'), 'mine');
    await expect(restoreRegistry(repo.repo, snap.id, path.join(scratch, 'full'))).rejects.toMatchObject({ code: 'BACKUP_RESTORE_TARGET_NOT_EMPTY' });
    expect(await readdir(path.join(scratch, 'full'))).toEqual(['keep.txt']);
  });

  it('package snapshot → restore into another registry: byte-identical, channels and yank kept; twice → VERSION_EXISTS', async () => {
    const body = Buffer.alloc(2 << 20, 3);
    await publish(engine, alice, 'resnet', '1.0.0', body);
    setChannel(engine, alice, { name: 'resnet', channel: 'prod', version: '1.0.0' });
    setYanked(engine, alice, { name: 'resnet', version: '1.0.0', yanked: true, reason: 'superseded' });
    const snap = await createPackageSnapshot(repo.repo, engine, 'resnet', '1.0.0', { description: 'before the migration' });
    expect(snap).toMatchObject({ kind: 'package', package: { name: 'resnet', version: '1.0.0' }, description: 'before the migration' });
    expect(snap.files.map((f) => f.path)).toEqual(['package/resnet-1.0.0.torshpkg', 'package/version.json']);
    const digest = snap.files[0].sha256;

    const other = await tempEngine();
    try {
      expect(await restorePackage(repo.repo, other, snap.id, null, { userId: null, name: 'restorer' })).toEqual({ name: 'resnet', version: '1.0.0' });
      const row = other.db.$client.prepare("SELECT v.digest FROM versions v JOIN channels c ON c.version_id = v.id WHERE c.name = 'prod'").get() as { digest: string };
      expect(row.digest).toBe(digest);
      expect(other.db.$client.prepare('SELECT yanked, yank_reason FROM versions').get()).toEqual({ yanked: 1, yank_reason: 'superseded' });
      expect(sha(await buffer(await other.blobs.get(digest)))).toBe(digest);
      await expect(restorePackage(repo.repo, other, snap.id, null, { userId: null, name: 'restorer' })).rejects.toMatchObject({ code: 'PACKAGE_VERSION_EXISTS' });
    } finally {
      await other.cleanup();
    }
  });

  it('one version out of a registry snapshot into another registry; a package snapshot is no registry', async () => {
    await publish(engine, alice, 'resnet', '1.0.0');
    await publish(engine, alice, 'bert', '2.0.0');
    const snap = await createRegistrySnapshot(repo.repo, { dataDir: engine.dataDir, blobs: engine.blobs }, {});
    const other = await tempEngine();
    try {
      await expect(restorePackage(repo.repo, other, snap.id, null, { userId: null, name: 'r' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await expect(restorePackage(repo.repo, other, snap.id, { name: 'bert', version: '9.9.9' }, { userId: null, name: 'r' })).rejects.toMatchObject({ code: 'VERSION_NOT_FOUND' });
      await restorePackage(repo.repo, other, snap.id, { name: 'bert', version: '2.0.0' }, { userId: null, name: 'r' });
      const digest = other.db.$client.prepare('SELECT digest FROM versions').pluck().all() as string[];
      expect(digest).toHaveLength(1);
      expect(await other.blobs.stat(digest[0])).not.toBeNull();
    } finally {
      await other.cleanup();
    }
    const pkgSnap = await createPackageSnapshot(repo.repo, engine, 'bert', '2.0.0', {});
    await expect(restoreRegistry(repo.repo, pkgSnap.id, path.join(scratch, 'x'))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

async function tempEngineOn(dataDir: string) {
  const { createEngine } = await import('../engine');
  return createEngine({ dataDir, blobs: createLocalBlobStore(path.join(dataDir, 'blobs')) });
}
