import { text } from 'node:stream/consumers';
import type { ContainerClient, RestError } from '@azure/storage-blob';
import { decodeRef, encodeRef, MAX_REF_BYTES, refKey } from './ref-codec';
import type { NodeRef, RefStore } from './types';

const isNotFound = (err: unknown) => (err as RestError | null)?.statusCode === 404 && (err as RestError).code !== 'ContainerNotFound';

/** Refs as small block blobs `<prefix>refs/<name>/<version>.json` (a single-shot upload is atomic). */
export function createAzureRefStore(
  container: ContainerClient,
  opts: { prefix: string; fail: (err: unknown, action: string) => unknown },
): RefStore {
  async function get(name: string, version: string): Promise<NodeRef | null> {
    const key = refKey(opts.prefix, name, version);
    try {
      const res = await container.getBlockBlobClient(key).download(0, MAX_REF_BYTES);
      return decodeRef(await text(res.readableStreamBody!), `${container.containerName}/${key}`);
    } catch (err) {
      if (isNotFound(err)) return null;
      if ((err as RestError | null)?.statusCode === 416) return null;
      throw opts.fail(err, 'read a ref');
    }
  }
  return {
    async put(ref) {
      const body = encodeRef(ref);
      try {
        await container
          .getBlockBlobClient(refKey(opts.prefix, ref.name, ref.version))
          .upload(body, Buffer.byteLength(body), { blobHTTPHeaders: { blobContentType: 'application/json' } });
      } catch (err) {
        throw opts.fail(err, 'write a ref');
      }
    },
    get,
    async delete(name, version) {
      try {
        const res = await container.getBlockBlobClient(refKey(opts.prefix, name, version)).deleteIfExists();
        return res.succeeded;
      } catch (err) {
        throw opts.fail(err, 'delete a ref');
      }
    },
    async *list() {
      const prefix = `${opts.prefix}refs/`;
      const iter = container.listBlobsFlat({ prefix })[Symbol.asyncIterator]();
      for (;;) {
        let next: IteratorResult<{ name: string }>;
        try {
          next = await iter.next();
        } catch (err) {
          throw opts.fail(err, 'list refs');
        }
        if (next.done) return;
        const m = /^([^/]+)\/(.+)\.json$/.exec(next.value.name.slice(prefix.length));
        if (!m) continue;
        const ref = await get(m[1], m[2]);
        if (ref) yield ref;
      }
    },
  };
}
