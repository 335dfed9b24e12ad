import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import {
  BlobServiceClient,
  RestError,
  StorageSharedKeyCredential,
  type ContainerClient,
  type StoragePipelineOptions,
} from '@azure/storage-blob';
import { AppError } from '../errors';
import { DIGEST_RE, type BlobStore, type ByteRange } from './blob-store';
import { storageError } from './out-of-space';
import { createTempStager } from './temp-staging';

export type AzureBlobStoreOptions = {
  /** `DefaultEndpointsProtocol=…;AccountName=…;AccountKey=…` (or with a BlobEndpoint, e.g. Azurite). */
  connectionString?: string;
  /** Instead of a connection string: `https://<account>.blob.core.windows.net` and a shared key. */
  accountUrl?: string;
  accountName?: string;
  accountKey?: string;
  container: string;
  /** Prepended to every blob name (`<prefix>blobs/aa/bb/<sha256>`); a trailing `/` is added. */
  prefix?: string;
  /** Local folder for staged temp files (callers read `StagedBlob.path` before commit). */
  tempDir: string;
  /** Block size of the staged upload (default 8 MiB); the SDK buffers at most blockSize × concurrency. */
  blockSize?: number;
  /** Block buffers (default 4; the SDK uploads ¾ of them at once). */
  concurrency?: number;
  /** SDK retry policy (tests use maxTries 1 so an unreachable endpoint fails fast). */
  retryOptions?: StoragePipelineOptions['retryOptions'];
};

const READ_CHUNK = 1 << 20;
/** Times a broken download is asked for again from where it stopped. */
const READ_RESUMES = 5;

function assertDigest(digest: string): void {
  if (!DIGEST_RE.test(digest)) throw new AppError('INVALID_INPUT', `not a sha256 hex digest: ${digest}`);
}

/**
 * The bytes start…end of a download, asking again from the first missing byte when a connection
 * breaks midway (the SDK's own retry gives up when Node reports the response 'aborted').
 */
async function* resumeOnBreak(
  first: Readable,
  start: number,
  end: number,
  from: (offset: number) => Promise<Readable>,
): AsyncGenerator<Buffer> {
  let offset = start;
  let source = first;
  for (let resumes = 0; ; ) {
    try {
      for await (const chunk of source as AsyncIterable<Buffer>) {
        offset += chunk.length;
        yield chunk;
      }
      if (offset > end) return;
      throw new Error(`connection closed after ${offset - start} of ${end - start + 1} bytes`);
    } catch (err) {
      if (offset > end || resumes++ >= READ_RESUMES) throw err;
    }
    source = await from(offset);
  }
}

export function azureContainerClient(opts: AzureBlobStoreOptions): ContainerClient {
  const pipelineOptions: StoragePipelineOptions = {
    retryOptions: opts.retryOptions ?? { maxTries: 4, retryDelayInMs: 500, maxRetryDelayInMs: 8_000 },
  };
  let service: BlobServiceClient;
  if (opts.connectionString) {
    service = BlobServiceClient.fromConnectionString(opts.connectionString, pipelineOptions);
  } else if (opts.accountUrl && opts.accountName && opts.accountKey) {
    service = new BlobServiceClient(
      opts.accountUrl,
      new StorageSharedKeyCredential(opts.accountName, opts.accountKey),
      pipelineOptions,
    );
  } else {
    throw new AppError('INVALID_INPUT', 'Azure Blob storage needs a connection string, or an account URL, name and key');
  }
  return service.getContainerClient(opts.container);
}

/** An SDK failure as callers should see it: a clear message, never the key or connection string. */
export function azureStorageFailure(where: string, ids: { account: string; container: string }, err: unknown, action: string): unknown {
  if (err instanceof AppError) return err;
  if (err instanceof RestError || (err as { name?: string } | null)?.name === 'RestError') {
    const e = err as RestError;
    const status = e.statusCode;
    const code = e.code ?? (e.details as { errorCode?: string } | undefined)?.errorCode;
    let reason: string;
    if (status === 403 || code === 'AuthenticationFailed' || code === 'AuthorizationFailure') {
      reason = 'the account key or credentials were rejected';
    } else if (code === 'ContainerNotFound') {
      reason = 'the container does not exist';
    } else if (status === undefined || status === 0 || /^(E[A-Z]+|REQUEST_SEND_ERROR)$/.test(code ?? '')) {
      reason = `the endpoint could not be reached (${code ?? 'no response'})`;
    } else {
      reason = `it answered ${status}${code ? ` ${code}` : ''}`;
    }
    return new AppError('STORAGE_UNAVAILABLE', `${where} failed to ${action}: ${reason}`, { backend: 'azure', ...ids, status, code });
  }
  return storageError(err);
}

/**
 * Blobs in an Azure Storage container, named `<prefix>blobs/aa/bb/<sha256>`. stage() hashes into
 * a local temp file (temp-staging.ts, so a publish can validate it); commit() uploads that file as a block blob in
 * staged blocks (bounded memory), which becomes visible atomically when the block list commits.
 */
export function createAzureBlobStore(opts: AzureBlobStoreOptions): BlobStore {
  const container = azureContainerClient(opts);
  // Parsed by the SDK from the connection string, SAS or URL; never the key.
  const account = container.accountName || opts.accountName || 'unknown';
  const where = `Azure Blob storage (account ${account}, container ${opts.container})`;
  const prefix = opts.prefix ? opts.prefix.replace(/^\/+/, '').replace(/\/*$/, '/') : '';
  const blobsPrefix = `${prefix}blobs/`;
  const blockSize = opts.blockSize ?? 8 << 20;
  const concurrency = opts.concurrency ?? 4;
  const blobName = (digest: string) => `${blobsPrefix}${digest.slice(0, 2)}/${digest.slice(2, 4)}/${digest}`;
  const blob = (digest: string) => container.getBlockBlobClient(blobName(digest));

  const mapError = (err: unknown, action: string) => azureStorageFailure(where, { account, container: opts.container }, err, action);

  const isNotFound = (err: unknown) =>
    (err as RestError | null)?.statusCode === 404 && (err as RestError).code !== 'ContainerNotFound';

  async function upload(tmpPath: string, digest: string): Promise<void> {
    const run = () =>
      blob(digest).uploadStream(createReadStream(tmpPath, { highWaterMark: READ_CHUNK }), blockSize, concurrency, {
        blobHTTPHeaders: { blobContentType: 'application/octet-stream' },
        metadata: { sha256: digest },
      });
    try {
      await run();
    } catch (err) {
      // A concurrent delete of the same name drops our uncommitted blocks; the bytes are still local.
      if ((err as RestError | null)?.code !== 'InvalidBlockList') throw err;
      await run();
    }
  }

  const stager = createTempStager(opts.tempDir, {
    async commit(tmpPath, info) {
      try {
        await upload(tmpPath, info.digest);
      } catch (err) {
        throw mapError(err, `store blob sha256:${info.digest}`);
      }
    },
  });

  return {
    kind: 'azure',
    stage: stager.stage,
    stageFile: stager.stageFile,
    sweepTemp: stager.sweepTemp,
    async put(body, o) {
      const staged = await stager.stage(body, o);
      try {
        await staged.commit();
      } finally {
        await staged.discard();
      }
      return { digest: staged.digest, size: staged.size };
    },
    async get(digest: string, range?: ByteRange) {
      assertDigest(digest);
      if (range && (range.start < 0 || range.end < range.start)) {
        throw new AppError('RANGE_NOT_SATISFIABLE', `range ${range.start}-${range.end} is not a valid byte range`);
      }
      let res;
      try {
        res = range
          ? await blob(digest).download(range.start, range.end - range.start + 1, { maxRetryRequests: 0 })
          : await blob(digest).download(0, undefined, { maxRetryRequests: 0 });
      } catch (err) {
        if (isNotFound(err)) throw new AppError('BLOB_NOT_FOUND', `blob sha256:${digest} is not in the store`);
        if ((err as RestError | null)?.statusCode === 416) {
          throw new AppError('RANGE_NOT_SATISFIABLE', `range ${range?.start}-${range?.end} is outside the blob`);
        }
        throw mapError(err, `read blob sha256:${digest}`);
      }
      const body = res.readableStreamBody as Readable | undefined;
      if (!body) throw mapError(new Error('no body'), `read blob sha256:${digest}`);
      if (range) {
        // Azure answers a range that runs past the end with the bytes it has; the store contract refuses it.
        const total = Number(/\/(\d+)$/.exec(res.contentRange ?? '')?.[1] ?? NaN);
        if (Number.isFinite(total) && range.end >= total) {
          body.destroy();
          throw new AppError('RANGE_NOT_SATISFIABLE', `range ${range.start}-${range.end} is outside 0-${total - 1}`);
        }
      }
      const start = range?.start ?? 0;
      const end = range?.end ?? start + (res.contentLength ?? 0) - 1;
      return Readable.from(
        resumeOnBreak(body, start, end, async (offset) => {
          const again = await blob(digest).download(offset, end - offset + 1, { maxRetryRequests: 0, conditions: { ifMatch: res.etag } });
          return again.readableStreamBody as Readable;
        }),
        { objectMode: false },
      );
    },
    async stat(digest: string) {
      assertDigest(digest);
      try {
        const props = await blob(digest).getProperties();
        return { digest, size: props.contentLength ?? 0 };
      } catch (err) {
        if (isNotFound(err)) return null;
        throw mapError(err, `read the properties of blob sha256:${digest}`);
      }
    },
    /**
     * Not one atomic step as on a local disk: the ETag is read first, keep() asked, then the blob
     * deleted only if its ETag is unchanged. A publish holds the digest (blob_holds) before its
     * commit uploads, so either keep() sees the hold, or the upload lands after the ETag was read
     * and the conditional delete fails (412, nothing deleted), or the upload's block list commits
     * after the delete and recreates the blob (a dropped uncommitted block list is re-uploaded).
     */
    async delete(digest: string, keep?: () => boolean) {
      assertDigest(digest);
      const client = blob(digest);
      try {
        const props = await client.getProperties();
        if (keep?.()) return false;
        const res = await client.deleteIfExists({ conditions: { ifMatch: props.etag } });
        return res.succeeded;
      } catch (err) {
        if (isNotFound(err) || (err as RestError | null)?.statusCode === 412) return false;
        throw mapError(err, `delete blob sha256:${digest}`);
      }
    },
    async *list() {
      try {
        for await (const page of container.listBlobsFlat({ prefix: blobsPrefix }).byPage({ maxPageSize: 1000 })) {
          for (const item of page.segment.blobItems) {
            const rest = item.name.slice(blobsPrefix.length);
            const m = /^([a-f0-9]{2})\/([a-f0-9]{2})\/([a-f0-9]{64})$/.exec(rest);
            if (!m || m[3].slice(0, 2) !== m[1] || m[3].slice(2, 4) !== m[2]) continue;
            yield { digest: m[3], size: item.properties.contentLength ?? 0 };
          }
        }
      } catch (err) {
        throw mapError(err, 'list blobs');
      }
    },
  };
}
