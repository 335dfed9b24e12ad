import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { s3StorageFailure } from '../storage/s3-blob-store';
import { decodeRef, encodeRef, MAX_REF_BYTES, refKey } from './ref-codec';
import type { NodeRef, RefStore } from './types';

function isNotFound(err: unknown): boolean {
  const name = (err as { name?: string })?.name;
  const status = (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  return name === 'NoSuchKey' || name === 'NotFound' || (status === 404 && name !== 'NoSuchBucket');
}

/** Refs as small objects `<prefix>refs/<name>/<version>.json` (a PUT is atomic in S3). */
export function createS3RefStore(client: S3Client, opts: { bucket: string; prefix: string; endpoint?: string }): RefStore {
  const Bucket = opts.bucket;
  const fail = (err: unknown, action: string) => s3StorageFailure(opts, err, action);
  async function get(name: string, version: string): Promise<NodeRef | null> {
    const Key = refKey(opts.prefix, name, version);
    try {
      const res = await client.send(new GetObjectCommand({ Bucket, Key, Range: `bytes=0-${MAX_REF_BYTES - 1}` }));
      return decodeRef(await res.Body!.transformToString('utf8'), `s3://${Bucket}/${Key}`);
    } catch (err) {
      if (isNotFound(err)) return null;
      throw fail(err, 'ref read');
    }
  }
  return {
    async put(ref) {
      try {
        await client.send(
          new PutObjectCommand({ Bucket, Key: refKey(opts.prefix, ref.name, ref.version), Body: encodeRef(ref), ContentType: 'application/json' }),
        );
      } catch (err) {
        throw fail(err, 'ref write');
      }
    },
    get,
    async delete(name, version) {
      const Key = refKey(opts.prefix, name, version);
      try {
        await client.send(new HeadObjectCommand({ Bucket, Key }));
      } catch (err) {
        if (isNotFound(err)) return false;
        throw fail(err, 'ref delete');
      }
      try {
        await client.send(new DeleteObjectCommand({ Bucket, Key }));
        return true;
      } catch (err) {
        throw fail(err, 'ref delete');
      }
    },
    async *list() {
      const Prefix = `${opts.prefix}refs/`;
      let ContinuationToken: string | undefined;
      do {
        let page;
        try {
          page = await client.send(new ListObjectsV2Command({ Bucket, Prefix, ContinuationToken }));
        } catch (err) {
          throw fail(err, 'ref list');
        }
        for (const o of page.Contents ?? []) {
          const m = /^([^/]+)\/(.+)\.json$/.exec((o.Key ?? '').slice(Prefix.length));
          if (!m) continue;
          const ref = await get(m[1], m[2]);
          if (ref) yield ref;
        }
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
    },
  };
}
