import { AppError } from '../../errors';
import { packChunk, unpackChunk } from '../chunking/compress';
import type { ChunkIndex, IndexEntry, RepoBackend } from '../types';
import { ID_RE, INDEX_PREFIX, indexKey, listIds } from './layout';
import { newId } from './keys';
import { seal, unseal } from './sealing';

const INDEX_VERSION = 1;
/** Largest plaintext of an index or snapshot file. */
export const MAX_METADATA = 1 << 30;

/** Sealed JSON of `index/<id>`: `{version: 1, chunks: [[id, stored, raw], …]}`. */
type IndexFileBody = { version: number; chunks: [string, number, number][] };

export type MutableChunkIndex = ChunkIndex & { add(id: string, entry: IndexEntry): void };

export function createChunkIndex(): MutableChunkIndex {
  const map = new Map<string, IndexEntry>();
  let storedBytes = 0;
  return {
    has: (id) => map.has(id),
    get: (id) => map.get(id),
    entries: () => map.entries(),
    get count() {
      return map.size;
    },
    get storedBytes() {
      return storedBytes;
    },
    add(id, entry) {
      if (map.has(id)) return;
      map.set(id, entry);
      storedBytes += entry.stored;
    },
  };
}

export function listIndexIds(backend: RepoBackend): Promise<string[]> {
  return listIds(backend, INDEX_PREFIX).then((ids) => ids.filter((id) => ID_RE.test(id)));
}

/** Write one index file naming these chunks (durable on return); its id. */
export async function writeIndexFile(backend: RepoBackend, encKey: Buffer, chunks: Iterable<[string, IndexEntry]>): Promise<string> {
  const body: IndexFileBody = { version: INDEX_VERSION, chunks: [] };
  for (const [id, e] of chunks) body.chunks.push([id, e.stored, e.raw]);
  const id = newId();
  await backend.put(indexKey(id), seal(encKey, indexKey(id), packChunk(Buffer.from(JSON.stringify(body)))));
  await backend.flush();
  return id;
}

/** The chunks one index file names; null when it is absent; BACKUP_CHUNK_DAMAGED when it does not decrypt. */
export async function readIndexFile(backend: RepoBackend, encKey: Buffer, id: string): Promise<[string, IndexEntry][] | null> {
  const raw = await backend.get(indexKey(id));
  if (!raw) return null;
  const damaged = (why: string) =>
    new AppError('BACKUP_CHUNK_DAMAGED', `backup repository ${backend.location}: index file ${indexKey(id)} ${why}`, {
      location: backend.location,
      object: indexKey(id),
    });
  const plain = unseal(encKey, indexKey(id), raw);
  if (!plain) throw damaged('does not decrypt (damaged or not from this repository)');
  let body: IndexFileBody;
  try {
    body = JSON.parse(unpackChunk(plain, MAX_METADATA).toString('utf8')) as IndexFileBody;
  } catch {
    throw damaged('does not decode');
  }
  if (body.version > INDEX_VERSION) {
    throw new AppError('BACKUP_FORMAT_UNSUPPORTED', `index file ${indexKey(id)} has version ${body.version}`, { location: backend.location });
  }
  return body.chunks.map(([cid, stored, rawSize]) => [cid, { stored, raw: rawSize }]);
}

/** Run `fn` over items with at most `limit` at once. */
export async function forEachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  });
  await Promise.all(workers);
}

/** Every index file merged. */
export async function loadChunkIndex(backend: RepoBackend, encKey: Buffer): Promise<MutableChunkIndex> {
  const index = createChunkIndex();
  const ids = await listIndexIds(backend);
  await forEachLimited(ids, 8, async (id) => {
    const chunks = await readIndexFile(backend, encKey, id);
    for (const [cid, e] of chunks ?? []) index.add(cid, e);
  });
  return index;
}
