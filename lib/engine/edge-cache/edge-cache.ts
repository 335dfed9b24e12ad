import { rm } from 'node:fs/promises';
import { expectedDigest } from './cacheable';
import { CacheFill, type FillHead } from './cache-fill';
import { bodyPath, cacheFiles, publishEntry, removeEntry, scanEntries, tempPath, touchEntry, type CacheFiles } from './cache-files';
import { LruIndex, type EntryMeta } from './lru-index';

export type EdgeCacheOptions = {
  /** The cache directory (`<data>/cache`). */
  dir: string;
  maxBytes: number;
  now?: () => number;
  /** A fill that failed (the origin went away, a short or corrupt body, a full disk). */
  onFillError?: (key: string, err: Error) => void;
};

/** Who leads a miss: it fetches from the origin, then either begins the fill or declines (not cacheable). */
export type FillLead = {
  begin(head: FillHead, body: AsyncIterable<Buffer | Uint8Array> | Iterable<Buffer | Uint8Array>): Promise<CacheFill>;
  decline(): void;
};

export type Acquired =
  | { kind: 'hit'; meta: EntryMeta; path: string }
  /** Another request is fetching it: null when that answer turned out not cacheable. */
  | { kind: 'wait'; fill: Promise<CacheFill | null> }
  | { kind: 'lead'; lead: FillLead };

export type PurgeSelector = { all: true } | { name: string; version?: string };

export type CacheCounts = { entries: number; bytes: number; max_bytes: number; evictions: number };

const matches = (sel: PurgeSelector, e: { name: string; version: string }) =>
  'all' in sel || (e.name === sel.name && (sel.version === undefined || e.version === sel.version));

/**
 * The edge's disk cache: an LRU index in memory over entry files on disk (rebuilt at start),
 * eviction by bytes, one fill per key however many requests miss at once, atomic publish.
 * File changes (publish, evict, purge) run one at a time so a purge cannot remove a newer
 * entry written under the same name.
 */
export class EdgeCache {
  private readonly index = new LruIndex();
  private readonly pending = new Map<string, Promise<CacheFill | null>>();
  private readonly fills = new Map<string, CacheFill>();
  private readonly running = new Set<Promise<void>>();
  private readonly touches = new Set<Promise<void>>();
  private io: Promise<unknown> = Promise.resolve();
  private evictions = 0;
  private readonly now: () => number;

  private constructor(
    private readonly files: CacheFiles,
    readonly maxBytes: number,
    private readonly opts: EdgeCacheOptions,
  ) {
    this.now = opts.now ?? Date.now;
  }

  static async open(opts: EdgeCacheOptions): Promise<EdgeCache> {
    const cache = new EdgeCache(cacheFiles(opts.dir), opts.maxBytes, opts);
    for (const meta of await scanEntries(cache.files)) cache.index.add(meta);
    await cache.serial(() => cache.evictOverflow());
    return cache;
  }

  counts(): CacheCounts {
    return { entries: this.index.count, bytes: this.index.bytes, max_bytes: this.maxBytes, evictions: this.evictions };
  }

  /** Entries, least recently used first. */
  list(): EntryMeta[] {
    return this.index.list();
  }

  /** A stored entry (marked as used), or undefined. */
  lookup(key: string): { meta: EntryMeta; path: string } | undefined {
    const meta = this.index.use(key);
    if (!meta) return undefined;
    const touched = touchEntry(this.files, key, this.now()).finally(() => this.touches.delete(touched));
    this.touches.add(touched);
    return { meta, path: bodyPath(this.files, key) };
  }

  /** A hit, a fill to join, or the lead of a new fill (the caller must begin or decline it). */
  acquire(key: string): Acquired {
    const hit = this.lookup(key);
    if (hit) return { kind: 'hit', ...hit };
    const waiting = this.pending.get(key);
    if (waiting) return { kind: 'wait', fill: waiting };
    let settle!: (fill: CacheFill | null) => void;
    this.pending.set(key, new Promise((resolve) => (settle = resolve)));
    const done = () => {
      this.pending.delete(key);
      this.fills.delete(key);
    };
    return {
      kind: 'lead',
      lead: {
        begin: async (head, body) => {
          let fill: CacheFill;
          try {
            fill = await CacheFill.create(key, head, tempPath(this.files));
          } catch (err) {
            done();
            settle(null);
            throw err;
          }
          this.fills.set(key, fill);
          settle(fill);
          const run = this.complete(fill, body).finally(() => {
            done();
            fill.settle();
            this.running.delete(run);
          });
          this.running.add(run);
          return fill;
        },
        decline: () => {
          done();
          settle(null);
        },
      },
    };
  }

  private async complete(fill: CacheFill, body: AsyncIterable<Buffer | Uint8Array> | Iterable<Buffer | Uint8Array>): Promise<void> {
    try {
      await fill.run(body, expectedDigest(fill.head.headers));
    } catch (err) {
      this.opts.onFillError?.(fill.key, err as Error);
      return;
    }
    await this.serial(() => this.publish(fill)).finally(() => fill.finish());
  }

  private async publish(fill: CacheFill): Promise<void> {
    if (fill.discarded || fill.written > this.maxBytes) {
      await rm(fill.temp, { force: true });
      return;
    }
    const meta: EntryMeta = { key: fill.key, name: fill.head.name, version: fill.head.version, size: fill.written, headers: fill.head.headers, stored_at: this.now() };
    try {
      await publishEntry(this.files, meta, fill.temp);
    } catch (err) {
      await rm(fill.temp, { force: true });
      await removeEntry(this.files, fill.key);
      this.opts.onFillError?.(fill.key, err as Error);
      return;
    }
    fill.publishedPath = bodyPath(this.files, fill.key);
    this.index.add(meta);
    await this.evictOverflow();
  }

  /** Least recently used entries go until the total fits. Runs inside serial(). */
  private async evictOverflow(): Promise<void> {
    while (this.index.bytes > this.maxBytes) {
      const oldest = this.index.oldest()!;
      this.index.remove(oldest.key);
      this.evictions++;
      await removeEntry(this.files, oldest.key);
    }
  }

  /** Remove one version, one package or everything; a matching fill in progress is served but not kept. */
  purge(sel: PurgeSelector): Promise<{ purged: number; bytes: number }> {
    for (const fill of this.fills.values()) if (matches(sel, fill.head)) fill.discarded = true;
    const gone = this.index.list().filter((e) => matches(sel, e));
    for (const e of gone) this.index.remove(e.key);
    return this.serial(async () => {
      for (const e of gone) await removeEntry(this.files, e.key);
      return { purged: gone.length, bytes: gone.reduce((n, e) => n + e.size, 0) };
    });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.io.then(fn, fn);
    this.io = run.catch(() => {});
    return run;
  }

  /** Publishes, evictions and purges already queued are done (fills still running are not waited for). */
  async flushed(): Promise<void> {
    await this.io;
  }

  /** Wait for file work in flight (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
    await Promise.all([...this.touches]);
    await this.io;
  }
}
