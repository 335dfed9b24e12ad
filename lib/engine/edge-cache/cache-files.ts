import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { EntryMeta } from './lru-index';

/**
 * On-disk layout under `<data>/cache`: `entries/<sha256(key)>.body` (the bytes) beside
 * `entries/<sha256(key)>.json` (an EntryMeta); fills write into `tmp/` and are renamed in.
 * A body's mtime is its last use, so the LRU order survives a restart.
 */
export type CacheFiles = { root: string; entries: string; tmp: string };

export function cacheFiles(root: string): CacheFiles {
  return { root, entries: path.join(root, 'entries'), tmp: path.join(root, 'tmp') };
}

const base = (key: string) => createHash('sha256').update(key).digest('hex');

export function bodyPath(files: CacheFiles, key: string): string {
  return path.join(files.entries, `${base(key)}.body`);
}

function metaPath(files: CacheFiles, key: string): string {
  return path.join(files.entries, `${base(key)}.json`);
}

export function tempPath(files: CacheFiles): string {
  return path.join(files.tmp, `${Date.now()}-${randomBytes(8).toString('hex')}`);
}

/**
 * Make the finished temp body an entry: its meta goes in first (as a temp file renamed in),
 * then the body; a crash between leaves a meta without a body, which the next start removes.
 */
export async function publishEntry(files: CacheFiles, meta: EntryMeta, tempBody: string): Promise<void> {
  const tempMeta = `${tempBody}.json`;
  await writeFile(tempMeta, JSON.stringify(meta));
  await rename(tempMeta, metaPath(files, meta.key));
  await rename(tempBody, bodyPath(files, meta.key));
}

export async function removeEntry(files: CacheFiles, key: string): Promise<void> {
  await rm(bodyPath(files, key), { force: true });
  await rm(metaPath(files, key), { force: true });
}

/** Record a use as the body's mtime (a failure is ignored: the order after a restart is a hint). */
export function touchEntry(files: CacheFiles, key: string, now: number): Promise<void> {
  const t = new Date(now);
  return utimes(bodyPath(files, key), t, t).catch(() => {});
}

/**
 * Read the entries back at start, least recently used first. Unfinished fills are removed, and so
 * is any entry whose body is missing or has another size than its meta says, or any file without its pair.
 */
export async function scanEntries(files: CacheFiles): Promise<EntryMeta[]> {
  await rm(files.tmp, { recursive: true, force: true });
  await mkdir(files.tmp, { recursive: true });
  await mkdir(files.entries, { recursive: true });
  const names = new Set(await readdir(files.entries));
  const found: { meta: EntryMeta; used: number }[] = [];
  for (const name of names) {
    if (!name.endsWith('.json')) {
      if (!names.has(name.replace(/\.body$/, '.json'))) await rm(path.join(files.entries, name), { force: true });
      continue;
    }
    const body = path.join(files.entries, name.replace(/\.json$/, '.body'));
    try {
      const meta = JSON.parse(await readFile(path.join(files.entries, name), 'utf8')) as EntryMeta;
      const st = await stat(body);
      if (typeof meta.key !== 'string' || `${base(meta.key)}.json` !== name || st.size !== meta.size) throw new Error('stale');
      found.push({ meta, used: st.mtimeMs });
    } catch {
      await rm(path.join(files.entries, name), { force: true });
      await rm(body, { force: true });
    }
  }
  return found.sort((a, b) => a.used - b.used).map((f) => f.meta);
}
