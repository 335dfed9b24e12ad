import type { RepoLocation } from '../types';

/** How a repository's location is named in messages and logs (never a secret); no SDK imports here. */
export function s3RepoLocationString(loc: Pick<Extract<RepoLocation, { type: 's3' }>, 'bucket' | 'prefix' | 'endpoint'>): string {
  return `s3://${loc.bucket}${loc.prefix ? `/${loc.prefix}` : ''}${loc.endpoint ? ` at ${loc.endpoint}` : ''}`;
}

export function azureRepoLocationString(loc: Pick<Extract<RepoLocation, { type: 'azure' }>, 'container' | 'prefix'>): string {
  return `azure://${loc.container}${loc.prefix ? `/${loc.prefix}` : ''}`;
}
