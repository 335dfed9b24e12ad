/** Object keys of a repository (docs/BACKUP-FORMAT.md). */
export const CONFIG_KEY = 'config';
export const KEYS_PREFIX = 'keys/';
export const DATA_PREFIX = 'data/';
export const INDEX_PREFIX = 'index/';
export const SNAPSHOTS_PREFIX = 'snapshots/';
export const LOCKS_PREFIX = 'locks/';

export const ID_RE = /^[0-9a-f]{64}$/;

export function chunkKey(id: string): string {
  return `${DATA_PREFIX}${id.slice(0, 2)}/${id}`;
}
export function indexKey(id: string): string {
  return `${INDEX_PREFIX}${id}`;
}
export function snapshotKey(id: string): string {
  return `${SNAPSHOTS_PREFIX}${id}`;
}
export function keyFileKey(id: string): string {
  return `${KEYS_PREFIX}${id}`;
}
export function lockKey(id: string): string {
  return `${LOCKS_PREFIX}${id}`;
}

/** Ids of the objects directly under a prefix (`index/`, `snapshots/`, `keys/`, `locks/`). */
export async function listIds(backend: { list(prefix: string): AsyncIterable<{ key: string }> }, prefix: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const o of backend.list(prefix)) {
    const id = o.key.slice(prefix.length);
    if (id !== '' && !id.includes('/')) ids.push(id);
  }
  return ids;
}

/** Every chunk object in `data/` (indexed or not): its id and stored size. */
export async function* listChunkObjects(backend: {
  list(prefix: string): AsyncIterable<{ key: string; size: number }>;
}): AsyncGenerator<{ id: string; size: number }> {
  for await (const o of backend.list(DATA_PREFIX)) {
    const m = /^data\/([0-9a-f]{2})\/([0-9a-f]{64})$/.exec(o.key);
    if (m && m[2].startsWith(m[1])) yield { id: m[2], size: o.size };
  }
}
