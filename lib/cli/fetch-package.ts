import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, rename, rm, stat, truncate, writeFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Config } from './config';
import { CliError, EXIT, NetworkError } from './exit-codes';
import { bareDigest, hashInto } from './hash-file';
import { enc, httpErrorFrom, isNetworkFailure, retryNotice, sendOnce, toNetworkError } from './http-client';
import { note } from './output';
import type { PackageCache } from './package-cache';
import { createProgress, type Progress } from './progress';
import { withRetries } from './retry';

export type FetchTarget = { name: string; version: string; digest: string; size: number };
export type FetchResult = { path: string; digest: string; size: number; fromCache: boolean; resumed: boolean };
/** Where the bytes come from when not the registry's own download route, and how hard to try there. */
export type FetchSource = {
  /** Absolute download URL of a mirror or an edge. */
  url: string;
  /** Named in messages instead of "the registry". */
  label: string;
  retryable?: (err: unknown) => boolean;
  delay?: (retry: number) => number;
};

/** Beside `PATH.partial`: what the partial bytes are, so a later run resumes only the same package. */
type PartialInfo = { name: string; version: string; digest: string; etag: string | null };

const infoFile = (partial: string) => `${partial}.json`;

async function readPartialInfo(partial: string): Promise<PartialInfo | null> {
  try {
    return JSON.parse(await readFile(infoFile(partial), 'utf8')) as PartialInfo;
  } catch {
    return null;
  }
}

async function sizeOf(file: string): Promise<number> {
  return stat(file).then((s) => s.size, () => 0);
}

function hashingCounter(hash: Hash, progress: Progress, start: number, onBytes?: (n: number) => void): Transform {
  let done = start;
  return new Transform({
    highWaterMark: 1 << 20,
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      done += chunk.length;
      onBytes?.(chunk.length);
      progress.update(done);
      cb(null, chunk);
    },
  });
}

// Errors of the local file, not of the connection: not worth a retry.
const LOCAL_FS_CODES = new Set(['ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EROFS', 'EIO', 'EISDIR', 'ENOENT', 'EBADF', 'EMFILE', 'ENFILE', 'EFBIG']);

/** Copies a cached blob to `partial` while hashing it; true when its bytes still match. */
async function copyFromCache(blob: string, partial: string, target: FetchTarget): Promise<boolean> {
  const progress = createProgress(`${target.name}@${target.version} (cache)`, { total: target.size });
  const hash = createHash('sha256');
  try {
    await pipeline(createReadStream(blob, { highWaterMark: 1 << 20 }), hashingCounter(hash, progress, 0), createWriteStream(partial));
  } catch (err) {
    progress.abort();
    await rm(partial, { force: true });
    throw err;
  }
  if (hash.digest('hex') !== target.digest) {
    progress.abort();
    await rm(partial, { force: true });
    return false;
  }
  progress.finish('from the local cache');
  return true;
}

function contentRangeStart(res: IncomingMessage): number | null {
  const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(String(res.headers['content-range'] ?? ''));
  return m ? Number(m[1]) : null;
}

/**
 * Downloads a version to `out` through `out.partial`: resumes a partial file left by an earlier
 * attempt or run (Range + If-Range with the ETag it was started with), retries network errors and
 * 5xx with backoff (an attempt that made progress does not use up the budget), then checks the
 * sha256 against the expected digest before renaming. A digest mismatch deletes the partial file.
 */
export async function fetchPackage(cfg: Config, target: FetchTarget, out: string, cache: PackageCache | null, source?: FetchSource): Promise<FetchResult> {
  const from = source?.label ?? 'the registry';
  const key = `${target.name}@${target.version}`;
  const partial = `${out}.partial`;

  if (cache) {
    const blob = await cache.find(target.digest);
    if (blob) {
      if (await copyFromCache(blob, partial, target)) {
        await rename(partial, out);
        await cache.touch(key, target.digest, target.size);
        return { path: out, digest: target.digest, size: target.size, fromCache: true, resumed: false };
      }
      note(`torsh: warning: the cached copy of ${key} is corrupt; dropped it, downloading\n`);
      await cache.forget(target.digest);
    }
  }

  const info = await readPartialInfo(partial);
  let have = info && info.digest === target.digest ? await sizeOf(partial) : 0;
  if (have > target.size) have = 0;
  if (have === 0) await rm(partial, { force: true });
  let etag = info?.digest === target.digest ? info.etag : null;
  // True when bytes from before an interruption are part of the result.
  let resumed = have > 0;
  let fullRestarts = 0;

  const progress = createProgress(key, { total: target.size });
  progress.setStart(have);
  let hash = createHash('sha256');
  let hashed = -1; // bytes of `partial` the hash covers; -1: rebuild from the file

  const attempt = async (): Promise<void> => {
    if (hashed !== have) {
      hash = createHash('sha256');
      await hashInto(hash, partial, undefined, have);
      hashed = have;
    }
    if (have === target.size && target.size > 0) return;
    const headers: Record<string, string> = { accept: 'application/octet-stream' };
    if (have > 0) {
      headers.range = `bytes=${have}-`;
      headers['if-range'] = etag ?? `"sha256:${target.digest}"`;
    }
    const res = await sendOnce(cfg, { method: 'GET', path: `/api/v1/packages/${enc(target.name)}/${enc(target.version)}/download`, url: source?.url, headers });
    const status = res.statusCode ?? 0;
    if (status === 416 && have > 0) {
      res.resume();
      have = 0;
      throw new NetworkError('the partial file does not fit the package any more; starting over');
    }
    if (status !== 200 && status !== 206) throw await httpErrorFrom(res, source?.url ?? cfg.registry);
    const headerDigest = bareDigest(String(res.headers['x-torsh-digest'] ?? ''));
    if (headerDigest && headerDigest !== target.digest) {
      res.resume();
      throw new CliError(EXIT.INTEGRITY, `${from} serves ${key} with digest sha256:${headerDigest}, but the registry's metadata says sha256:${target.digest}`);
    }
    if (status === 206 && contentRangeStart(res) !== have) {
      res.resume();
      have = 0;
      throw new NetworkError(`${from} answered a different range than asked; starting over`);
    }
    if (status === 206) resumed = true;
    if (status === 200 && have > 0) {
      // The validator changed (If-Range): the whole body follows.
      have = 0;
      hash = createHash('sha256');
      hashed = 0;
      progress.setStart(0);
    }
    etag = typeof res.headers.etag === 'string' ? res.headers.etag : etag;
    await writeFile(infoFile(partial), JSON.stringify({ name: target.name, version: target.version, digest: target.digest, etag } satisfies PartialInfo));
    if (have === 0) await truncate(partial).catch(() => writeFile(partial, ''));
    const expectLength = Number(res.headers['content-length'] ?? NaN);
    let received = 0;
    const counter = hashingCounter(hash, progress, have, (n) => (received += n));
    const sink = createWriteStream(partial, { flags: 'r+', start: have });
    try {
      await pipeline(res, counter, sink);
    } catch (err) {
      if (!sink.closed) await once(sink, 'close').catch(() => undefined);
      have = await sizeOf(partial);
      hashed = -1;
      const code = (err as NodeJS.ErrnoException).code;
      if (typeof code === 'string' && LOCAL_FS_CODES.has(code)) throw err;
      throw isNetworkFailure(err) || !res.complete ? toNetworkError(err, source?.url ?? cfg.registry, source ? 'the server' : 'the registry') : err;
    }
    have += received;
    hashed = have;
    if (!res.complete || (Number.isFinite(expectLength) && received !== expectLength)) {
      hashed = -1;
      have = await sizeOf(partial);
      throw new NetworkError(`the connection closed after ${received} of ${expectLength} bytes`);
    }
  };

  try {
    for (;;) {
      let before = have;
      await withRetries(
        async () => {
          before = have;
          await attempt();
        },
        {
          retries: cfg.retries,
          onRetry: (err, n, delay) => {
            progress.interrupt();
            retryNotice(err, n, delay);
          },
          madeProgress: () => have > before,
          retryable: source?.retryable,
          delay: source?.delay,
        },
      );
      if (have !== target.size) throw new NetworkError(`got ${have} bytes of ${target.size}`);
      const digest = hash.digest('hex');
      if (digest === target.digest) break;
      if (resumed && fullRestarts === 0) {
        // The old partial bytes may be what is wrong: one more try from scratch.
        fullRestarts++;
        note(`torsh: the resumed download of ${key} does not match its digest; downloading it again from the start\n`);
        await rm(partial, { force: true });
        have = 0;
        hashed = -1;
        resumed = false;
        progress.setStart(0);
        continue;
      }
      await rm(partial, { force: true });
      await rm(infoFile(partial), { force: true });
      throw new CliError(
        EXIT.INTEGRITY,
        `${key}: the downloaded bytes have sha256:${digest}, expected sha256:${target.digest}; the download was deleted`,
      );
    }
  } catch (err) {
    progress.abort();
    throw err;
  }
  progress.finish(resumed ? 'resumed' : undefined);
  await rename(partial, out);
  await rm(infoFile(partial), { force: true });
  if (cache) {
    try {
      await cache.add(key, target.digest, target.size, out);
    } catch (err) {
      note(`torsh: warning: could not add ${key} to the cache: ${(err as Error).message}\n`);
    }
  }
  return { path: out, digest: target.digest, size: target.size, fromCache: false, resumed };
}
