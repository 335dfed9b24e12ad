import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomFillSync } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SYSTEM } from '../actor';
import { tempEngine } from '../test-support/temp-engine';
import { publishSample } from '../test-support/registry-fixtures';
import { createRegistrySnapshot } from './create-snapshot';
import { readSnapshotFile } from './restore-file';
import { verifyRepository } from './verify';
import { tempBackupRepo } from './test-support/snapshot-repo';

const CHILD = path.join(__dirname, 'test-support', 'backup-child.ts');
const MiB = 1024 * 1024;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let engine: Awaited<ReturnType<typeof tempEngine>>;
let repo: Awaited<ReturnType<typeof tempBackupRepo>>;
let child: ChildProcess | null = null;
let scratch: string;

beforeAll(async () => {
  engine = await tempEngine();
  repo = await tempBackupRepo();
  scratch = await mkdtemp(path.join(os.tmpdir(), 'torsh-kill-backup-'));
  for (const [version, mib] of [['1.0.0', 40], ['2.0.0', 40]] as const) {
    await publishSample(engine, 'big', version, { actor: SYSTEM, dir: scratch, files: [{ path: 'models/model.bin', source: randomFillSync(Buffer.allocUnsafe(mib * MiB)) }] });
  }
});

afterAll(async () => {
  child?.kill('SIGKILL');
  await engine?.cleanup();
  await repo?.cleanup();
  await rm(scratch, { recursive: true, force: true });
});

async function chunkFiles(dir: string): Promise<number> {
  const entries = await readdir(path.join(dir, 'data'), { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).length;
}

it('SIGKILL mid-backup: the repository stays consistent, the next backup succeeds and every snapshot reads back', async () => {
  const before = await chunkFiles(repo.dir);
  child = spawn(process.execPath, ['--import', 'tsx', CHILD, repo.dir, engine.dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child!.once('exit', (code, signal) => resolve(signal ?? code)));
  // Killed once it has written some chunks of the first model, long before the 80 MiB are done.
  await expect.poll(() => chunkFiles(repo.dir), { timeout: 60_000, interval: 10 }).toBeGreaterThanOrEqual(before + 3);
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  expect(out).not.toMatch(/done /);
  child = null;
  expect(await repo.repo.listSnapshots()).toEqual([]);

  const snap = await createRegistrySnapshot(repo.repo, { dataDir: engine.dataDir, blobs: engine.blobs }, {});
  const snapshots = await repo.repo.listSnapshots();
  expect(snapshots.map((s) => s.id)).toEqual([snap.id]);
  // Every file reads back whole (readSnapshotFile checks each chunk's id and the file's sha256); blobs are their digest.
  for (const f of snap.files) {
    const bytes = await buffer(readSnapshotFile(repo.repo, f));
    expect(bytes.length).toBe(f.size);
    if (f.path.startsWith('blobs/')) expect(sha(bytes)).toBe(f.path.slice('blobs/'.length));
  }
  const report = await verifyRepository(repo.repo, { readData: true });
  expect(report).toMatchObject({ ok: true, damaged: [], damagedFiles: [] });
  // The killed backup's database copy is left in <data>/tmp until it is stale; its holds lapse on their own.
  expect((await readdir(path.join(engine.dataDir, 'tmp'))).filter((n) => n.startsWith('backup-')).length).toBeLessThanOrEqual(1);
}, 180_000);
