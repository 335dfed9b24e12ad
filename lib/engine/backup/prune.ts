/**
 * Prune (issue 11 §3): delete the chunks no snapshot references, under the exclusive lock.
 *
 * Order, so that a kill at any point leaves a consistent repository (docs/ARCHITECTURE.md,
 * "Backups: retention, prune, verify"): the rule is that an index never names a chunk that is not
 * stored (a backup would dedup against it and reference nothing).
 * 1. write ONE new index file naming the referenced chunks that are stored (durable);
 * 2. delete the old index files (the new one already names everything still needed);
 * 3. delete the unreferenced chunk objects, now named by no index (unindexed leftovers of killed
 *    backups, "orphans", go too).
 * Killed after 1 or during 2: two index files name some chunks twice (they count once). Killed
 * during 3: the chunks left are unindexed orphans that the next prune deletes.
 */
import { AppError } from '../errors';
import { referencedChunks } from './chunk-references';
import { forEachLimited, listIndexIds, readIndexFile, writeIndexFile } from './repo/chunk-index';
import { DATA_PREFIX, ID_RE, chunkKey, indexKey } from './repo/layout';
import type { BackupRepository, IndexEntry, OnProgress, PruneReport } from './types';

const DELETE_CONCURRENCY = 8;

/** Every chunk object stored under data/, with its size (one listing). */
export async function listStoredChunks(repo: BackupRepository): Promise<Map<string, number>> {
  const stored = new Map<string, number>();
  for await (const o of repo.backend.list(DATA_PREFIX)) {
    const id = o.key.slice(o.key.lastIndexOf('/') + 1);
    if (ID_RE.test(id) && o.key === chunkKey(id)) stored.set(id, o.size);
  }
  return stored;
}

export async function pruneRepository(repo: BackupRepository, opts: { onProgress?: OnProgress; signal?: AbortSignal } = {}): Promise<PruneReport> {
  const started = Date.now();
  const { onProgress, signal } = opts;
  signal?.throwIfAborted();
  const lock = await repo.lock('exclusive', 'prune');
  try {
    onProgress?.({ done: 0, total: null, message: 'reading snapshots and indexes' });
    // A snapshot that does not decrypt makes listSnapshots throw: prune must not guess what it references.
    const referenced = referencedChunks(await repo.listSnapshots());
    signal?.throwIfAborted();

    const oldIndexIds = await listIndexIds(repo.backend);
    const indexed = new Map<string, IndexEntry>();
    let damagedIndex = false;
    await forEachLimited(oldIndexIds, 8, async (id) => {
      try {
        for (const [cid, e] of (await readIndexFile(repo.backend, repo.key.encKey, id)) ?? []) if (!indexed.has(cid)) indexed.set(cid, e);
      } catch (err) {
        // A damaged index file is replaced like the others; the chunks it named are rebuilt from data/.
        if (!(err instanceof AppError && err.code === 'BACKUP_CHUNK_DAMAGED')) throw err;
        damagedIndex = true;
      }
    });
    const stored = await listStoredChunks(repo);
    signal?.throwIfAborted();

    const keep = new Map<string, IndexEntry>();
    let indexExact = !damagedIndex;
    for (const [id, size] of stored) {
      if (!referenced.has(id)) continue;
      let entry = indexed.get(id);
      if (!entry || entry.stored !== size) {
        indexExact = false;
        // Stored but not (correctly) indexed: learn its plaintext size; a chunk that does not read stays out of the index.
        const data = await repo.readChunk(id).catch(() => null);
        if (!data) continue;
        entry = { stored: size, raw: data.length };
      }
      keep.set(id, entry);
    }
    for (const id of indexed.keys()) if (!keep.has(id)) indexExact = false;
    const remove = [...stored.keys()].filter((id) => !referenced.has(id));
    const orphanChunks = remove.filter((id) => !indexed.has(id)).length;
    const freedBytes = remove.reduce((sum, id) => sum + stored.get(id)!, 0);

    const rewrite = !(indexExact && oldIndexIds.length <= 1 && remove.length === 0);
    const total = (rewrite ? 1 + oldIndexIds.length : 0) + remove.length;
    let done = 0;
    if (rewrite) {
      signal?.throwIfAborted();
      if (keep.size > 0) await writeIndexFile(repo.backend, repo.key.encKey, keep.entries());
      onProgress?.({ done: ++done, total, message: `new index written (${keep.size} chunks)` });
      for (const id of oldIndexIds) {
        signal?.throwIfAborted();
        await repo.backend.delete(indexKey(id));
        onProgress?.({ done: ++done, total, message: 'old index files removed' });
      }
      await repo.backend.flush();
    }
    await forEachLimited(remove, DELETE_CONCURRENCY, async (id) => {
      signal?.throwIfAborted();
      await repo.backend.delete(chunkKey(id));
      onProgress?.({ done: ++done, total, message: 'unreferenced chunks removed' });
    });
    await repo.backend.flush();
    return {
      removedChunks: remove.length,
      freedBytes,
      orphanChunks,
      indexFilesRewritten: rewrite ? oldIndexIds.length : 0,
      durationMs: Date.now() - started,
    };
  } finally {
    await lock.release();
  }
}
