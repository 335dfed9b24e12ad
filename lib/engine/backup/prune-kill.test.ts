/** SIGKILL mid-prune (a real child process, killed at chosen steps): the repository stays consistent. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { forgetSnapshots } from './forget';
import { pruneRepository } from './prune';
import { dataUsage, pieces, tempRepo, writeTestSnapshot, type TempRepo } from './test-support/retention-fixtures';
import type { BackupProgress } from './types';
import { verifyRepository } from './verify';

const CHILD = path.join(__dirname, 'test-support', 'prune-child.ts');
const T0 = Date.parse('2026-11-01T03:00:00Z');
const ORPHANS = 30;

let child: ChildProcess | null = null;
let t: TempRepo | null = null;
afterEach(async () => {
  child?.kill('SIGKILL');
  child = null;
  await t?.cleanup();
  t = null;
});

/** Run the child's prune step by step; SIGKILL it right after the event `killAt` picks. Resolves once it is dead. */
function pruneUntilKilled(dir: string, killAt: (p: BackupProgress) => boolean): Promise<BackupProgress> {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, dir], { stdio: ['pipe', 'pipe', 'pipe'] });
  child = proc;
  return new Promise((resolve, reject) => {
    let buffered = '';
    let err = '';
    let killedAt: BackupProgress | null = null;
    proc.stderr!.on('data', (d) => (err += d));
    proc.stdout!.on('data', (d) => {
      buffered += d;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const event = JSON.parse(line) as BackupProgress | { done: true };
        if (event.done === true) return reject(new Error('the prune finished before the kill point'));
        if (!killedAt && killAt(event as BackupProgress)) {
          killedAt = event as BackupProgress;
          proc.kill('SIGKILL');
        } else if (!killedAt) proc.stdin!.write('g');
      }
    });
    proc.on('exit', (code, signal) => {
      if (killedAt && signal === 'SIGKILL') resolve(killedAt);
      else reject(new Error(`prune child exited (${code ?? signal}) before the kill point: ${err}`));
    });
  });
}

const counter = (message: string, n: number) => {
  let seen = 0;
  return (p: BackupProgress) => p.message?.startsWith(message) === true && ++seen === n;
};

it.each([
  { at: 'after the new index is written', killAt: counter('new index written', 1) },
  { at: 'between old index deletions', killAt: counter('old index files removed', 2) },
  { at: 'between chunk deletions', killAt: counter('unreferenced chunks removed', 3) },
])('killed $at: verify passes, the next backup and a full verify pass, the next prune finishes', async ({ killAt }) => {
  t = await tempRepo();
  const base = pieces('base', 6);
  const snaps = [];
  for (let i = 0; i < 4; i++) {
    snaps.push(await writeTestSnapshot(t.repo, { 'db/torsh.db': Buffer.concat([base, pieces(`own-${i}`, 2)]) }, { time: T0 + i * 1000 }));
  }
  const orphanWriter = t.repo.openChunkWriter(await t.repo.loadIndex());
  for (let i = 0; i < ORPHANS; i++) await orphanWriter.add(pieces(`orphan-${i}`, 1));
  await orphanWriter.abort();
  await forgetSnapshots(t.repo, [snaps[0].id, snaps[1].id]);
  const referenced = 6 + 2 + 2;
  const before = await dataUsage(t.dir);
  expect(before.files).toBe(6 + 4 * 2 + ORPHANS);

  await pruneUntilKilled(t.dir, killAt);
  child = null;
  const mid = (await dataUsage(t.dir)).files;
  expect(mid).toBeGreaterThan(referenced); // killed before it could finish
  expect(await readdir(path.join(t.dir, 'locks'))).toHaveLength(1); // the dead prune's lock stays behind

  // A lock of a dead process on this host is stale: verify, backup and prune go ahead.
  expect(await verifyRepository(t.repo, { readData: true })).toMatchObject({ ok: true, damaged: [], damagedFiles: [] });
  const next = await writeTestSnapshot(t.repo, { 'db/torsh.db': Buffer.concat([base, pieces('own-0', 2), pieces('new', 1)]) }, { time: T0 + 10_000 });
  expect(next.stats.newChunks).toBeLessThanOrEqual(3);
  expect(await verifyRepository(t.repo, { readData: true })).toMatchObject({ ok: true, snapshots: 3 });
  for (const f of next.files) for (const c of f.chunks) await t.repo.readChunk(c);

  await pruneRepository(t.repo);
  expect((await dataUsage(t.dir)).files).toBe(referenced + 3);
  expect((await t.repo.loadIndex()).count).toBe(referenced + 3);
  expect(await verifyRepository(t.repo, { readData: true })).toMatchObject({ ok: true });
}, 60_000);
