import { randomBytes } from 'node:crypto';
import { link, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { fsyncDir, makeDurableDir } from '../../storage/local-blob-store';
import { AppError } from '../../errors';
import type { RepoBackend } from '../types';
import { repoUnavailable } from './repo-errors';

const TMP = 'tmp';
/** A temp file this old is left by a killed writer (one object takes milliseconds to write). */
const TMP_ABANDONED_MS = 60 * 60_000;

function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException)?.code === 'ENOENT';
}

/** Keys are relative and `/`-separated; refuse anything that could leave the folder. */
function checkKey(key: string): void {
  if (key === '' || key.startsWith('/') || key.split('/').some((p) => p === '' || p === '.' || p === '..')) {
    throw new AppError('INVALID_INPUT', `invalid object key "${key}"`);
  }
}

/**
 * A repository in a local folder. Each object is written to `<root>/tmp/`, fsynced and renamed
 * (or hard-linked, for putIfAbsent) into place, so readers see all of it or none; the directories
 * written are fsynced by flush(), once per batch rather than once per chunk.
 */
export function createLocalRepoBackend(root: string): RepoBackend {
  const location = path.resolve(root);
  const tmpDir = path.join(location, TMP);
  const madeDirs = new Set<string>();
  const dirtyDirs = new Set<string>();

  const fail = (action: string, err: unknown) => repoUnavailable(location, action, err);

  async function ensureDir(dir: string): Promise<void> {
    if (madeDirs.has(dir)) return;
    // New directories are fsynced into their parents once, when made (a few hundred at most).
    await makeDurableDir(dir);
    madeDirs.add(dir);
  }

  /** Remove temp files abandoned by killed writers (once per backend, on its first write). */
  async function sweepTemp(): Promise<void> {
    const cutoff = Date.now() - TMP_ABANDONED_MS;
    for (const name of await readdir(tmpDir).catch(() => [] as string[])) {
      const file = path.join(tmpDir, name);
      const s = await stat(file).catch(() => null);
      if (s && s.mtimeMs < cutoff) await unlink(file).catch(() => {});
    }
  }

  /** Write body to a fresh fsynced temp file and return its path. */
  async function writeTemp(body: Buffer): Promise<string> {
    if (!madeDirs.has(tmpDir)) {
      await ensureDir(tmpDir);
      await sweepTemp();
    }
    const tmp = path.join(tmpDir, `${randomBytes(12).toString('hex')}.tmp`);
    const fh = await open(tmp, 'wx');
    try {
      await fh.writeFile(body);
      await fh.sync();
    } catch (err) {
      await fh.close().catch(() => {});
      await unlink(tmp).catch(() => {});
      throw err;
    }
    await fh.close();
    return tmp;
  }

  function target(key: string): { file: string; dir: string } {
    checkKey(key);
    const file = path.join(location, ...key.split('/'));
    return { file, dir: path.dirname(file) };
  }

  async function* walk(dir: string, rel: string): AsyncGenerator<{ key: string; size: number; modifiedAt: number }> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    for (const e of entries) {
      const childRel = rel === '' ? e.name : `${rel}/${e.name}`;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (childRel === TMP) continue;
        yield* walk(full, childRel);
      } else if (e.isFile()) {
        try {
          const s = await stat(full);
          yield { key: childRel, size: s.size, modifiedAt: s.mtimeMs };
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      }
    }
  }

  return {
    location,
    kind: 'local',
    async put(key, body) {
      const { file, dir } = target(key);
      try {
        await ensureDir(dir);
        const tmp = await writeTemp(body);
        await rename(tmp, file);
        dirtyDirs.add(dir);
      } catch (err) {
        throw fail(`writing ${key}`, err);
      }
    },
    async putIfAbsent(key, body) {
      const { file, dir } = target(key);
      let tmp: string | null = null;
      try {
        await ensureDir(dir);
        tmp = await writeTemp(body);
        try {
          await link(tmp, file);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
          throw err;
        }
        await fsyncDir(dir);
        return true;
      } catch (err) {
        throw fail(`writing ${key}`, err);
      } finally {
        if (tmp) await unlink(tmp).catch(() => {});
      }
    },
    async get(key) {
      const { file } = target(key);
      try {
        return await readFile(file);
      } catch (err) {
        if (isNotFound(err)) return null;
        throw fail(`reading ${key}`, err);
      }
    },
    async stat(key) {
      const { file } = target(key);
      try {
        const s = await stat(file);
        return { size: s.size };
      } catch (err) {
        if (isNotFound(err)) return null;
        throw fail(`reading ${key}`, err);
      }
    },
    async *list(prefix) {
      // The deepest folder the prefix names, then filter by the full prefix.
      const cut = prefix.lastIndexOf('/');
      const dirRel = cut < 0 ? '' : prefix.slice(0, cut);
      const dir = dirRel === '' ? location : path.join(location, ...dirRel.split('/'));
      try {
        for await (const o of walk(dir, dirRel)) if (o.key.startsWith(prefix)) yield o;
      } catch (err) {
        throw fail(`listing ${prefix || '/'}`, err);
      }
    },
    async delete(key) {
      const { file, dir } = target(key);
      try {
        await unlink(file);
        dirtyDirs.add(dir);
      } catch (err) {
        if (!isNotFound(err)) throw fail(`deleting ${key}`, err);
      }
    },
    async flush() {
      const dirs = [...dirtyDirs];
      dirtyDirs.clear();
      try {
        for (const d of dirs) await fsyncDir(d).catch((err) => (isNotFound(err) ? undefined : Promise.reject(err)));
      } catch (err) {
        for (const d of dirs) dirtyDirs.add(d);
        throw fail('flushing', err);
      }
    },
  };
}
