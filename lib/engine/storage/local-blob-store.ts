import { randomUUID } from 'node:crypto';
import { createReadStream, unlinkSync } from 'node:fs';
import { link, mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { AppError } from '../errors';
import { DIGEST_RE, type BlobInfo, type BlobStore, type ByteRange, type StageOptions, type StagedBlob } from './blob-store';
import { fsyncFile, hashFile, hashToFile } from './hash-to-file';
import { storageError } from './out-of-space';

const TMP_DIR = '.tmp';
const READ_CHUNK = 1 << 20;
/** link() fails with these where hard links cannot be made: the file is copied instead. */
const NO_LINK = new Set(['EXDEV', 'EPERM', 'ENOTSUP', 'EOPNOTSUPP']);

function assertDigest(digest: string): void {
  if (!DIGEST_RE.test(digest)) throw new AppError('INVALID_INPUT', `not a sha256 hex digest: ${digest}`);
}

async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** mkdir -p whose new directories survive a power loss (each new entry's parent is synced). */
async function makeDurableDir(dir: string): Promise<void> {
  const first = await mkdir(dir, { recursive: true });
  if (first === undefined) return;
  for (let d = dir; ; d = path.dirname(d)) {
    await fsyncDir(path.dirname(d));
    if (d === first) return;
  }
}

/** Remove a file unless keep() says otherwise, in one synchronous step; false when kept or absent. */
function unlinkUnlessKept(file: string, keep?: () => boolean): boolean {
  if (keep?.()) return false;
  try {
    unlinkSync(file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/** How bytes are written into an open file from a position (tests inject a disk that fills up). */
export type WriteStreamFactory = (file: FileHandle, start: number) => Writable;

export const fileWriteStream: WriteStreamFactory = (file, start) => file.createWriteStream({ start, highWaterMark: READ_CHUNK });

export type LocalBlobStoreOptions = { writeStream?: WriteStreamFactory };

/**
 * Blobs on a local disk: `<root>/<aa>/<bb>/<sha256>`, written to `<root>/.tmp`, fsynced and
 * renamed into place (same filesystem, so the rename is atomic). A blob path either holds the
 * complete bytes or does not exist.
 */
export function createLocalBlobStore(root: string, options: LocalBlobStoreOptions = {}): BlobStore {
  const writeStream = options.writeStream ?? fileWriteStream;
  const tmpRoot = path.join(root, TMP_DIR);
  const blobPath = (digest: string) => path.join(root, digest.slice(0, 2), digest.slice(2, 4), digest);
  let ready: Promise<void> | null = null;
  const ensureDirs = () => (ready ??= mkdir(tmpRoot, { recursive: true }).then(() => undefined));

  function newTempPath(opts: StageOptions): string {
    const tmpPath = path.join(tmpRoot, `${randomUUID()}.part`);
    opts.onTempPath?.(tmpPath);
    return tmpPath;
  }

  /** Stream into a new temp file, created before the first byte is read. */
  async function writeTemp(tmpPath: string, body: Readable, opts: StageOptions): Promise<BlobInfo> {
    const file = await open(tmpPath, 'wx', 0o600);
    return hashToFile(body, writeStream(file, 0), { maxBytes: opts.maxBytes, onChunk: opts.onChunk });
  }

  async function stage(body: Readable, opts: StageOptions = {}): Promise<StagedBlob> {
    await ensureDirs();
    const tmpPath = newTempPath(opts);
    return finishStage(tmpPath, () => writeTemp(tmpPath, body, opts), opts);
  }

  async function stageFile(filePath: string, opts: StageOptions = {}): Promise<StagedBlob> {
    await ensureDirs();
    const tmpPath = newTempPath(opts);
    return finishStage(
      tmpPath,
      async () => {
        try {
          await link(filePath, tmpPath);
        } catch (err) {
          if (!NO_LINK.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
          // Another filesystem: copy while hashing, still one pass over the bytes.
          return writeTemp(tmpPath, createReadStream(filePath, { highWaterMark: READ_CHUNK }), opts);
        }
        return hashFile(tmpPath, { maxBytes: opts.maxBytes, onChunk: opts.onChunk });
      },
      opts,
    );
  }

  async function finishStage(tmpPath: string, write: () => Promise<BlobInfo>, opts: StageOptions): Promise<StagedBlob> {
    let info: BlobInfo;
    try {
      info = await write();
      if (opts.expectedSize !== undefined && info.size !== opts.expectedSize) {
        throw new AppError(
          'UPLOAD_ABORTED',
          `upload ended after ${info.size} of ${opts.expectedSize} announced bytes`,
          { received: info.size, expected: opts.expectedSize },
        );
      }
      if (opts.expectedDigest !== undefined && info.digest !== opts.expectedDigest) {
        throw new AppError('DIGEST_MISMATCH', `bytes hash to sha256:${info.digest}, expected sha256:${opts.expectedDigest}`);
      }
    } catch (err) {
      await rm(tmpPath, { force: true });
      throw storageError(err);
    }
    // The flush to disk runs while the caller validates the staged file; commit waits for it.
    const synced = fsyncFile(tmpPath);
    synced.catch(() => {});
    let settled = false;
    return {
      ...info,
      path: tmpPath,
      async commit() {
        if (settled) return;
        try {
          await synced;
          const dest = blobPath(info.digest);
          await makeDurableDir(path.dirname(dest));
          // Same digest, same bytes: replacing a blob already there is harmless, and afterwards
          // the blob exists whatever became of the old file.
          await rename(tmpPath, dest);
          await fsyncDir(path.dirname(dest));
        } catch (err) {
          throw storageError(err);
        }
        settled = true;
      },
      async discard() {
        if (settled) return;
        settled = true;
        await synced.catch(() => {});
        await rm(tmpPath, { force: true });
      },
    };
  }

  return {
    kind: 'local',
    stage,
    stageFile,
    async put(body, opts) {
      const staged = await stage(body, opts);
      await staged.commit();
      return { digest: staged.digest, size: staged.size };
    },
    async get(digest: string, range?: ByteRange) {
      assertDigest(digest);
      const p = blobPath(digest);
      const st = await stat(p).catch(() => null);
      if (!st) throw new AppError('BLOB_NOT_FOUND', `blob sha256:${digest} is not in the store`);
      if (range && (range.start < 0 || range.end < range.start || range.end >= st.size)) {
        throw new AppError('RANGE_NOT_SATISFIABLE', `range ${range.start}-${range.end} is outside 0-${st.size - 1}`);
      }
      return createReadStream(p, { highWaterMark: READ_CHUNK, ...(range ?? {}) });
    },
    async stat(digest: string) {
      assertDigest(digest);
      const st = await stat(blobPath(digest)).catch(() => null);
      return st ? { digest, size: st.size } : null;
    },
    async delete(digest: string, keep?: () => boolean) {
      assertDigest(digest);
      return unlinkUnlessKept(blobPath(digest), keep);
    },
    async *list() {
      const shards = await readdir(root).catch(() => [] as string[]);
      for (const a of shards.sort()) {
        if (a === TMP_DIR || !/^[a-f0-9]{2}$/.test(a)) continue;
        for (const b of (await readdir(path.join(root, a))).sort()) {
          for (const name of (await readdir(path.join(root, a, b))).sort()) {
            if (!DIGEST_RE.test(name)) continue;
            const st = await stat(path.join(root, a, b, name)).catch(() => null);
            if (st) yield { digest: name, size: st.size };
          }
        }
      }
    },
    async sweepTemp({ olderThan, keep }) {
      await ensureDirs();
      let removed = 0;
      for (const name of await readdir(tmpRoot)) {
        const p = path.join(tmpRoot, name);
        const st = await stat(p).catch(() => null);
        if (st && st.mtimeMs < olderThan && unlinkUnlessKept(p, keep && (() => keep(p)))) removed++;
      }
      return removed;
    },
  };
}
