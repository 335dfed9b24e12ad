import { randomUUID } from 'node:crypto';
import { constants as fsConstants, createReadStream, unlinkSync } from 'node:fs';
import { copyFile, link, mkdir, open, readdir, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { AppError } from '../errors';
import type { BlobInfo, StageOptions, StagedBlob } from './blob-store';
import { hashFile, hashToFile } from './hash-to-file';
import { storageError } from './out-of-space';

const READ_CHUNK = 1 << 20;
/** link() fails with these where hard links cannot be made: the file is copied instead. */
const NO_LINK = new Set(['EXDEV', 'EPERM', 'ENOTSUP', 'EOPNOTSUPP']);

/** Where object stores stage bytes before upload (and callers validate packages): local, temporary. */
export function stagingDir(dataDir: string): string {
  return path.join(path.resolve(dataDir), 'tmp', 'blob-staging');
}

/** How bytes are written into an open file from a position (tests inject a disk that fills up). */
export type WriteStreamFactory = (file: FileHandle, start: number) => Writable;

export const fileWriteStream: WriteStreamFactory = (file, start) => file.createWriteStream({ start, highWaterMark: READ_CHUNK });

/** Remove a file unless keep() says otherwise, in one synchronous step; false when kept or absent. */
export function unlinkUnlessKept(file: string, keep?: () => boolean): boolean {
  if (keep?.()) return false;
  try {
    unlinkSync(file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

export type StagerOptions = {
  /**
   * Started as soon as the temp file is written and verified, awaited before commit (the local
   * store's fsync, which so overlaps with the caller validating the staged file).
   */
  prepare?: (tmpPath: string) => Promise<void>;
  /** Put the verified temp file where the blob lives (rename it, or upload it). */
  commit: (tmpPath: string, info: BlobInfo) => Promise<void>;
  /** commit() moved the file away (a rename): nothing is left to remove afterwards. */
  commitConsumes?: boolean;
  writeStream?: WriteStreamFactory;
};

/**
 * The one staging mechanism of every BlobStore: bytes are hashed into a private temp file under
 * `tempDir` (callers read `path`, e.g. to validate a package) and checked against the announced
 * size and digest; commit() hands the file to the store (a rename on local disk, an upload to S3
 * or Azure Blob). Memory stays bounded: the file, not the body, is moved or uploaded.
 */
export function createTempStager(tempDir: string, opts: StagerOptions) {
  const writeStream = opts.writeStream ?? fileWriteStream;
  let ready: Promise<void> | null = null;
  // A failed mkdir is not remembered: a folder that becomes writable again (a node's disk) works again.
  const ensureDir = () =>
    (ready ??= mkdir(tempDir, { recursive: true }).then(
      () => undefined,
      (err) => {
        ready = null;
        throw err;
      },
    ));

  function newTempPath(o: StageOptions): string {
    const tmpPath = path.join(tempDir, `${randomUUID()}.part`);
    o.onTempPath?.(tmpPath);
    return tmpPath;
  }

  /** Stream into a new temp file, created before the first byte is read. */
  async function writeTemp(tmpPath: string, body: Readable, o: StageOptions): Promise<BlobInfo> {
    const file = await open(tmpPath, 'wx', 0o600).catch(async (err) => {
      // The temp folder went away since it was made (a node's folder emptied and restored): make it again.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      ready = null;
      await ensureDir();
      return open(tmpPath, 'wx', 0o600);
    });
    const info = await hashToFile(body, writeStream(file, 0), { maxBytes: o.maxBytes, onChunk: o.onChunk, skipHash: o.verifiedBy === 'caller' });
    return o.verifiedBy === 'caller' ? { ...info, digest: o.expectedDigest! } : info;
  }

  async function finish(tmpPath: string, write: () => Promise<BlobInfo>, o: StageOptions): Promise<StagedBlob> {
    let info: BlobInfo;
    try {
      info = await write();
      if (o.expectedSize !== undefined && info.size !== o.expectedSize) {
        throw new AppError('UPLOAD_ABORTED', `upload ended after ${info.size} of ${o.expectedSize} announced bytes`, {
          received: info.size,
          expected: o.expectedSize,
        });
      }
      if (o.expectedDigest !== undefined && info.digest !== o.expectedDigest) {
        throw new AppError('DIGEST_MISMATCH', `bytes hash to sha256:${info.digest}, expected sha256:${o.expectedDigest}`);
      }
    } catch (err) {
      await rm(tmpPath, { force: true });
      throw storageError(err);
    }
    const prepared = opts.prepare ? opts.prepare(tmpPath) : Promise.resolve();
    prepared.catch(() => {});
    let settled = false;
    return {
      ...info,
      path: tmpPath,
      async commit() {
        if (settled) return;
        try {
          await prepared;
          await opts.commit(tmpPath, info);
        } catch (err) {
          throw storageError(err);
        }
        settled = true;
        if (!opts.commitConsumes) await rm(tmpPath, { force: true });
      },
      async discard() {
        if (settled) return;
        settled = true;
        await prepared.catch(() => {});
        await rm(tmpPath, { force: true });
      },
    };
  }

  return {
    async stage(body: Readable, o: StageOptions = {}): Promise<StagedBlob> {
      if (o.verifiedBy === 'caller' && (o.expectedDigest === undefined || o.expectedSize === undefined)) {
        throw new Error("stage({ verifiedBy: 'caller' }) needs expectedDigest and expectedSize");
      }
      await ensureDir();
      const tmpPath = newTempPath(o);
      return finish(tmpPath, () => writeTemp(tmpPath, body, o), o);
    },
    async stageFile(filePath: string, o: StageOptions = {}): Promise<StagedBlob> {
      if (o.verifiedBy === 'caller') throw new Error("stageFile() always hashes: verifiedBy 'caller' is for stage()");
      await ensureDir();
      const tmpPath = newTempPath(o);
      return finish(
        tmpPath,
        async () => {
          try {
            await link(filePath, tmpPath);
          } catch (err) {
            if (!NO_LINK.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
            // Another filesystem: copy while hashing, still one pass over the bytes.
            return writeTemp(tmpPath, createReadStream(filePath, { highWaterMark: READ_CHUNK }), o);
          }
          return hashFile(tmpPath, { maxBytes: o.maxBytes, onChunk: o.onChunk });
        },
        o,
      );
    },
    /** A kernel copy of a local file (no hashing: see BlobStore.stageCopy). */
    async stageCopy(srcPath: string, o: StageOptions & { expectedDigest: string; expectedSize: number }): Promise<StagedBlob> {
      await ensureDir();
      const tmpPath = newTempPath(o);
      return finish(
        tmpPath,
        async () => {
          await copyFile(srcPath, tmpPath, fsConstants.COPYFILE_EXCL);
          return { digest: o.expectedDigest, size: (await stat(tmpPath)).size };
        },
        o,
      );
    },
    async sweepTemp({ olderThan, keep }: { olderThan: number; keep?: (tempPath: string) => boolean }): Promise<number> {
      await ensureDir();
      let removed = 0;
      for (const name of await readdir(tempDir)) {
        const p = path.join(tempDir, name);
        const st = await stat(p).catch(() => null);
        if (st && st.mtimeMs < olderThan && unlinkUnlessKept(p, keep && (() => keep(p)))) removed++;
      }
      return removed;
    },
  };
}
