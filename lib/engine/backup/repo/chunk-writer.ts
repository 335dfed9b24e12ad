import { AppError } from '../../errors';
import { packChunk } from '../chunking/compress';
import type { ChunkIndex, ChunkWriter, IndexEntry, RepoBackend } from '../types';
import { writeIndexFile, type MutableChunkIndex } from './chunk-index';
import { chunkKey } from './layout';
import { seal } from './sealing';

export type ChunkWriterDeps = {
  backend: RepoBackend;
  encKey: Buffer;
  chunkId(data: Buffer): string;
  /** Puts in flight at once (memory stays at about this many sealed chunks). */
  maxInFlight?: number;
};

/**
 * Stores new chunks (pack, seal, put) with a bounded number of puts in flight. Chunks become
 * part of the repository only in finish(): after every put is durable, one index file names them.
 * Until then (a crash, abort) they are unindexed objects that prune removes.
 */
export function createChunkWriter(deps: ChunkWriterDeps, index: ChunkIndex): ChunkWriter {
  const { backend, encKey } = deps;
  const limit = deps.maxInFlight ?? 8;
  const added = new Map<string, IndexEntry>();
  const inFlight = new Set<Promise<void>>();
  let failure: unknown = null;
  let closed = false;

  function check(): void {
    if (failure) throw failure;
    if (closed) throw new AppError('INTERNAL', 'chunk writer already finished or aborted');
  }

  return {
    async add(data) {
      check();
      const id = deps.chunkId(data);
      const known = index.get(id) ?? added.get(id);
      if (known) return { id, isNew: false, stored: known.stored };
      const key = chunkKey(id);
      const sealed = seal(encKey, key, packChunk(data));
      added.set(id, { stored: sealed.length, raw: data.length });
      while (inFlight.size >= limit) await Promise.race(inFlight);
      check();
      const p: Promise<void> = backend.put(key, sealed).then(
        () => {
          inFlight.delete(p);
        },
        (err) => {
          inFlight.delete(p);
          failure ??= err;
        },
      );
      inFlight.add(p);
      return { id, isNew: true, stored: sealed.length };
    },
    async finish() {
      check();
      closed = true;
      await Promise.all(inFlight);
      if (failure) throw failure;
      let newBytes = 0;
      for (const e of added.values()) newBytes += e.stored;
      if (added.size === 0) return { newChunks: 0, newBytes: 0, indexId: null };
      await backend.flush();
      const indexId = await writeIndexFile(backend, encKey, added.entries());
      // The caller's index (from loadIndex) learns them, so the next writer dedups against them.
      if ('add' in index && typeof index.add === 'function') for (const [id, e] of added) (index as MutableChunkIndex).add(id, e);
      return { newChunks: added.size, newBytes, indexId };
    },
    async abort() {
      closed = true;
      await Promise.all(inFlight);
    },
  };
}
