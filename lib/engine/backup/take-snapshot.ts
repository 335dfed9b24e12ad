import os from 'node:os';
import { gearTable } from './chunking/fastcdc';
import { newSnapshotId } from './repo/snapshot-files';
import type { StoreContext } from './store-file';
import { SNAPSHOT_VERSION, type BackupRepository, type ChunkIndex, type OnProgress, type RecoveryPoint, type Snapshot, type SnapshotFile, type SnapshotKind } from './types';

export type SnapshotOptions = {
  tags?: string[];
  description?: string | null;
  recoveryPoint?: RecoveryPoint | null;
  onProgress?: OnProgress;
  signal?: AbortSignal;
};

export type Producer = {
  ctx: StoreContext;
  index: ChunkIndex;
  /** Files already in the repository by content (sha256 and size), from every snapshot: their chunk lists are reused without reading the bytes. */
  known: Map<string, SnapshotFile>;
  /** Add to the bytes this run will read (progress total, reported at once). */
  expect(bytes: number): void;
};

const PROGRESS_EVERY = 8 * 1024 * 1024;

/**
 * The frame of every snapshot: the shared lock, one chunk writer over the index, progress,
 * then the snapshot file written only after the writer made every new chunk durable and
 * indexed. A failure or an abort leaves no snapshot; chunks already written stay unindexed
 * until prune removes them.
 */
export async function takeSnapshot(
  repo: BackupRepository,
  meta: { kind: SnapshotKind; source: string; time: number; package?: { name: string; version: string } | null },
  opts: SnapshotOptions,
  produce: (p: Producer) => Promise<SnapshotFile[]>,
): Promise<Snapshot> {
  const started = performance.now();
  const lock = await repo.lock('shared', `backup ${meta.kind}`);
  try {
    // A snapshot file that does not decrypt must not stop new backups (verify reports it): then
    // nothing is reused by content, and chunks still dedup against the index.
    const [index, earlier] = await Promise.all([repo.loadIndex(), repo.listSnapshots().catch(() => [])]);
    const known = new Map<string, SnapshotFile>();
    for (const s of earlier) {
      for (const f of s.files) {
        if (f.chunks.every((c) => index.has(c))) known.set(`${f.sha256}:${f.size}`, f);
      }
    }
    const writer = repo.openChunkWriter(index);
    let done = 0;
    let total = 0;
    let reported = 0;
    const report = (force = false) => {
      if (!opts.onProgress || (!force && done - reported < PROGRESS_EVERY)) return;
      reported = done;
      opts.onProgress({ done, total, message: `${meta.kind} snapshot` });
    };
    const ctx: StoreContext = {
      repo,
      writer,
      gear: gearTable(repo.key.chunkerKey),
      signal: opts.signal,
      onBytes: (n) => {
        done += n;
        report();
      },
    };
    let files: SnapshotFile[];
    let written: Awaited<ReturnType<typeof writer.finish>>;
    try {
      files = await produce({
        ctx,
        index,
        known,
        expect: (n) => {
          total += n;
          report(true);
        },
      });
      opts.signal?.throwIfAborted();
      written = await writer.finish();
    } catch (err) {
      await writer.abort().catch(() => {});
      throw err;
    }
    report(true);
    const unique = new Set<string>();
    for (const f of files) for (const c of f.chunks) unique.add(c);
    const snapshot: Snapshot = {
      version: SNAPSHOT_VERSION,
      id: newSnapshotId(),
      time: meta.time,
      host: os.hostname(),
      kind: meta.kind,
      tags: [...new Set(opts.tags ?? [])],
      description: opts.description ?? null,
      recoveryPoint: opts.recoveryPoint ?? null,
      package: meta.package ?? null,
      source: meta.source,
      files,
      stats: {
        logicalBytes: files.reduce((n, f) => n + f.size, 0),
        fileCount: files.length,
        uniqueChunks: unique.size,
        newChunks: written.newChunks,
        newBytes: written.newBytes,
        durationMs: Math.round(performance.now() - started),
      },
    };
    await repo.writeSnapshot(snapshot);
    return snapshot;
  } finally {
    await lock.release();
  }
}

/** A file already stored with the same content, under this snapshot's path; null when it must be read. */
export function reuse(known: Map<string, SnapshotFile>, path: string, sha256: string, size: number): SnapshotFile | null {
  const hit = known.get(`${sha256}:${size}`);
  return hit ? { path, size, chunks: hit.chunks, sha256 } : null;
}
