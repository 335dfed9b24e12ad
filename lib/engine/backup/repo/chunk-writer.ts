import { AppError } from '../../errors';
import { packChunkAsync } from '../chunking/compress';
import type { ChunkIndex, ChunkWriter, IndexEntry, RepoBackend } from '../types';
import { writeIndexFile, type MutableChunkIndex } from './chunk-index';
import { chunkKey } from './layout';
import { createOffThreadCrypto } from './off-thread-crypto';

export type ChunkWriterDeps = {
  backend: RepoBackend;
  encKey: Buffer;
  idKey: Buffer;
  /** Chunks being hashed, packed, sealed and put at once (memory stays at about this many chunks). */
  maxInFlight?: number;
};

/** A counting semaphore: at most `n` holders at once, the others wait in order. */
function slots(n: number): { acquire(): Promise<void>; release(): void } {
  let free = n;
  const waiting: (() => void)[] = [];
  return {
    acquire: () => (free > 0 ? (free--, Promise.resolve()) : new Promise<void>((resolve) => waiting.push(resolve))),
    release: () => {
      const next = waiting.shift();
      if (next) next();
      else free++;
    },
  };
}

/**
 * Stores new chunks (id, pack, seal, put) with a bounded number in flight. The CPU work runs on
 * libuv's thread pool (WebCrypto, async brotli), so a caller that keeps several add() calls
 * pending (store-file.ts keeps 8) has them hashed, compressed and sealed on the other core while
 * it reads and cuts the next chunks. Chunks become part of the repository only in finish():
 * after every put is durable, one index file names them. Until then (a crash, abort) they are
 * unindexed objects that prune removes.
 */
export function createChunkWriter(deps: ChunkWriterDeps, index: ChunkIndex): ChunkWriter {
  const { backend } = deps;
  const crypto = createOffThreadCrypto(deps.encKey, deps.idKey);
  const limit = slots(deps.maxInFlight ?? 8);
  /** Chunks this writer stored (put done). */
  const added = new Map<string, IndexEntry>();
  /** Chunks being stored, by id: a second add of the same bytes waits for the first. */
  const pending = new Map<string, Promise<IndexEntry>>();
  let failure: unknown = null;
  let closed = false;

  function check(): void {
    if (failure) throw failure;
    if (closed) throw new AppError('INTERNAL', 'chunk writer already finished or aborted');
  }

  async function store(id: string, data: Buffer): Promise<IndexEntry> {
    const key = chunkKey(id);
    const sealed = await crypto.seal(key, await packChunkAsync(data));
    await backend.put(key, sealed);
    return { stored: sealed.length, raw: data.length };
  }

  const settled = () => Promise.allSettled([...pending.values()]);

  return {
    async add(data) {
      check();
      await limit.acquire();
      let release = true;
      try {
        check();
        const id = await crypto.chunkId(data);
        const known = index.get(id) ?? added.get(id);
        if (known) return { id, isNew: false, stored: known.stored };
        const same = pending.get(id);
        if (same) {
          limit.release();
          release = false;
          return { id, isNew: false, stored: (await same).stored };
        }
        const work = store(id, data);
        pending.set(id, work);
        try {
          const entry = await work;
          added.set(id, entry);
          return { id, isNew: true, stored: entry.stored };
        } catch (err) {
          failure ??= err;
          throw err;
        } finally {
          pending.delete(id);
        }
      } finally {
        if (release) limit.release();
      }
    },
    async finish() {
      check();
      closed = true;
      await settled();
      if (failure) throw failure;
      let newBytes = 0;
      for (const e of added.values()) newBytes += e.stored;
      if (added.size === 0) return { newChunks: 0, newBytes: 0, indexId: null };
      await backend.flush();
      const indexId = await writeIndexFile(backend, deps.encKey, added.entries());
      // The caller's index (from loadIndex) learns them, so the next writer dedups against them.
      if ('add' in index && typeof index.add === 'function') for (const [id, e] of added) (index as MutableChunkIndex).add(id, e);
      return { newChunks: added.size, newBytes, indexId };
    },
    async abort() {
      closed = true;
      await settled();
    },
  };
}
