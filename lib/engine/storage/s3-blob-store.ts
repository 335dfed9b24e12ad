import { PassThrough, type Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { AppError } from '../errors';
import { DIGEST_RE, type BlobInfo, type BlobStore, type ByteRange } from './blob-store';
import { uploadFileToS3 } from './s3-file-upload';
import { createTempStager } from './temp-staging';

export type S3BlobStoreOptions = {
  bucket: string;
  /** Key prefix inside the bucket ('' or ending in '/'; a missing trailing slash is added). */
  prefix?: string;
  /** For S3-compatible services (MinIO, SeaweedFS, GCS, s3rver); AWS itself needs none. */
  endpoint?: string;
  region?: string;
  /** Omitted: the SDK's default chain (AWS_* env vars, shared profiles, instance/task roles). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** `<endpoint>/<bucket>/<key>` instead of `<bucket>.<endpoint>/<key>` (MinIO, SeaweedFS, s3rver). */
  forcePathStyle?: boolean;
  /** Local directory for staged temp files (callers validate a package there before commit). */
  tempDir: string;
  /** Multipart upload: bytes per part and parts in flight (parts stream from the staged file, unbuffered). */
  partSize?: number;
  queueSize?: number;
  /** SDK attempts per request (default 3). */
  maxAttempts?: number;
};

const MIB = 1 << 20;

/** `<prefix>blobs/aa/bb/<sha256>` */
export function s3BlobKey(prefix: string, digest: string): string {
  return `${prefix}blobs/${digest.slice(0, 2)}/${digest.slice(2, 4)}/${digest}`;
}

export function normalizePrefix(prefix: string | undefined): string {
  const p = (prefix ?? '').replace(/^\/+/, '');
  return p === '' || p.endsWith('/') ? p : `${p}/`;
}

function assertDigest(digest: string): void {
  if (!DIGEST_RE.test(digest)) throw new AppError('INVALID_INPUT', `not a sha256 hex digest: ${digest}`);
}

/** The first `n` bytes of a stream; the source is destroyed once they have passed. */
function limitBytes(source: Readable, n: number): Readable {
  let left = n;
  const out = new PassThrough();
  source.on('data', (chunk: Buffer) => {
    if (left <= 0) return;
    const part = chunk.length > left ? chunk.subarray(0, left) : chunk;
    left -= part.length;
    if (!out.write(part)) source.pause();
    if (left === 0) {
      out.end();
      source.destroy();
    }
  });
  out.on('drain', () => source.resume());
  source.on('end', () => out.end());
  source.on('error', (err) => out.destroy(err));
  out.on('close', () => source.destroy());
  return out;
}

function statusOf(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

function isNotFound(err: unknown): boolean {
  const name = (err as { name?: string })?.name;
  return name === 'NoSuchKey' || name === 'NotFound' || (statusOf(err) === 404 && name !== 'NoSuchBucket');
}

/** An S3 client for these options (checksums only when required: see below). */
export function createS3Client(opts: Omit<S3BlobStoreOptions, 'tempDir' | 'bucket'>): S3Client {
  return new S3Client({
    endpoint: opts.endpoint,
    region: opts.region ?? 'us-east-1',
    credentials: opts.credentials,
    forcePathStyle: opts.forcePathStyle,
    maxAttempts: opts.maxAttempts,
    // The default (WHEN_SUPPORTED) sends aws-chunked bodies with trailing checksums, which some
    // S3-compatible servers store verbatim; blobs are verified by sha256 here anyway.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** An SDK failure as an AppError naming the bucket and endpoint (never the credentials). */
export function s3StorageFailure(opts: { bucket: string; endpoint?: string }, err: unknown, action: string): AppError {
  if (err instanceof AppError) return err;
  const where = `bucket "${opts.bucket}"${opts.endpoint ? ` at ${opts.endpoint}` : ''}`;
  const name = (err as { name?: string })?.name ?? 'Error';
  const status = statusOf(err);
  let reason: string;
  if (name === 'NoSuchBucket') reason = `${where} does not exist`;
  else if (
    status === 401 ||
    status === 403 ||
    ['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AccessDenied', 'CredentialsProviderError'].includes(name)
  )
    reason = `${where} refused the credentials (${name})`;
  else if (err instanceof S3ServiceException) reason = `${where} answered ${status ?? '?'} ${name}: ${err.message}`;
  else reason = `${where} is unreachable: ${(err as Error)?.message ?? String(err)}`;
  return new AppError('STORAGE_UNAVAILABLE', `object storage ${action} failed: ${reason}`, {
    bucket: opts.bucket,
    endpoint: opts.endpoint ?? null,
    error: name,
    status: status ?? null,
  });
}

/**
 * Blobs in an S3 bucket (or any S3-compatible service). Staging happens in a local temp dir;
 * commit() streams the file up as a multipart upload whose parts are read straight from the file
 * (s3-file-upload.ts), so memory stays bounded whatever the blob's size. An object under a key either holds the complete
 * bytes or does not exist (S3 makes an upload visible only when it completes).
 */
export function createS3BlobStore(opts: S3BlobStoreOptions): BlobStore {
  const prefix = normalizePrefix(opts.prefix);
  const bucket = opts.bucket;
  const client = createS3Client(opts);
  // Upload bodies are file streams the SDK cannot rewind: uploadFileToS3 retries with a fresh one.
  const uploadClient = createS3Client({ ...opts, maxAttempts: 1 });
  const partSize = Math.max(opts.partSize ?? 8 * MIB, 5 * MIB);
  const queueSize = opts.queueSize ?? 4;
  const key = (digest: string) => s3BlobKey(prefix, digest);
  const storageFailure = (err: unknown, action: string) => s3StorageFailure(opts, err, action);

  const stager = createTempStager(opts.tempDir, {
    async commit(tmpPath, info) {
      try {
        await uploadFileToS3({
          client: uploadClient,
          bucket,
          key: key(info.digest),
          file: tmpPath,
          partSize,
          queueSize,
          attempts: opts.maxAttempts ?? 3,
          contentType: 'application/octet-stream',
        });
      } catch (err) {
        throw storageFailure(err, `upload of sha256:${info.digest}`);
      }
    },
  });

  async function head(digest: string): Promise<BlobInfo | null> {
    try {
      const out = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key(digest) }));
      return { digest, size: out.ContentLength ?? 0 };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw storageFailure(err, `stat of sha256:${digest}`);
    }
  }

  return {
    kind: 's3',
    stage: stager.stage,
    stageFile: stager.stageFile,
    async put(body, stageOpts) {
      const staged = await stager.stage(body, stageOpts);
      try {
        await staged.commit();
      } finally {
        await staged.discard();
      }
      return { digest: staged.digest, size: staged.size };
    },
    async get(digest: string, range?: ByteRange): Promise<Readable> {
      assertDigest(digest);
      if (range && (range.start < 0 || range.end < range.start)) {
        throw new AppError('RANGE_NOT_SATISFIABLE', `range ${range.start}-${range.end} is not a valid range`);
      }
      let out;
      try {
        out = await client.send(
          new GetObjectCommand({ Bucket: bucket, Key: key(digest), Range: range ? `bytes=${range.start}-${range.end}` : undefined }),
        );
      } catch (err) {
        if (isNotFound(err)) throw new AppError('BLOB_NOT_FOUND', `blob sha256:${digest} is not in the store`);
        if (statusOf(err) === 416 || (err as { name?: string })?.name === 'InvalidRange') {
          throw new AppError('RANGE_NOT_SATISFIABLE', `range ${range?.start}-${range?.end} is outside the blob`);
        }
        throw storageFailure(err, `read of sha256:${digest}`);
      }
      const body = out.Body as Readable;
      if (range) {
        // S3 clamps a range that runs past the end; the interface refuses it instead, as the local
        // store does. Some S3-compatible servers answer a longer range than asked (s3rver takes
        // `bytes=0-0` for the whole object): the stream is cut to the range asked for.
        const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(out.ContentRange ?? '');
        const start = m ? Number(m[1]) : range.start;
        const end = m ? Number(m[2]) : range.start + (out.ContentLength ?? 0) - 1;
        if (start !== range.start || end < range.end) {
          body.destroy();
          const total = m && m[3] !== '*' ? ` (the blob has ${m[3]} bytes)` : '';
          throw new AppError('RANGE_NOT_SATISFIABLE', `range ${range.start}-${range.end} is outside the blob${total}`);
        }
        if (end > range.end) return limitBytes(body, range.end - range.start + 1);
      }
      return body;
    },
    async stat(digest: string) {
      assertDigest(digest);
      return head(digest);
    },
    /**
     * keep() is asked right before DeleteObject, but an object store offers no conditional
     * delete that could consult our database, so unlike the local store the pair is not one
     * atomic step. It stays safe because a writer takes its hold (blob_holds) before it stages
     * or commits, GC asks keep() under the same database, and a commit that lands after the
     * delete re-creates the whole object (same digest, same bytes).
     */
    async delete(digest: string, keep?: () => boolean) {
      assertDigest(digest);
      if (!(await head(digest))) return false;
      if (keep?.()) return false;
      try {
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key(digest) }));
      } catch (err) {
        if (isNotFound(err)) return false;
        throw storageFailure(err, `delete of sha256:${digest}`);
      }
      return true;
    },
    async *list() {
      let token: string | undefined;
      do {
        let page;
        try {
          page = await client.send(
            new ListObjectsV2Command({ Bucket: bucket, Prefix: `${prefix}blobs/`, ContinuationToken: token }),
          );
        } catch (err) {
          throw storageFailure(err, 'listing');
        }
        for (const obj of page.Contents ?? []) {
          const name = obj.Key?.slice(obj.Key.lastIndexOf('/') + 1) ?? '';
          if (DIGEST_RE.test(name) && obj.Key === key(name)) yield { digest: name, size: obj.Size ?? 0 };
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    },
    sweepTemp: stager.sweepTemp,
  };
}
