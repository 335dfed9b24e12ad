import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors';
import { DIGEST_RE, type BlobStore, type ByteRange } from './blob-store';
import { fsyncFile } from './hash-to-file';
import { createTempStager, unlinkUnlessKept, type WriteStreamFactory } from './temp-staging';

export { fileWriteStream, type WriteStreamFactory } from './temp-staging';

const TMP_DIR = '.tmp';
const READ_CHUNK = 1 << 20;

function assertDigest(digest: string): void {
  if (!DIGEST_RE.test(digest)) throw new AppError('INVALID_INPUT', `not a sha256 hex digest: ${digest}`);
}

export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** mkdir -p whose new directories survive a power loss (each new entry's parent is synced). */
export async function makeDurableDir(dir: string): Promise<void> {
  const first = await mkdir(dir, { recursive: true });
  if (first === undefined) return;
  for (let d = dir; ; d = path.dirname(d)) {
    await fsyncDir(path.dirname(d));
    if (d === first) return;
  }
}

export type LocalBlobStoreOptions = { writeStream?: WriteStreamFactory };

/**
 * Blobs on a local disk: `<root>/<aa>/<bb>/<sha256>`, written to `<root>/.tmp`, fsynced and
 * renamed into place (same filesystem, so the rename is atomic). A blob path either holds the
 * complete bytes or does not exist.
 */
export function createLocalBlobStore(root: string, options: LocalBlobStoreOptions = {}): BlobStore {
  const tmpRoot = path.join(root, TMP_DIR);
  const blobPath = (digest: string) => path.join(root, digest.slice(0, 2), digest.slice(2, 4), digest);
  const stager = createTempStager(tmpRoot, {
    writeStream: options.writeStream,
    // The flush to disk runs while the caller validates the staged file; commit waits for it.
    prepare: fsyncFile,
    commitConsumes: true,
    async commit(tmpPath, info) {
      const dest = blobPath(info.digest);
      await makeDurableDir(path.dirname(dest));
      // Same digest, same bytes: replacing a blob already there is harmless, and afterwards
      // the blob exists whatever became of the old file.
      await rename(tmpPath, dest);
      await fsyncDir(path.dirname(dest));
    },
  });

  return {
    kind: 'local',
    stage: stager.stage,
    stageFile: stager.stageFile,
    stageCopy: stager.stageCopy,
    localPath: (digest) => {
      assertDigest(digest);
      return blobPath(digest);
    },
    sweepTemp: stager.sweepTemp,
    async put(body, opts) {
      const staged = await stager.stage(body, opts);
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
  };
}
