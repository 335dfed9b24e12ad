/** Forget and prune on a real local repository: the dry run's freed bytes are what prune really frees. */
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyRetention, forgetSnapshots, planForget } from './forget';
import { pruneRepository } from './prune';
import { dataUsage, pieces, PIECE, tempRepo, writeTestSnapshot, type TempRepo } from './test-support/retention-fixtures';
import type { Snapshot } from './types';
import { verifyRepository } from './verify';

const DAY = 86_400_000;
const T0 = Date.parse('2026-11-01T03:00:00Z');
const NOW = Date.parse('2026-11-30T12:00:00Z');

let t: TempRepo;
beforeEach(async () => {
  t = await tempRepo();
});
afterEach(async () => {
  await t.cleanup();
});

const base = pieces('base', 8); // in every snapshot
const shared14 = pieces('shared-1-4', 1); // in the first and the last only

/** Four daily snapshots: a common base, pieces of their own (3, 2, 2, 1) and one piece the first and last share. */
async function fourSnapshots(): Promise<Snapshot[]> {
  const own = [pieces('own-1', 3), pieces('own-2', 2), pieces('own-3', 2), pieces('own-4', 1)];
  const out: Snapshot[] = [];
  for (let i = 0; i < 4; i++) {
    const files: Record<string, Buffer> = { 'db/torsh.db': Buffer.concat([base, own[i]]) };
    if (i === 0 || i === 3) files['blobs/shared'] = shared14;
    out.push(await writeTestSnapshot(t.repo, files, { time: T0 + i * DAY }));
  }
  return out;
}

async function indexFiles(): Promise<string[]> {
  return readdir(path.join(t.dir, 'index'));
}

describe('planForget', () => {
  it('counts only the chunks the removed snapshots alone reference, and changes nothing', async () => {
    const snaps = await fourSnapshots();
    const before = await dataUsage(t.dir);
    const plan = await planForget(t.repo, { keepLast: 2 }, NOW);
    expect(plan.remove).toEqual([snaps[0].id, snaps[1].id]);
    expect(plan.decisions.map((d) => [d.id, d.keep, d.reasons])).toEqual([
      [snaps[0].id, false, []],
      [snaps[1].id, false, []],
      [snaps[2].id, true, ['last']],
      [snaps[3].id, true, ['last']],
    ]);
    expect(plan.freedChunks).toBe(3 + 2); // the shared piece stays with the fourth snapshot
    expect(plan.freedBytes).toBeGreaterThan(5 * PIECE);
    expect((await t.repo.listSnapshots()).length).toBe(4);
    expect(await dataUsage(t.dir)).toEqual(before);
  });

  it('an empty policy removes nothing and frees nothing', async () => {
    await fourSnapshots();
    const plan = await planForget(t.repo, {}, NOW);
    expect(plan).toMatchObject({ remove: [], freedChunks: 0, freedBytes: 0 });
    expect(plan.decisions.every((d) => d.keep && d.reasons[0] === 'no policy: keeps everything')).toBe(true);
  });

  it('refuses a bad policy before touching the repository', async () => {
    await expect(planForget(t.repo, { keepWithin: 'soon' }, NOW)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('forget then prune', () => {
  it("frees exactly the dry run's bytes, keeps the rest readable, and verifies", async () => {
    const snaps = await fourSnapshots();
    const plan = await planForget(t.repo, { keepLast: 2 }, NOW);
    const before = await dataUsage(t.dir);

    const applied = await applyRetention(t.repo, { keepLast: 2 }, NOW);
    expect(applied.remove).toEqual(plan.remove);
    expect((await t.repo.listSnapshots()).map((s) => s.id)).toEqual([snaps[2].id, snaps[3].id]);
    expect(await dataUsage(t.dir)).toEqual(before); // forget deletes no chunk

    const report = await pruneRepository(t.repo);
    const after = await dataUsage(t.dir);
    expect(before.bytes - after.bytes).toBe(plan.freedBytes);
    expect(before.files - after.files).toBe(plan.freedChunks);
    expect(report).toMatchObject({ removedChunks: plan.freedChunks, freedBytes: plan.freedBytes, orphanChunks: 0, indexFilesRewritten: 4 });
    expect(await indexFiles()).toHaveLength(1);

    for (const s of [snaps[2], snaps[3]]) for (const f of s.files) for (const c of f.chunks) await t.repo.readChunk(c);
    expect(await verifyRepository(t.repo, { readData: true })).toMatchObject({ ok: true, damaged: [], damagedFiles: [] });
  });

  it('removes the unindexed chunks a killed backup left (orphans), beyond what the plan promised', async () => {
    await fourSnapshots();
    const writer = t.repo.openChunkWriter(await t.repo.loadIndex());
    for (let i = 0; i < 3; i++) await writer.add(pieces(`orphan-${i}`, 1));
    await writer.abort();
    const before = await dataUsage(t.dir);
    const plan = await planForget(t.repo, { keepLast: 3 }, NOW);
    await forgetSnapshots(t.repo, plan.remove);
    const report = await pruneRepository(t.repo);
    const after = await dataUsage(t.dir);
    expect(report.orphanChunks).toBe(3);
    expect(report.removedChunks).toBe(plan.freedChunks + 3);
    expect(before.bytes - after.bytes).toBe(report.freedBytes);
    expect(report.freedBytes).toBeGreaterThan(plan.freedBytes + 3 * PIECE);
  });

  it('compacts the index files once, then has nothing to do', async () => {
    await fourSnapshots();
    expect(await indexFiles()).toHaveLength(4);
    expect(await pruneRepository(t.repo)).toMatchObject({ removedChunks: 0, freedBytes: 0, indexFilesRewritten: 4 });
    const [only] = await indexFiles();
    expect(await pruneRepository(t.repo)).toMatchObject({ removedChunks: 0, indexFilesRewritten: 0 });
    expect(await indexFiles()).toEqual([only]);
    expect((await t.repo.loadIndex()).count).toBe(8 + 8 + 1);
  });

  it('a later backup of removed data stores it again', async () => {
    const snaps = await fourSnapshots();
    await forgetSnapshots(t.repo, [snaps[0].id]);
    await pruneRepository(t.repo);
    const again = await writeTestSnapshot(t.repo, { 'db/torsh.db': Buffer.concat([base, pieces('own-1', 3)]) }, { time: NOW });
    expect(again.stats.newChunks).toBe(3);
    expect(await verifyRepository(t.repo, { readData: true })).toMatchObject({ ok: true });
  });

  it('stops when aborted after the new index is written, and the next prune finishes the job', async () => {
    const snaps = await fourSnapshots();
    await forgetSnapshots(t.repo, [snaps[0].id, snaps[1].id]);
    const before = await dataUsage(t.dir);
    const controller = new AbortController();
    const messages: string[] = [];
    await expect(
      pruneRepository(t.repo, {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.message) messages.push(p.message);
          if (p.message?.startsWith('new index written')) controller.abort();
        },
      }),
    ).rejects.toThrow();
    expect(messages).toContain('new index written (12 chunks)');
    expect(await indexFiles()).toHaveLength(5); // the new one beside the four old ones
    expect(await dataUsage(t.dir)).toEqual(before);
    expect(await verifyRepository(t.repo, { readData: true })).toMatchObject({ ok: true });
    const rest = await pruneRepository(t.repo);
    expect(rest).toMatchObject({ removedChunks: 5, orphanChunks: 0, indexFilesRewritten: 5 });
    expect((await dataUsage(t.dir)).files).toBe(12);
  });

  it('refuses to prune while a snapshot file is damaged, deleting nothing', async () => {
    const snaps = await fourSnapshots();
    await forgetSnapshots(t.repo, [snaps[0].id]);
    await writeFile(path.join(t.dir, 'snapshots', snaps[1].id), Buffer.from('not a sealed snapshot'));
    const before = await dataUsage(t.dir);
    await expect(pruneRepository(t.repo)).rejects.toMatchObject({ code: 'BACKUP_CHUNK_DAMAGED' });
    expect(await dataUsage(t.dir)).toEqual(before);
    expect(await indexFiles()).toHaveLength(4);
  });

  it('waits for no one: a running backup (shared lock) makes prune fail with BACKUP_REPO_LOCKED', async () => {
    const lock = await t.repo.lock('shared', 'backup');
    try {
      await expect(pruneRepository(t.repo)).rejects.toMatchObject({ code: 'BACKUP_REPO_LOCKED' });
    } finally {
      await lock.release();
    }
  });
});

describe('forgetSnapshots', () => {
  it('accepts unique prefixes and removes nothing when one id is unknown', async () => {
    const snaps = await fourSnapshots();
    await expect(forgetSnapshots(t.repo, [snaps[0].id.slice(0, 8), 'ffffffffffffffff'])).rejects.toMatchObject({
      code: 'BACKUP_SNAPSHOT_NOT_FOUND',
    });
    expect((await t.repo.listSnapshots()).length).toBe(4);
    const { removed } = await forgetSnapshots(t.repo, [snaps[0].id.slice(0, 8), snaps[0].id, snaps[2].id]);
    expect(removed).toEqual([snaps[0].id, snaps[2].id]);
    expect((await t.repo.listSnapshots()).map((s) => s.id)).toEqual([snaps[1].id, snaps[3].id]);
  });

  it('refuses an id that is not hex', async () => {
    await expect(forgetSnapshots(t.repo, ['latest'])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
