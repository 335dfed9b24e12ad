import path from 'node:path';
import { AppError } from '../../errors';
import type { RepoBackend, RepoLocation } from '../types';
import { lazyBackend } from './lazy-backend';
import { azureRepoLocationString, s3RepoLocationString } from './location-strings';
import { createLocalRepoBackend } from './local-backend';

export function openRepoBackend(location: RepoLocation): RepoBackend {
  switch (location.type) {
    case 'local':
      return createLocalRepoBackend(location.path);
    // The SDKs load on first use (lazy-backend.ts).
    case 's3':
      return lazyBackend('s3', s3RepoLocationString(location), async () => (await import('./s3-backend')).createS3RepoBackend(location));
    case 'azure':
      return lazyBackend('azure', azureRepoLocationString(location), async () => (await import('./azure-backend')).createAzureRepoBackend(location));
  }
}

const BUCKET_RE = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const CONTAINER_RE = /^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/;

function trimSlashes(s: string | undefined): string {
  return (s ?? '').replace(/^\/+|\/+$/g, '');
}

/**
 * A repository URL as restic users write them: a path (`/srv/backups`, `./repo`, `file:/srv/x`),
 * `s3://bucket[/prefix]` (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL_S3 or
 * AWS_ENDPOINT_URL, AWS_REGION; path-style addressing when an endpoint is set) or
 * `azure://container[/prefix]` (AZURE_STORAGE_CONNECTION_STRING).
 */
export function parseRepoUrl(url: string, env: Record<string, string | undefined>): RepoLocation {
  const u = url.trim();
  if (u === '') throw new AppError('INVALID_INPUT', 'a backup repository location is needed (a path, s3://bucket/prefix or azure://container/prefix)');
  const s3 = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(u);
  if (s3) {
    if (!BUCKET_RE.test(s3[1])) throw new AppError('INVALID_INPUT', `"${s3[1]}" is not a valid S3 bucket name`);
    const endpoint = env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || null;
    return {
      type: 's3',
      bucket: s3[1],
      prefix: trimSlashes(s3[2]),
      endpoint,
      region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
      forcePathStyle: endpoint !== null,
      accessKeyId: env.AWS_ACCESS_KEY_ID || null,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY || null,
    };
  }
  const az = /^azure:\/\/([^/]+)(?:\/(.*))?$/.exec(u);
  if (az) {
    if (!CONTAINER_RE.test(az[1])) {
      throw new AppError('INVALID_INPUT', `"${az[1]}" is not a valid Azure container name (3-63 lowercase letters, digits and single hyphens)`);
    }
    const connectionString = env.AZURE_STORAGE_CONNECTION_STRING;
    if (!connectionString) throw new AppError('INVALID_INPUT', `${u} needs AZURE_STORAGE_CONNECTION_STRING (the storage account's connection string)`);
    return { type: 'azure', container: az[1], prefix: trimSlashes(az[2]), connectionString };
  }
  if (u.startsWith('file:')) {
    const p = u.replace(/^file:(\/\/(localhost)?(?=\/))?/, '');
    if (!p.startsWith('/')) throw new AppError('INVALID_INPUT', `${u} is not file:/absolute/path`);
    return { type: 'local', path: path.resolve(decodeURIComponent(p)) };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(u)) {
    throw new AppError('INVALID_INPUT', `unsupported backup repository location "${u.split('://')[0]}://" (use a path, s3:// or azure://)`);
  }
  return { type: 'local', path: path.resolve(u) };
}
