import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../errors';
import { openRepoBackend, parseRepoUrl } from './open-backend';

const AWS = { AWS_ACCESS_KEY_ID: 'AK', AWS_SECRET_ACCESS_KEY: 'SK' };

describe('parseRepoUrl', () => {
  it.each([
    ['/srv/backups', {}, { type: 'local', path: '/srv/backups' }],
    ['./repo', {}, { type: 'local', path: path.resolve('repo') }],
    ['file:/srv/x', {}, { type: 'local', path: '/srv/x' }],
    ['file:///srv/x%20y', {}, { type: 'local', path: '/srv/x y' }],
    [
      's3://bucket-1/a/b/',
      AWS,
      { type: 's3', bucket: 'bucket-1', prefix: 'a/b', endpoint: null, region: 'us-east-1', forcePathStyle: false, accessKeyId: 'AK', secretAccessKey: 'SK' },
    ],
    [
      's3://bucket-1',
      { AWS_ENDPOINT_URL: 'http://minio:9000', AWS_REGION: 'eu-west-3' },
      { type: 's3', bucket: 'bucket-1', prefix: '', endpoint: 'http://minio:9000', region: 'eu-west-3', forcePathStyle: true, accessKeyId: null, secretAccessKey: null },
    ],
    ['s3://b12/p', { AWS_ENDPOINT_URL: 'http://a', AWS_ENDPOINT_URL_S3: 'http://s3-only' }, { endpoint: 'http://s3-only', forcePathStyle: true }],
    ['azure://backups/torsh/', { AZURE_STORAGE_CONNECTION_STRING: 'cs' }, { type: 'azure', container: 'backups', prefix: 'torsh', connectionString: 'cs' }],
  ] as const)('%s', (url, env, want) => {
    expect(parseRepoUrl(url, env)).toMatchObject(want);
  });

  it.each([
    ['', {}],
    ['s3://Bad_Bucket', AWS],
    ['azure://backups', {}],
    ['azure://UPPER', { AZURE_STORAGE_CONNECTION_STRING: 'cs' }],
    ['http://example.com/repo', {}],
    ['file:relative', {}],
  ])('refuses %j', (url, env) => {
    let err: unknown = null;
    try {
      parseRepoUrl(url, env);
    } catch (e) {
      err = e;
    }
    expect(isAppError(err) && err.code).toBe('INVALID_INPUT');
  });

  it('opens the matching backend, its location free of secrets', () => {
    expect(openRepoBackend(parseRepoUrl('/tmp/r', {})).kind).toBe('local');
    const s3 = openRepoBackend(parseRepoUrl('s3://bucket/p', { ...AWS, AWS_ENDPOINT_URL: 'http://127.0.0.1:9' }));
    expect(s3.kind).toBe('s3');
    expect(s3.location).toBe('s3://bucket/p at http://127.0.0.1:9');
    const az = openRepoBackend(
      parseRepoUrl('azure://backups/p', {
        AZURE_STORAGE_CONNECTION_STRING: 'DefaultEndpointsProtocol=http;AccountName=acc;AccountKey=a2V5;BlobEndpoint=http://127.0.0.1:9/acc;',
      }),
    );
    expect(az.location).toBe('azure://backups/p');
  });
});
