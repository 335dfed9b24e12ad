/** Verify on a real local repository: damage is found and named with the snapshots and files it hurts. */
import { readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chunkKey } from './repo/layout';
import { dataUsage, pieces, tempRepo, writeTestSnapshot, type TempRepo } from './test-support/retention-fixtures';
import type { Snapshot } from './types';
import { verifyRepository } from './verify';

const T0 = Date.parse('2026-11-01T03:00:00Z');

let t: TempRepo;
let a: Snapshot;
let b: Snapshot;
let c: Snapshot;
/** A chunk in two files of `a` and in `b`, but not in `c`. */
let shared: string;

beforeEach(async () => {
  t = await tempRepo();
  const model = pieces('model', 4);
  a = await writeTestSnapshot(t.repo, { 'blobs/one': model, 'blobs/copy': model, 'db/torsh.db': pieces('db-a', 2) }, { time: T0 });
  b = await writeTestSnapshot(t.repo, { 'blobs/one': model, 'db/torsh.db': pieces('db-b', 2) }, { time: T0 + 1000 });
  c = await writeTestSnapshot(t.repo, { 'db/torsh.db': pieces('db-c', 2) }, { time: T0 + 2000 });
  shared = a.files[0].chunks[1];
});
afterEach(async () => {
  await t.cleanup();
});

const chunkFile = (id: string) => path.join(t.dir, ...chunkKey(id).split('/'));

async function flipByte(file: string, at: number): Promise<void> {
  const bytes = await readFile(file);
  bytes[at] ^= 0x01;
  await writeFile(file, bytes);
}

describe('verifyRepository', () => {
  it('passes a sound repository in both modes; read-data reads every referenced chunk once', async () => {
    const structure = await verifyRepository(t.repo, { readData: false });
    expect(structure).toMatchObject({ mode: 'structure', ok: true, snapshots: 3, chunksChecked: 4 + 2 * 3, bytesRead: 0, damaged: [], damagedFiles: [] });
    const progress: number[] = [];
    const full = await verifyRepository(t.repo, { readData: true, onProgress: (p) => progress.push(p.done) });
    expect(full).toMatchObject({ mode: 'read-data', ok: true, chunksChecked: 10, damaged: [] });
    expect(full.bytesRead).toBe((await dataUsage(t.dir)).bytes);
    expect(progress.at(-1)).toBe(10);
  });

  it('a flipped byte in a chunk: read-data names the chunk, every snapshot and file referencing it', async () => {
    await flipByte(chunkFile(shared), 40);
    // Structure does not read chunks: the size is right, so it cannot see this.
    expect((await verifyRepository(t.repo, { readData: false })).ok).toBe(true);
    const report = await verifyRepository(t.repo, { readData: true });
    expect(report.ok).toBe(false);
    expect(report.damaged).toEqual([
      {
        chunkId: shared,
        problem: 'corrupt',
        snapshots: [a.id, b.id],
        files: [
          { snapshot: a.id, path: 'blobs/one' },
          { snapshot: a.id, path: 'blobs/copy' },
          { snapshot: b.id, path: 'blobs/one' },
        ],
      },
    ]);
    expect(report.damaged[0].snapshots).not.toContain(c.id);
  });

  it("a missing chunk is 'missing' in the structure check, with its snapshots", async () => {
    const own = c.files[0].chunks[0];
    await rm(chunkFile(own));
    const report = await verifyRepository(t.repo, { readData: false });
    expect(report.ok).toBe(false);
    expect(report.damaged).toEqual([{ chunkId: own, problem: 'missing', snapshots: [c.id], files: [{ snapshot: c.id, path: 'db/torsh.db' }] }]);
  });

  it("a truncated chunk is 'corrupt' already in the structure check (its size is not the indexed one)", async () => {
    await truncate(chunkFile(shared), 100);
    const report = await verifyRepository(t.repo, { readData: false });
    expect(report.damaged.map((d) => [d.chunkId, d.problem, d.snapshots])).toEqual([[shared, 'corrupt', [a.id, b.id]]]);
  });

  it("chunks named by no index file are 'unindexed'", async () => {
    const index = await t.repo.loadIndex();
    expect(index.count).toBe(10);
    const files = await readdir(path.join(t.dir, 'index'));
    for (const f of files) await rm(path.join(t.dir, 'index', f));
    const report = await verifyRepository(t.repo, { readData: false });
    expect(report.damaged).toHaveLength(10);
    expect(new Set(report.damaged.map((d) => d.problem))).toEqual(new Set(['unindexed']));
  });

  it('a snapshot or index file that does not decrypt is named in damagedFiles', async () => {
    await flipByte(path.join(t.dir, 'snapshots', b.id), 30);
    const [indexFile] = await readdir(path.join(t.dir, 'index'));
    await flipByte(path.join(t.dir, 'index', indexFile), 30);
    const report = await verifyRepository(t.repo, { readData: false });
    expect(report.ok).toBe(false);
    expect(report.damagedFiles).toEqual([`index/${indexFile}`, `snapshots/${b.id}`].sort());
    expect(report.snapshots).toBe(3);
  });

  it('an indexed chunk that is gone is reported even when no snapshot references it (the next backup would reuse it)', async () => {
    const writer = t.repo.openChunkWriter(await t.repo.loadIndex());
    const { id } = await writer.add(pieces('unreferenced', 1));
    await writer.finish();
    await rm(chunkFile(id));
    const report = await verifyRepository(t.repo, { readData: true });
    expect(report.damaged).toEqual([{ chunkId: id, problem: 'missing', snapshots: [], files: [] }]);
  });

  it('is refused while prune holds the exclusive lock', async () => {
    const lock = await t.repo.lock('exclusive', 'prune');
    try {
      await expect(verifyRepository(t.repo, { readData: false })).rejects.toMatchObject({ code: 'BACKUP_REPO_LOCKED' });
    } finally {
      await lock.release();
    }
  });
});
