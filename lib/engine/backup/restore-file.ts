import { randomBytes, createHash } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors';
import { fsyncDir, makeDurableDir } from '../storage/local-blob-store';
import type { BackupRepository, SnapshotFile } from './types';

/**
 * Bytes (in average-size chunks) read, decrypted and checked ahead of the one being written:
 * with RESTORE_FILES_AT_ONCE files restoring together, about 64 MiB in flight.
 */
const READ_AHEAD_BYTES = 16 * 1024 * 1024;
/** Files a registry restore writes at once: their reads, unpacking and fsyncs overlap. */
export const RESTORE_FILES_AT_ONCE = 4;

export type ReadFileOptions = { signal?: AbortSignal; onBytes?: (n: number) => void };

/**
 * A snapshot file's bytes, chunk by chunk, read a few chunks ahead. Each chunk is checked
 * against its keyed id by readChunk; the whole file against its size and sha256 at the end,
 * so a consumer that commits only after the last piece never keeps damaged bytes.
 */
export async function* readSnapshotFile(repo: BackupRepository, file: SnapshotFile, opts: ReadFileOptions = {}): AsyncGenerator<Buffer> {
  const hash = createHash('sha256');
  let size = 0;
  const ahead: Promise<Buffer>[] = [];
  const depth = Math.max(4, Math.floor(READ_AHEAD_BYTES / repo.config.chunker.avgSize));
  let next = 0;
  const fill = () => {
    while (ahead.length < depth && next < file.chunks.length) {
      const p = repo.readChunk(file.chunks[next++]);
      // Rejections are observed when awaited; do not let a prefetched one go unhandled meanwhile.
      p.catch(() => {});
      ahead.push(p);
    }
  };
  fill();
  while (ahead.length > 0) {
    opts.signal?.throwIfAborted();
    const data = await ahead.shift()!;
    fill();
    hash.update(data);
    size += data.length;
    opts.onBytes?.(data.length);
    yield data;
  }
  const sha = hash.digest('hex');
  if (size !== file.size || sha !== file.sha256) {
    throw new AppError('BACKUP_CHUNK_DAMAGED', `${file.path}: restored ${size} bytes with sha256 ${sha}, the snapshot recorded ${file.size} bytes with ${file.sha256}`);
  }
}

/**
 * Restore one snapshot file to `dest`: written under a temp name beside it, checked, fsynced,
 * then renamed, so `dest` either does not exist or holds the complete, verified bytes.
 */
export async function restoreFileTo(repo: BackupRepository, file: SnapshotFile, dest: string, opts: ReadFileOptions & { mode?: number } = {}): Promise<void> {
  await makeDurableDir(path.dirname(dest));
  const tmp = `${dest}.restore-${randomBytes(6).toString('hex')}`;
  const fh = await open(tmp, 'wx', opts.mode ?? 0o644);
  let done = false;
  try {
    let position = 0;
    for await (const data of readSnapshotFile(repo, file, opts)) {
      await fh.write(data, 0, data.length, position);
      position += data.length;
    }
    await fh.sync();
    await fh.close();
    await rename(tmp, dest);
    await fsyncDir(path.dirname(dest));
    done = true;
  } finally {
    if (!done) {
      await fh.close().catch(() => {});
      await rm(tmp, { force: true });
    }
  }
}
