import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { BlobStore } from '../storage/blob-store';
import type { NodeRef, NodeStorage } from './types';

/** One blob on a node: its size as listed, and whether its bytes hash to its name. */
export type InventoryBlob = { size: number; ok: boolean };

/** What one node holds: refs by `name@version`, blobs by digest (re-hashed). */
export type NodeInventory = {
  refs: Map<string, NodeRef>;
  blobs: Map<string, InventoryBlob>;
};

export const refId = (name: string, version: string) => `${name}@${version}`;

/** sha256 of a stream (hex) and its byte count; the bytes are never held. */
export async function hashStream(body: Readable, signal?: AbortSignal): Promise<{ digest: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  const abort = () => body.destroy(new Error('scrub cancelled'));
  signal?.addEventListener('abort', abort, { once: true });
  try {
    for await (const chunk of body) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
  } finally {
    signal?.removeEventListener('abort', abort);
  }
  return { digest: hash.digest('hex'), size };
}

/** Whether the blob stored under `digest` hashes to it (false when it cannot be read through). */
export async function blobIsIntact(store: BlobStore, digest: string, size: number, signal?: AbortSignal): Promise<boolean> {
  const got = await hashStream(await store.get(digest), signal);
  return got.digest === digest && got.size === size;
}

/**
 * List a node's refs and blobs, streaming every blob through sha256 to find bytes that do not
 * match their name. Memory stays bounded by the number of entries (no bytes are kept).
 * `onBlob` is told after each blob (progress).
 */
export async function nodeInventory(node: NodeStorage, opts: { signal?: AbortSignal; onBlob?: (n: number) => void } = {}): Promise<NodeInventory> {
  const refs = new Map<string, NodeRef>();
  for await (const ref of node.refs.list()) refs.set(refId(ref.name, ref.version), ref);
  const listed: { digest: string; size: number }[] = [];
  for await (const b of node.blobs.list()) listed.push(b);
  const blobs = new Map<string, InventoryBlob>();
  for (const b of listed) {
    opts.signal?.throwIfAborted();
    let ok: boolean;
    try {
      ok = await blobIsIntact(node.blobs, b.digest, b.size, opts.signal);
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      // A blob listed a moment ago and unreadable now is as good as damaged: it gets replaced.
      ok = false;
    }
    blobs.set(b.digest, { size: b.size, ok });
    opts.onBlob?.(blobs.size);
  }
  return { refs, blobs };
}
