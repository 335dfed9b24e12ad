import { constants } from 'node:fs';
import { copyFile, link, mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** One cached name@version: the blob it maps to and when it was last used (ms since epoch). */
export type CacheEntry = { digest: string; size: number; last_used: number };
type CacheIndex = { version: 1; entries: Record<string, CacheEntry> };

const LOCK_WAIT_MS = 10_000;
const LOCK_STALE_MS = 60_000;

/**
 * The local package cache (the crate's PackageCache): blobs content-addressed by sha256 under
 * `<dir>/blobs/<hex>`, an on-disk `index.json` mapping name@version → digest, size and last use,
 * bounded by `maxBytes` with least-recently-used eviction. Blobs are always re-verified by the
 * caller when served. Several torsh processes may share a cache: index updates take a lock file.
 */
export class PackageCache {
  constructor(
    readonly dir: string,
    readonly maxBytes: number,
  ) {}

  private get indexFile() {
    return path.join(this.dir, 'index.json');
  }

  blobPath(digest: string): string {
    return path.join(this.dir, 'blobs', digest);
  }

  async readIndex(): Promise<CacheIndex> {
    try {
      const parsed = JSON.parse(await readFile(this.indexFile, 'utf8')) as CacheIndex;
      if (parsed && typeof parsed.entries === 'object' && parsed.entries !== null) return { version: 1, entries: parsed.entries };
    } catch {
      // missing or unreadable: start empty (blobs are re-verified anyway)
    }
    return { version: 1, entries: {} };
  }

  private async writeIndex(index: CacheIndex): Promise<void> {
    const tmp = `${this.indexFile}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(index, null, 2)}\n`);
    await rename(tmp, this.indexFile);
  }

  /** Runs a read-modify-write of the index under `<dir>/index.lock`. */
  private async update<T>(fn: (index: CacheIndex) => Promise<T> | T): Promise<T> {
    await mkdir(path.join(this.dir, 'blobs'), { recursive: true });
    const lock = path.join(this.dir, 'index.lock');
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        await (await open(lock, 'wx')).close();
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const age = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0);
        if (age > LOCK_STALE_MS || Date.now() > deadline) await rm(lock, { force: true });
        else await new Promise((r) => setTimeout(r, 50));
      }
    }
    try {
      const index = await this.readIndex();
      const result = await fn(index);
      await this.writeIndex(index);
      return result;
    } finally {
      await rm(lock, { force: true });
    }
  }

  /** The cached blob for a digest, if its file is there (the caller verifies its bytes). */
  async find(digest: string): Promise<string | null> {
    const file = this.blobPath(digest);
    return stat(file).then((s) => (s.isFile() ? file : null), () => null);
  }

  async entry(key: string): Promise<CacheEntry | null> {
    return (await this.readIndex()).entries[key] ?? null;
  }

  /** Records a use of name@version → digest (an entry is added if the blob is there). */
  async touch(key: string, digest: string, size: number): Promise<void> {
    await this.update((index) => {
      index.entries[key] = { digest, size, last_used: Date.now() };
    });
  }

  /**
   * Adds a verified file: hard-linked into the cache when on the same file system (no copy),
   * else copied; then evicts least-recently-used blobs past the size bound. Best effort.
   */
  async add(key: string, digest: string, size: number, file: string): Promise<boolean> {
    if (size > this.maxBytes) return false;
    await mkdir(path.join(this.dir, 'blobs'), { recursive: true });
    const blob = this.blobPath(digest);
    if ((await this.find(digest)) === null) {
      const tmp = `${blob}.${process.pid}.tmp`;
      try {
        await link(file, tmp);
      } catch {
        await copyFile(file, tmp, constants.COPYFILE_FICLONE);
      }
      await rename(tmp, blob);
    }
    await this.update(async (index) => {
      index.entries[key] = { digest, size, last_used: Date.now() };
      await this.evict(index);
    });
    return true;
  }

  /** Drops a blob whose bytes no longer match its digest, with every entry pointing at it. */
  async forget(digest: string): Promise<void> {
    await this.update(async (index) => {
      for (const [key, e] of Object.entries(index.entries)) if (e.digest === digest) delete index.entries[key];
      await rm(this.blobPath(digest), { force: true });
    });
  }

  private async evict(index: CacheIndex): Promise<void> {
    const blobs = new Map<string, { size: number; lastUsed: number }>();
    for (const e of Object.values(index.entries)) {
      const b = blobs.get(e.digest);
      blobs.set(e.digest, { size: e.size, lastUsed: Math.max(b?.lastUsed ?? 0, e.last_used) });
    }
    let total = [...blobs.values()].reduce((sum, b) => sum + b.size, 0);
    const oldestFirst = [...blobs.entries()].sort((a, b) => a[1].lastUsed - b[1].lastUsed);
    for (const [digest, b] of oldestFirst) {
      if (total <= this.maxBytes) break;
      for (const [key, e] of Object.entries(index.entries)) if (e.digest === digest) delete index.entries[key];
      await rm(this.blobPath(digest), { force: true });
      total -= b.size;
    }
  }

  /** Entries, most recently used first, with the total size of the distinct blobs. */
  async list(): Promise<{ entries: (CacheEntry & { key: string })[]; totalBytes: number }> {
    const index = await this.readIndex();
    const entries = Object.entries(index.entries)
      .map(([key, e]) => ({ key, ...e }))
      .sort((a, b) => b.last_used - a.last_used);
    const sizes = new Map(entries.map((e) => [e.digest, e.size]));
    return { entries, totalBytes: [...sizes.values()].reduce((a, b) => a + b, 0) };
  }

  /** Removes every blob and the index; resolves with the number of entries removed. */
  async clear(): Promise<number> {
    return this.update(async (index) => {
      const count = Object.keys(index.entries).length;
      index.entries = {};
      await rm(path.join(this.dir, 'blobs'), { recursive: true, force: true });
      await mkdir(path.join(this.dir, 'blobs'), { recursive: true });
      return count;
    });
  }
}
