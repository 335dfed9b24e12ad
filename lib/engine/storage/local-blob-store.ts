import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, open, readdir, rename, rm, stat, unlink, utimes } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { AppError } from '../errors';
import { DIGEST_RE, type BlobInfo, type BlobStore, type ByteRange, type StageOptions, type StagedBlob } from './blob-store';
import { fsyncFile, hashFile, hashToFile } from './hash-to-file';

const TMP_DIR = '.tmp';
const READ_CHUNK = 1 << 20;

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

/**
 * Blobs on a local disk: `<root>/<aa>/<bb>/<sha256>`, written to `<root>/.tmp`, fsynced and
 * renamed into place (same filesystem, so the rename is atomic). A blob path either holds the
 * complete bytes or does not exist.
 */
export function createLocalBlobStore(root: string): BlobStore {
  const tmpRoot = path.join(root, TMP_DIR);
  const blobPath = (digest: string) => path.join(root, digest.slice(0, 2), digest.slice(2, 4), digest);
  let ready: Promise<void> | null = null;
  const ensureDirs = () => (ready ??= mkdir(tmpRoot, { recursive: true }).then(() => undefined));

  async function stage(body: Readable, opts: StageOptions = {}): Promise<StagedBlob> {
    await ensureDirs();
    const tmpPath = path.join(tmpRoot, `${randomUUID()}.part`);
    return finishStage(tmpPath, () => hashToFile(body, tmpPath, { maxBytes: opts.maxBytes, onChunk: opts.onChunk }), opts);
  }

  async function stageFile(filePath: string, opts: StageOptions = {}): Promise<StagedBlob> {
    await ensureDirs();
    const tmpPath = path.join(tmpRoot, `${randomUUID()}.part`);
    return finishStage(
      tmpPath,
      async () => {
        const info = await hashFile(filePath, { maxBytes: opts.maxBytes, onChunk: opts.onChunk });
        try {
          await rename(filePath, tmpPath);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
          await copyFile(filePath, tmpPath);
          await rm(filePath, { force: true });
        }
        return info;
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
      throw err;
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
        await synced;
        const dest = blobPath(info.digest);
        const dir = path.dirname(dest);
        await mkdir(dir, { recursive: true });
        // Same digest means same bytes: an existing blob is kept and the temp file dropped.
        const existing = await stat(dest).catch(() => null);
        if (existing) {
          // Refresh mtime so garbage collection's grace period covers the new reference.
          const now = new Date();
          await utimes(dest, now, now);
          await rm(tmpPath, { force: true });
        } else {
          await rename(tmpPath, dest);
          await fsyncDir(dir);
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
    async delete(digest: string) {
      assertDigest(digest);
      try {
        await unlink(blobPath(digest));
        return true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw err;
      }
    },
    async *list() {
      const shards = await readdir(root).catch(() => [] as string[]);
      for (const a of shards.sort()) {
        if (a === TMP_DIR || !/^[a-f0-9]{2}$/.test(a)) continue;
        for (const b of (await readdir(path.join(root, a))).sort()) {
          for (const name of (await readdir(path.join(root, a, b))).sort()) {
            if (!DIGEST_RE.test(name)) continue;
            const st = await stat(path.join(root, a, b, name));
            yield { digest: name, size: st.size, modifiedAt: st.mtimeMs };
          }
        }
      }
    },
    async sweepTemp(maxAgeMs: number) {
      await ensureDirs();
      const cutoff = Date.now() - maxAgeMs;
      let removed = 0;
      for (const name of await readdir(tmpRoot)) {
        const p = path.join(tmpRoot, name);
        const st = await stat(p).catch(() => null);
        if (st && st.mtimeMs <= cutoff) {
          await rm(p, { force: true });
          removed++;
        }
      }
      return removed;
    },
  };
}
