/**
 * Verify (issue 11 §5), under a shared lock (backups may run beside it; prune may not).
 * Structure: every snapshot and index file decrypts; every referenced chunk is indexed and stored
 * with the size the index says; the index names no chunk that is not stored (a backup would
 * dedup against it). Read-data: also read, decrypt, decompress and re-hash every referenced chunk.
 * The report names each damaged chunk with the snapshots and files that reference it.
 */
import { AppError } from '../errors';
import { referencedChunks } from './chunk-references';
import { listStoredChunks } from './prune';
import { forEachLimited, listIndexIds, readIndexFile } from './repo/chunk-index';
import { indexKey, snapshotKey } from './repo/layout';
import { listSnapshotIds, readSnapshotFile } from './repo/snapshot-files';
import type { BackupRepository, DamagedChunk, IndexEntry, OnProgress, Snapshot, VerifyReport } from './types';

const READ_CONCURRENCY = 4;

function isDamaged(err: unknown): boolean {
  return err instanceof AppError && err.code === 'BACKUP_CHUNK_DAMAGED';
}

export async function verifyRepository(
  repo: BackupRepository,
  opts: { readData: boolean; onProgress?: OnProgress; signal?: AbortSignal },
): Promise<VerifyReport> {
  const started = Date.now();
  const { onProgress, signal } = opts;
  signal?.throwIfAborted();
  const lock = await repo.lock('shared', opts.readData ? 'verify --read-data' : 'verify');
  try {
    onProgress?.({ done: 0, total: null, message: 'reading snapshots and indexes' });
    const damagedFiles: string[] = [];

    const snapshotIds = await listSnapshotIds(repo.backend);
    const snapshots: Snapshot[] = [];
    await forEachLimited(snapshotIds, 8, async (id) => {
      try {
        const s = await readSnapshotFile(repo.backend, repo.key.encKey, id);
        if (s) snapshots.push(s);
      } catch (err) {
        if (!isDamaged(err)) throw err;
        damagedFiles.push(snapshotKey(id));
      }
    });

    const indexed = new Map<string, IndexEntry>();
    await forEachLimited(await listIndexIds(repo.backend), 8, async (id) => {
      try {
        for (const [cid, e] of (await readIndexFile(repo.backend, repo.key.encKey, id)) ?? []) if (!indexed.has(cid)) indexed.set(cid, e);
      } catch (err) {
        if (!isDamaged(err)) throw err;
        damagedFiles.push(indexKey(id));
      }
    });
    signal?.throwIfAborted();
    const stored = await listStoredChunks(repo);
    const referenced = referencedChunks(snapshots);

    const problems = new Map<string, DamagedChunk['problem']>();
    for (const id of referenced) {
      const size = stored.get(id);
      const entry = indexed.get(id);
      if (size == null) problems.set(id, 'missing');
      else if (!entry) problems.set(id, 'unindexed');
      else if (entry.stored !== size) problems.set(id, 'corrupt');
    }
    // Indexed but gone, referenced or not: the next backup would reuse it without storing it.
    for (const id of indexed.keys()) if (!stored.has(id)) problems.set(id, 'missing');

    let bytesRead = 0;
    const toRead = opts.readData ? [...referenced].filter((id) => !problems.has(id)) : [];
    const total = toRead.length;
    let done = 0;
    onProgress?.({ done, total, message: opts.readData ? 'reading chunks' : 'structure checked' });
    await forEachLimited(toRead, READ_CONCURRENCY, async (id) => {
      signal?.throwIfAborted();
      try {
        await repo.readChunk(id);
        bytesRead += stored.get(id) ?? 0;
      } catch (err) {
        if (err instanceof AppError && err.code === 'BACKUP_CHUNK_MISSING') problems.set(id, 'missing');
        else if (isDamaged(err)) problems.set(id, 'corrupt');
        else throw err;
      }
      onProgress?.({ done: ++done, total, message: 'reading chunks' });
    });

    const damaged = new Map<string, DamagedChunk>();
    for (const [chunkId, problem] of [...problems].sort(([a], [b]) => (a < b ? -1 : 1))) {
      damaged.set(chunkId, { chunkId, problem, snapshots: [], files: [] });
    }
    for (const s of [...snapshots].sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : 1))) {
      for (const f of s.files) {
        for (const c of new Set(f.chunks)) {
          const d = damaged.get(c);
          if (!d) continue;
          if (!d.snapshots.includes(s.id)) d.snapshots.push(s.id);
          d.files.push({ snapshot: s.id, path: f.path });
        }
      }
    }
    damagedFiles.sort();
    return {
      mode: opts.readData ? 'read-data' : 'structure',
      ok: damaged.size === 0 && damagedFiles.length === 0,
      snapshots: snapshotIds.length,
      chunksChecked: referenced.size,
      bytesRead,
      damaged: [...damaged.values()],
      damagedFiles,
      durationMs: Date.now() - started,
    };
  } finally {
    await lock.release();
  }
}
