import path from 'node:path';
import { AppError } from '../errors';
import type { BlobStore } from './blob-store';
import { azureBlobStoreFromEnv } from './azure-store-config';
import { createLocalBlobStore } from './local-blob-store';
import { createS3BlobStore, type S3BlobStoreOptions } from './s3-blob-store';
import { stagingDir } from './temp-staging';

type Env = Record<string, string | undefined>;

function configError(message: string): AppError {
  return new AppError('INVALID_INPUT', `storage configuration: ${message}`);
}

function flag(env: Env, name: string): boolean | undefined {
  const v = env[name]?.trim().toLowerCase();
  if (!v) return undefined;
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw configError(`${name} must be true or false, got "${env[name]}"`);
}

export { stagingDir } from './temp-staging';

/** TORSH_STORAGE=s3://<bucket>[/<prefix>] with the TORSH_S3_* variables. */
export function s3OptionsFromEnv(storage: string, env: Env, dataDir: string): S3BlobStoreOptions {
  const m = /^s3:\/\/([^/?#]*)(\/[^?#]*)?$/.exec(storage);
  const bucket = m?.[1] ?? '';
  // S3 bucket naming rules (lowercase, digits, dots, hyphens; 3–63 characters).
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw configError(`TORSH_STORAGE must look like s3://<bucket>[/<prefix>] with a valid bucket name, got "${storage}"`);
  }
  const prefix = (m?.[2] ?? '').replace(/^\/+/, '');
  const endpoint = env.TORSH_S3_ENDPOINT?.trim() || undefined;
  if (endpoint) {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw configError(`TORSH_S3_ENDPOINT must be an http(s) URL, got "${endpoint}"`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw configError(`TORSH_S3_ENDPOINT must be an http(s) URL, got "${endpoint}"`);
    }
  }
  const accessKeyId = env.TORSH_S3_ACCESS_KEY_ID?.trim();
  const secretAccessKey = env.TORSH_S3_SECRET_ACCESS_KEY?.trim();
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
    throw configError('set both TORSH_S3_ACCESS_KEY_ID and TORSH_S3_SECRET_ACCESS_KEY, or neither (the AWS default chain)');
  }
  return {
    bucket,
    prefix,
    endpoint,
    region: env.TORSH_S3_REGION?.trim() || 'us-east-1',
    // S3-compatible servers (MinIO, SeaweedFS) mostly want path-style addressing: the default when an endpoint is given.
    forcePathStyle: flag(env, 'TORSH_S3_FORCE_PATH_STYLE') ?? Boolean(endpoint),
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
    tempDir: stagingDir(dataDir),
  };
}

/**
 * The primary blob store from TORSH_STORAGE: unset or `file:` is the local store under
 * `<dataDir>/blobs` (the default), `s3://<bucket>[/<prefix>]` an S3 bucket, `azure://<container>[/<prefix>]` an Azure Blob container. Throws INVALID_INPUT
 * naming the variable when the configuration is wrong.
 */
export function blobStoreFromEnv(env: Env, dataDir: string): BlobStore {
  const storage = env.TORSH_STORAGE?.trim() || 'file:';
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(storage)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'file':
      if (storage !== 'file:') throw configError(`TORSH_STORAGE=file: takes no path (blobs live under TORSH_DATA_DIR), got "${storage}"`);
      return createLocalBlobStore(path.join(path.resolve(dataDir), 'blobs'));
    case 's3':
      return createS3BlobStore(s3OptionsFromEnv(storage, env, dataDir));
    case 'azure':
      return azureBlobStoreFromEnv(storage, env, dataDir);
    default:
      throw configError(`TORSH_STORAGE must be file: or s3://<bucket>[/<prefix>] or azure://<container>[/<prefix>], got "${storage}"`);
  }
}
