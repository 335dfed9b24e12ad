import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { createS3Client, s3StorageFailure } from '../../storage/s3-blob-store';
import type { RepoBackend, RepoLocation } from '../types';
import { s3RepoLocationString } from './location-strings';
import { repoUnavailable } from './repo-errors';

type S3Location = Extract<RepoLocation, { type: 's3' }>;

function statusOf(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

function isNotFound(err: unknown): boolean {
  const name = (err as { name?: string })?.name;
  return name === 'NoSuchKey' || name === 'NotFound' || (statusOf(err) === 404 && name !== 'NoSuchBucket');
}

/** The object exists already (412), or another conditional write of it is in progress (409). */
function isPreconditionFailed(err: unknown): boolean {
  const name = (err as { name?: string })?.name;
  return name === 'PreconditionFailed' || name === 'ConditionalRequestConflict' || statusOf(err) === 412 || statusOf(err) === 409;
}

/**
 * A repository under an S3 prefix. A PUT is atomic in S3 (an object is visible whole or not at
 * all). putIfAbsent sends `If-None-Match: *` (AWS S3, MinIO, R2 refuse with 412 when the key
 * exists) after a HEAD, since some servers (s3rver) ignore the condition on PUT: there it is
 * HEAD-then-put, which only the lock files rely on, and the lock protocol tolerates it.
 */
export function createS3RepoBackend(loc: S3Location): RepoBackend {
  const client = createS3Client({
    endpoint: loc.endpoint ?? undefined,
    region: loc.region,
    forcePathStyle: loc.forcePathStyle,
    credentials: loc.accessKeyId && loc.secretAccessKey ? { accessKeyId: loc.accessKeyId, secretAccessKey: loc.secretAccessKey } : undefined,
  });
  const Bucket = loc.bucket;
  const base = loc.prefix ? `${loc.prefix}/` : '';
  const location = s3RepoLocationString(loc);
  const fail = (action: string, err: unknown) => repoUnavailable(location, action, s3StorageFailure({ bucket: Bucket, endpoint: loc.endpoint ?? undefined }, err, action));

  async function head(key: string): Promise<{ size: number } | null> {
    try {
      const res = await client.send(new HeadObjectCommand({ Bucket, Key: base + key }));
      return { size: res.ContentLength ?? 0 };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw fail(`read of ${key}`, err);
    }
  }

  return {
    location,
    kind: 's3',
    async put(key, body) {
      try {
        await client.send(new PutObjectCommand({ Bucket, Key: base + key, Body: body, ContentLength: body.length }));
      } catch (err) {
        throw fail(`write of ${key}`, err);
      }
    },
    async putIfAbsent(key, body) {
      if (await head(key)) return false;
      try {
        await client.send(new PutObjectCommand({ Bucket, Key: base + key, Body: body, ContentLength: body.length, IfNoneMatch: '*' }));
        return true;
      } catch (err) {
        if (isPreconditionFailed(err)) return false;
        throw fail(`write of ${key}`, err);
      }
    },
    async get(key) {
      try {
        const res = await client.send(new GetObjectCommand({ Bucket, Key: base + key }));
        return Buffer.from(await res.Body!.transformToByteArray());
      } catch (err) {
        if (isNotFound(err)) return null;
        throw fail(`read of ${key}`, err);
      }
    },
    stat: head,
    async *list(prefix) {
      let ContinuationToken: string | undefined;
      do {
        let page;
        try {
          page = await client.send(new ListObjectsV2Command({ Bucket, Prefix: base + prefix, ContinuationToken }));
        } catch (err) {
          throw fail(`listing of ${prefix || '/'}`, err);
        }
        for (const o of page.Contents ?? []) {
          if (!o.Key) continue;
          yield { key: o.Key.slice(base.length), size: o.Size ?? 0, modifiedAt: o.LastModified?.getTime() ?? 0 };
        }
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
    },
    async delete(key) {
      try {
        await client.send(new DeleteObjectCommand({ Bucket, Key: base + key }));
      } catch (err) {
        if (!isNotFound(err)) throw fail(`delete of ${key}`, err);
      }
    },
    async flush() {},
  };
}
