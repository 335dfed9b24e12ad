import { createHash } from 'node:crypto';
import { chunkStream } from './chunking/fastcdc';
import type { BackupRepository, ChunkWriter, SnapshotFile } from './types';

/** Chunks handed to the writer before the oldest must be acknowledged (the writer bounds its own writes too). */
const WINDOW = 8;

export type StoreContext = {
  repo: BackupRepository;
  writer: ChunkWriter;
  gear: Int32Array;
  signal?: AbortSignal;
  /** Told the size of every piece read, as it is read. */
  onBytes?: (n: number) => void;
};

/**
 * Chunk a byte stream into the repository: hashed (sha256 of the whole file, checked on restore)
 * while it is cut, each chunk handed to the writer, which stores only chunks the index lacks.
 */
export async function storeStream(ctx: StoreContext, path: string, source: AsyncIterable<Buffer | Uint8Array> | Iterable<Buffer>): Promise<SnapshotFile> {
  const hash = createHash('sha256');
  let size = 0;
  const counted = async function* () {
    for await (const piece of source) {
      ctx.signal?.throwIfAborted();
      hash.update(piece);
      size += piece.byteLength;
      ctx.onBytes?.(piece.byteLength);
      yield piece;
    }
  };
  const pending: Promise<{ id: string }>[] = [];
  const chunks: string[] = [];
  for await (const chunk of chunkStream(counted(), ctx.repo.config.chunker, ctx.gear)) {
    pending.push(ctx.writer.add(chunk));
    if (pending.length >= WINDOW) chunks.push((await pending.shift()!).id);
  }
  for (const p of pending) chunks.push((await p).id);
  return { path, size, chunks, sha256: hash.digest('hex') };
}
