export type EntryMeta = {
  /** The request path (and query) the entry answers. */
  key: string;
  name: string;
  version: string;
  size: number;
  /** The origin's replayable headers, lower-case names. */
  headers: Record<string, string>;
  stored_at: number;
};

/** Entries in least-recently-used order (a Map keeps insertion order; a use re-inserts). */
export class LruIndex {
  private readonly map = new Map<string, EntryMeta>();
  bytes = 0;

  get count(): number {
    return this.map.size;
  }

  /** The entry, marked as just used. */
  use(key: string): EntryMeta | undefined {
    const meta = this.map.get(key);
    if (!meta) return undefined;
    this.map.delete(key);
    this.map.set(key, meta);
    return meta;
  }

  add(meta: EntryMeta): void {
    this.remove(meta.key);
    this.map.set(meta.key, meta);
    this.bytes += meta.size;
  }

  remove(key: string): EntryMeta | undefined {
    const meta = this.map.get(key);
    if (!meta) return undefined;
    this.map.delete(key);
    this.bytes -= meta.size;
    return meta;
  }

  /** The least recently used entry. */
  oldest(): EntryMeta | undefined {
    return this.map.values().next().value;
  }

  list(): EntryMeta[] {
    return [...this.map.values()];
  }
}
