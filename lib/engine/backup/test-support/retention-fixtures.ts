/** Repositories with hand-made snapshots for the retention, prune and verify tests (no registry needed). */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLocalRepoBackend } from '../repo/local-backend';
import { initRepository } from '../repo/repository';
import { newSnapshotId } from '../repo/snapshot-files';
import { SNAPSHOT_VERSION, type BackupRepository, type RecoveryPoint, type Snapshot } from '../types';

export const PASSWORD = 'correct horse battery staple';
/** Files are cut in fixed pieces of this size: enough to share and not share chunks on purpose. */
export const PIECE = 16 * 1024;

export type TempRepo = { dir: string; repo: BackupRepository; cleanup(): Promise<void> };

export async function tempRepo(): Promise<TempRepo> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'torsh-backup-b4-'));
  const repo = await initRepository(createLocalRepoBackend(dir), PASSWORD);
  return { dir, repo, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** `n` pieces of deterministic, incompressible bytes; the same seed gives the same pieces. */
export function pieces(seed: string, n: number): Buffer {
  const out: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const piece = Buffer.alloc(PIECE);
    for (let off = 0; off < PIECE; off += 32) createHash('sha256').update(`${seed}/${i}/${off}`).digest().copy(piece, off);
    out.push(piece);
  }
  return Buffer.concat(out);
}

type SnapshotOpts = {
  time: number;
  tags?: string[];
  recoveryPoint?: RecoveryPoint | null;
  package?: { name: string; version: string } | null;
};

/** Store the files (cut every PIECE bytes) and write a snapshot naming them, as a backup would. */
export async function writeTestSnapshot(repo: BackupRepository, files: Record<string, Buffer>, opts: SnapshotOpts): Promise<Snapshot> {
  const lock = await repo.lock('shared', 'backup');
  try {
    const writer = repo.openChunkWriter(await repo.loadIndex());
    const out: Snapshot['files'] = [];
    let logicalBytes = 0;
    const unique = new Set<string>();
    for (const [p, data] of Object.entries(files)) {
      const chunks: string[] = [];
      for (let off = 0; off < data.length; off += PIECE) {
        const { id } = await writer.add(data.subarray(off, off + PIECE));
        chunks.push(id);
        unique.add(id);
      }
      out.push({ path: p, size: data.length, chunks, sha256: createHash('sha256').update(data).digest('hex') });
      logicalBytes += data.length;
    }
    const { newChunks, newBytes } = await writer.finish();
    const snapshot: Snapshot = {
      version: SNAPSHOT_VERSION,
      id: newSnapshotId(),
      time: opts.time,
      host: 'test',
      kind: opts.package ? 'package' : 'registry',
      tags: opts.tags ?? [],
      description: null,
      recoveryPoint: opts.recoveryPoint ?? null,
      package: opts.package ?? null,
      source: '/test',
      files: out,
      stats: { logicalBytes, fileCount: out.length, uniqueChunks: unique.size, newChunks, newBytes, durationMs: 0 },
    };
    await repo.writeSnapshot(snapshot);
    return snapshot;
  } finally {
    await lock.release();
  }
}

/** Bytes and count of the chunk objects under `<dir>/data`. */
export async function dataUsage(dir: string): Promise<{ bytes: number; files: number }> {
  let bytes = 0;
  let files = 0;
  const root = path.join(dir, 'data');
  for (const sub of await readdir(root).catch(() => [] as string[])) {
    for (const name of await readdir(path.join(root, sub))) {
      bytes += (await stat(path.join(root, sub, name))).size;
      files++;
    }
  }
  return { bytes, files };
}
