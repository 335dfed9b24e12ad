import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors';
import { createLocalBlobStore } from '../storage/local-blob-store';
import { REGISTRY_FILES } from './create-snapshot';
import { RESTORE_FILES_AT_ONCE, restoreFileTo } from './restore-file';
import type { BackupRepository, OnProgress, Snapshot } from './types';

const BLOB_PREFIX = 'blobs/';
const PROGRESS_EVERY = 8 * 1024 * 1024;

async function assertEmptyTarget(dir: string): Promise<void> {
  const entries = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    if (err.code === 'ENOTDIR') throw new AppError('BACKUP_RESTORE_TARGET_NOT_EMPTY', `${dir} is a file, not a directory`);
    throw err;
  });
  if (entries.length > 0) throw new AppError('BACKUP_RESTORE_TARGET_NOT_EMPTY', `${dir} is not empty: restore into a new, empty data directory`);
}

/** A registry snapshot by id or prefix; a package snapshot is refused (restore it with restorePackage). */
export async function readRegistrySnapshot(repo: BackupRepository, idOrPrefix: string): Promise<Snapshot> {
  const snapshot = await repo.readSnapshot(idOrPrefix);
  if (snapshot.kind !== 'registry') {
    throw new AppError('INVALID_INPUT', `snapshot ${snapshot.id.slice(0, 8)} is a package snapshot (${snapshot.package?.name}@${snapshot.package?.version}): restore it into a registry as a package`);
  }
  return snapshot;
}

/**
 * Restore a registry snapshot into a new, empty data directory that `torsh serve` can start on:
 * blobs into `<to>/blobs` (the local store's layout; RESTORE_FILES_AT_ONCE at a time, each one
 * hashed while written and renamed into place, fsynced, only when it matches its digest), the registry key (0600), the settings the snapshot kept
 * (`<to>/config/settings.json`, for reference: secrets were never backed up), and the database
 * last, so a directory left by an interrupted restore has no database and does not pass for a
 * registry. Every file is checked against the sha256 the snapshot recorded.
 */
export async function restoreRegistry(
  repo: BackupRepository,
  snapshotIdOrPrefix: string,
  toDir: string,
  opts: { onProgress?: OnProgress; signal?: AbortSignal } = {},
): Promise<{ snapshot: string; files: number; bytes: number }> {
  const to = path.resolve(toDir);
  const lock = await repo.lock('shared', 'restore');
  try {
    const snapshot = await readRegistrySnapshot(repo, snapshotIdOrPrefix);
    await assertEmptyTarget(to);
    await mkdir(to, { recursive: true, mode: 0o750 });
    const total = snapshot.stats.logicalBytes;
    let done = 0;
    let reported = 0;
    const onBytes = (n: number) => {
      done += n;
      if (opts.onProgress && done - reported >= PROGRESS_EVERY) {
        reported = done;
        opts.onProgress({ done, total, message: 'restoring' });
      }
    };
    const read = { signal: opts.signal, onBytes };
    const blobs = createLocalBlobStore(path.join(to, 'blobs'));
    const rest = snapshot.files.filter((f) => !f.path.startsWith(BLOB_PREFIX));
    // Straight to each blob's path: restoreFileTo checks size and sha256 (the blob's digest) before the rename.
    const queue = snapshot.files.filter((f) => f.path.startsWith(BLOB_PREFIX));
    const worker = async () => {
      try {
        for (let f = queue.shift(); f; f = queue.shift()) {
          await restoreFileTo(repo, f, blobs.localPath!(f.path.slice(BLOB_PREFIX.length)), read);
        }
      } catch (err) {
        queue.length = 0;
        throw err;
      }
    };
    // A failure stops the others taking new files; every worker settles (its temp file removed) before it surfaces.
    const settled = await Promise.allSettled(Array.from({ length: RESTORE_FILES_AT_ONCE }, worker));
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    const db = rest.find((f) => f.path === REGISTRY_FILES.db);
    if (!db) throw new AppError('BACKUP_CHUNK_DAMAGED', `snapshot ${snapshot.id.slice(0, 8)} has no ${REGISTRY_FILES.db}`);
    for (const f of rest) {
      if (f === db) continue;
      if (f.path === REGISTRY_FILES.key) {
        await mkdir(path.join(to, 'keys'), { recursive: true, mode: 0o700 });
        await restoreFileTo(repo, f, path.join(to, REGISTRY_FILES.key), { ...read, mode: 0o600 });
      } else if (f.path === REGISTRY_FILES.settings) {
        await restoreFileTo(repo, f, path.join(to, REGISTRY_FILES.settings), read);
      }
    }
    await restoreFileTo(repo, db, path.join(to, 'torsh.db'), { ...read, mode: 0o600 });
    opts.onProgress?.({ done, total, message: 'restored' });
    return { snapshot: snapshot.id, files: snapshot.files.length, bytes: done };
  } finally {
    await lock.release();
  }
}
