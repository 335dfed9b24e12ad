import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, unlinkSync } from 'node:fs';
import { link, mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { AppError } from '../errors';
import type { BlobInfo, StageOptions, StagedBlob } from './blob-store';
import { hashFile, hashToFile } from './hash-to-file';
import { storageError } from './out-of-space';

const READ_CHUNK = 1 << 20;

/** Where object stores stage bytes before upload (and callers validate packages): local, temporary. */
export function stagingDir(dataDir: string): string {
  return path.join(path.resolve(dataDir), 'tmp', 'blob-staging');
}
const NO_LINK = new Set(['EXDEV', 'EPERM', 'ENOTSUP', 'EOPNOTSUPP']);

/** Upload a verified temp file to where the blob lives; the file is removed afterwards by the stager. */
export type UploadStaged = (tmpPath: string, info: BlobInfo) => Promise<void>;

/**
 * Staging for stores whose blobs live elsewhere (S3, Azure Blob): bytes are hashed into a local
 * temp file under `tempDir` (callers read `path`, e.g. to validate a package), and commit()
 * uploads that file and removes it. Memory stays bounded: the file, not the body, is uploaded.
 */
export function createTempStager(tempDir: string, upload: UploadStaged) {
  let ready: Promise<void> | null = null;
  const ensureDir = () => (ready ??= mkdir(tempDir, { recursive: true }).then(() => undefined));

  function newTempPath(opts: StageOptions): string {
    const tmpPath = path.join(tempDir, `${randomUUID()}.part`);
    opts.onTempPath?.(tmpPath);
    return tmpPath;
  }

  const writeTemp = (tmpPath: string, body: Readable, opts: StageOptions) =>
    hashToFile(body, createWriteStream(tmpPath, { flags: 'wx', mode: 0o600, highWaterMark: READ_CHUNK }), {
      maxBytes: opts.maxBytes,
      onChunk: opts.onChunk,
    });

  async function finish(tmpPath: string, write: () => Promise<BlobInfo>, opts: StageOptions): Promise<StagedBlob> {
    let info: BlobInfo;
    try {
      info = await write();
      if (opts.expectedSize !== undefined && info.size !== opts.expectedSize) {
        throw new AppError('UPLOAD_ABORTED', `upload ended after ${info.size} of ${opts.expectedSize} announced bytes`, {
          received: info.size,
          expected: opts.expectedSize,
        });
      }
      if (opts.expectedDigest !== undefined && info.digest !== opts.expectedDigest) {
        throw new AppError('DIGEST_MISMATCH', `bytes hash to sha256:${info.digest}, expected sha256:${opts.expectedDigest}`);
      }
    } catch (err) {
      await rm(tmpPath, { force: true });
      throw storageError(err);
    }
    let settled = false;
    return {
      ...info,
      path: tmpPath,
      async commit() {
        if (settled) return;
        await upload(tmpPath, info);
        settled = true;
        await rm(tmpPath, { force: true });
      },
      async discard() {
        if (settled) return;
        settled = true;
        await rm(tmpPath, { force: true });
      },
    };
  }

  return {
    async stage(body: Readable, opts: StageOptions = {}): Promise<StagedBlob> {
      await ensureDir();
      const tmpPath = newTempPath(opts);
      return finish(tmpPath, () => writeTemp(tmpPath, body, opts), opts);
    },
    async stageFile(filePath: string, opts: StageOptions = {}): Promise<StagedBlob> {
      await ensureDir();
      const tmpPath = newTempPath(opts);
      return finish(
        tmpPath,
        async () => {
          try {
            await link(filePath, tmpPath);
          } catch (err) {
            if (!NO_LINK.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
            return writeTemp(tmpPath, createReadStream(filePath, { highWaterMark: READ_CHUNK }), opts);
          }
          return hashFile(tmpPath, { maxBytes: opts.maxBytes, onChunk: opts.onChunk });
        },
        opts,
      );
    },
    async sweepTemp({ olderThan, keep }: { olderThan: number; keep?: (tempPath: string) => boolean }): Promise<number> {
      await ensureDir();
      let removed = 0;
      for (const name of await readdir(tempDir)) {
        const p = path.join(tempDir, name);
        const st = await stat(p).catch(() => null);
        if (!st || st.mtimeMs >= olderThan || keep?.(p)) continue;
        try {
          unlinkSync(p);
          removed++;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        }
      }
      return removed;
    },
  };
}
