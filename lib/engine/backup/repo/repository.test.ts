import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError, isAppError } from '../../errors';
import { BACKUP_REPO_VERSION, SNAPSHOT_VERSION, type BackupRepository, type Snapshot } from '../types';
import { chunkKey } from './layout';
import { initRepository, openRepository } from './repository';
import { newSnapshotId } from './snapshot-files';
import { tempRepoDirs } from './test-support/temp-repo';

const repos = tempRepoDirs();
afterAll(() => repos.cleanup());

async function code(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => null,
    (e) => e,
  );
  if (!isAppError(err)) throw new Error(`expected an AppError, got ${String(err)}`);
  return err.code;
}

function snapshot(time: number, chunks: string[]): Snapshot {
  return {
    version: SNAPSHOT_VERSION,
    id: newSnapshotId(),
    time,
    host: 'test',
    kind: 'registry',
    tags: ['t'],
    description: null,
    recoveryPoint: null,
    package: null,
    source: '/data',
    files: [{ path: 'db/torsh.db', size: 3, chunks, sha256: '00'.repeat(32) }],
    stats: { logicalBytes: 3, fileCount: 1, uniqueChunks: chunks.length, newChunks: 0, newBytes: 0, durationMs: 1 },
  };
}

async function storeChunks(repo: BackupRepository, datas: Buffer[]) {
  const w = repo.openChunkWriter(await repo.loadIndex());
  const added = [];
  for (const d of datas) added.push(await w.add(d));
  return { added, result: await w.finish() };
}

describe('init and open', () => {
  it('opens with the password, refuses a wrong one, and a second init', async () => {
    const backend = await repos.backend();
    const repo = await initRepository(backend, 'correct horse', { label: 'first', now: () => 1000 });
    expect(repo.config.version).toBe(BACKUP_REPO_VERSION);
    expect(repo.config.id).toMatch(/^[0-9a-f]{32}$/);
    const again = await openRepository(backend, 'correct horse');
    expect(again.config).toEqual(repo.config);
    expect(again.key.encKey.equals(repo.key.encKey)).toBe(true);
    expect(await code(openRepository(backend, 'wrong'))).toBe('BACKUP_WRONG_PASSWORD');
    expect(await code(initRepository(backend, 'other'))).toBe('BACKUP_REPO_EXISTS');
    expect(await openRepository(backend, 'correct horse')).toBeTruthy();
  });

  it('BACKUP_REPO_NOT_FOUND on an empty location, naming it', async () => {
    const backend = await repos.backend();
    const err = (await openRepository(backend, 'x').catch((e) => e)) as AppError;
    expect(err.code).toBe('BACKUP_REPO_NOT_FOUND');
    expect(err.message).toContain(backend.location);
  });

  it('refuses a newer format before trying the password', async () => {
    const backend = await repos.backend();
    await initRepository(backend, 'pw');
    const cfg = JSON.parse((await backend.get('config'))!.toString());
    cfg.version = BACKUP_REPO_VERSION + 1;
    await backend.put('config', Buffer.from(JSON.stringify(cfg)));
    expect(await code(openRepository(backend, 'pw'))).toBe('BACKUP_FORMAT_UNSUPPORTED');
  });

  it('refuses a config edited without the key', async () => {
    const backend = await repos.backend();
    await initRepository(backend, 'pw');
    const cfg = JSON.parse((await backend.get('config'))!.toString());
    cfg.chunker.minSize = 1024;
    await backend.put('config', Buffer.from(JSON.stringify(cfg)));
    expect(await code(openRepository(backend, 'pw'))).toBe('BACKUP_CHUNK_DAMAGED');
  });

  it('skips a key file left by an init that crashed before its config, even under the same password', async () => {
    const backend = await repos.backend();
    const { newMasterKey, writeKeyFile } = await import('./keys');
    await writeKeyFile(backend, newMasterKey(), 'pw', 'crashed init', 1);
    await writeKeyFile(backend, newMasterKey(), 'pw', 'crashed init', 2);
    expect(await code(openRepository(backend, 'pw'))).toBe('BACKUP_REPO_NOT_FOUND');
    const repo = await initRepository(backend, 'pw');
    for (let i = 0; i < 2; i++) expect((await openRepository(backend, 'pw')).keyId).toBe(repo.keyId);
  });

  it('adds a second password, lists keys, removes keys but not the last nor the current one', async () => {
    const backend = await repos.backend();
    const repo = await initRepository(backend, 'one', { label: 'admin' });
    const second = await repo.addKey('two', 'ops');
    const viaTwo = await openRepository(backend, 'two');
    expect(viaTwo.keyId).toBe(second);
    expect(viaTwo.key.idKey.equals(repo.key.idKey)).toBe(true);
    const keys = await repo.listKeys();
    expect(keys.map((k) => [k.label, k.current])).toEqual([
      ['admin', true],
      ['ops', false],
    ]);
    expect(await code(repo.removeKey(repo.keyId))).toBe('INVALID_INPUT');
    expect(await code(repo.removeKey('f'.repeat(64)))).toBe('KEY_NOT_FOUND');
    await viaTwo.removeKey(repo.keyId);
    expect(await code(openRepository(backend, 'one'))).toBe('BACKUP_WRONG_PASSWORD');
    expect((await viaTwo.listKeys()).length).toBe(1);
    expect(await code(viaTwo.removeKey(second))).toBe('INVALID_INPUT');
  });
});

describe('chunks', () => {
  it('round-trips compressible and random chunks; ids are keyed', async () => {
    const backend = await repos.backend();
    const repo = await initRepository(backend, 'pw');
    const text = Buffer.from('weights '.repeat(50_000));
    const noise = randomBytes(300_000);
    const { added, result } = await storeChunks(repo, [text, noise]);
    expect(added.every((a) => a.isNew)).toBe(true);
    expect(added[0].stored).toBeLessThan(text.length / 10);
    expect(added[1].stored).toBeGreaterThan(noise.length);
    expect(result.newChunks).toBe(2);
    expect(result.newBytes).toBe(added[0].stored + added[1].stored);
    expect((await repo.readChunk(added[0].id)).equals(text)).toBe(true);
    expect((await repo.readChunk(added[1].id)).equals(noise)).toBe(true);
    // Another repository gives the same bytes another id.
    const other = await initRepository(await repos.backend(), 'pw');
    expect(other.chunkId(text)).not.toBe(added[0].id);
    const index = await repo.loadIndex();
    expect(index.count).toBe(2);
    expect(index.get(added[1].id)).toEqual({ stored: added[1].stored, raw: noise.length });
    expect(index.storedBytes).toBe(result.newBytes);
    // The object holds no plaintext.
    expect((await backend.get(chunkKey(added[0].id)))!.includes(Buffer.from('weights weights'))).toBe(false);
  });

  it('dedups within a writer and across writers', async () => {
    const repo = await initRepository(await repos.backend(), 'pw');
    const a = randomBytes(10_000);
    const b = randomBytes(10_000);
    const first = await storeChunks(repo, [a, b, a]);
    expect(first.added.map((x) => x.isNew)).toEqual([true, true, false]);
    expect(first.result.newChunks).toBe(2);
    const second = await storeChunks(repo, [b, a]);
    expect(second.added.map((x) => x.isNew)).toEqual([false, false]);
    expect(second.result).toEqual({ newChunks: 0, newBytes: 0, indexId: null });
    // The same index object learns what a finished writer stored.
    const index = await repo.loadIndex();
    const w1 = repo.openChunkWriter(index);
    const c = randomBytes(5000);
    await w1.add(c);
    await w1.finish();
    const w2 = repo.openChunkWriter(index);
    expect((await w2.add(c)).isNew).toBe(false);
    await w2.finish();
    expect((await repo.loadIndex()).count).toBe(3);
  });

  it('an aborted writer indexes nothing', async () => {
    const repo = await initRepository(await repos.backend(), 'pw');
    const w = repo.openChunkWriter(await repo.loadIndex());
    const { id } = await w.add(randomBytes(1000));
    await w.abort();
    expect((await repo.loadIndex()).count).toBe(0);
    expect((await repo.readChunk(id)).length).toBe(1000);
  });

  it('a flipped byte → BACKUP_CHUNK_DAMAGED naming the chunk; a missing one → MISSING', async () => {
    const backend = await repos.backend();
    const repo = await initRepository(backend, 'pw');
    const { added } = await storeChunks(repo, [randomBytes(4000), randomBytes(4000)]);
    const file = path.join(backend.root, chunkKey(added[0].id));
    const bytes = await readFile(file);
    bytes[100] ^= 1;
    await writeFile(file, bytes);
    const err = (await repo.readChunk(added[0].id).catch((e) => e)) as AppError;
    expect(err.code).toBe('BACKUP_CHUNK_DAMAGED');
    expect(err.message).toContain(added[0].id);
    expect(err.details?.chunkId).toBe(added[0].id);
    await backend.delete(chunkKey(added[1].id));
    expect(await code(repo.readChunk(added[1].id))).toBe('BACKUP_CHUNK_MISSING');
  });

  it('chunk objects swapped between names do not open', async () => {
    const backend = await repos.backend();
    const repo = await initRepository(backend, 'pw');
    const { added } = await storeChunks(repo, [randomBytes(4000), randomBytes(4000)]);
    const [a, b] = added.map((x) => chunkKey(x.id));
    const ba = await backend.get(a);
    const bb = await backend.get(b);
    await backend.put(a, bb!);
    await backend.put(b, ba!);
    expect(await code(repo.readChunk(added[0].id))).toBe('BACKUP_CHUNK_DAMAGED');
    expect(await code(repo.readChunk(added[1].id))).toBe('BACKUP_CHUNK_DAMAGED');
  });
});

describe('snapshots', () => {
  it('writes, lists oldest first, reads by prefix, deletes', async () => {
    const backend = await repos.backend();
    const repo = await initRepository(backend, 'pw');
    const late = snapshot(2000, ['aa']);
    const early = snapshot(1000, ['bb']);
    await repo.writeSnapshot(late);
    await repo.writeSnapshot(early);
    expect((await repo.listSnapshots()).map((s) => s.id)).toEqual([early.id, late.id]);
    expect(await repo.readSnapshot(late.id.slice(0, 8))).toEqual(late);
    expect(await repo.readSnapshot(late.id)).toEqual(late);
    expect(await code(repo.readSnapshot('0123'))).toBe('INVALID_INPUT');
    const absent = late.id.startsWith('00000000') ? 'ffffffff' : '00000000';
    expect(await code(repo.readSnapshot(absent))).toBe('BACKUP_SNAPSHOT_NOT_FOUND');
    await repo.deleteSnapshot(early.id);
    expect((await repo.listSnapshots()).map((s) => s.id)).toEqual([late.id]);
    // Sealed: the snapshot's host and paths are not readable in the object.
    expect((await backend.get(`snapshots/${late.id}`))!.includes(Buffer.from('db/torsh.db'))).toBe(false);
  });

  it('a damaged snapshot file is reported, not skipped', async () => {
    const backend = await repos.backend();
    const repo = await initRepository(backend, 'pw');
    const s = snapshot(1, []);
    await repo.writeSnapshot(s);
    const bytes = (await backend.get(`snapshots/${s.id}`))!;
    bytes[bytes.length - 1] ^= 0xff;
    await backend.put(`snapshots/${s.id}`, bytes);
    const err = (await repo.listSnapshots().catch((e) => e)) as AppError;
    expect(err.code).toBe('BACKUP_CHUNK_DAMAGED');
    expect(err.message).toContain(`snapshots/${s.id}`);
  });
});

describe('layout helpers', () => {
  it('listChunkObjects names every chunk object, indexed or not', async () => {
    const { listChunkObjects } = await import('./layout');
    const backend = await repos.backend();
    const repo = await initRepository(backend, 'pw');
    const { added } = await storeChunks(repo, [randomBytes(100)]);
    const w = repo.openChunkWriter(await repo.loadIndex());
    const orphan = await w.add(randomBytes(200));
    await w.abort();
    const seen = new Map<string, number>();
    for await (const c of listChunkObjects(backend)) seen.set(c.id, c.size);
    expect(seen).toEqual(new Map([[added[0].id, added[0].stored], [orphan.id, orphan.stored]]));
  });
});
