import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { blobStoreFromEnv, s3OptionsFromEnv, stagingDir } from './store-from-config';

const dataDir = '/var/lib/torsh';

describe('blobStoreFromEnv', () => {
  it('is the local store when TORSH_STORAGE is unset, empty or file:', () => {
    for (const TORSH_STORAGE of [undefined, '', 'file:']) expect(blobStoreFromEnv({ TORSH_STORAGE }, dataDir).kind).toBe('local');
  });

  it('is an S3 store for s3://bucket/prefix', () => {
    expect(blobStoreFromEnv({ TORSH_STORAGE: 's3://my-bucket/registry' }, dataDir).kind).toBe('s3');
  });

  it('reads bucket, prefix, endpoint, region, path style and credentials', () => {
    const opts = s3OptionsFromEnv(
      's3://my.bucket-1/a/b',
      {
        TORSH_S3_ENDPOINT: 'http://127.0.0.1:9000',
        TORSH_S3_REGION: 'eu-west-3',
        TORSH_S3_FORCE_PATH_STYLE: 'false',
        TORSH_S3_ACCESS_KEY_ID: 'AK',
        TORSH_S3_SECRET_ACCESS_KEY: 'SK',
      },
      dataDir,
    );
    expect(opts).toEqual({
      bucket: 'my.bucket-1',
      prefix: 'a/b',
      endpoint: 'http://127.0.0.1:9000',
      region: 'eu-west-3',
      forcePathStyle: false,
      credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' },
      tempDir: stagingDir(dataDir),
    });
    expect(stagingDir(dataDir)).toBe(path.join(dataDir, 'tmp', 'blob-staging'));
  });

  it('defaults: us-east-1, the SDK credential chain, path style only with a custom endpoint', () => {
    expect(s3OptionsFromEnv('s3://bkt', {}, dataDir)).toMatchObject({ bucket: 'bkt', prefix: '', region: 'us-east-1', forcePathStyle: false, credentials: undefined, endpoint: undefined });
    expect(s3OptionsFromEnv('s3://bkt/', { TORSH_S3_ENDPOINT: 'https://minio.local' }, dataDir)).toMatchObject({ prefix: '', forcePathStyle: true });
  });

  it.each([
    [{ TORSH_STORAGE: 's3://' }, /s3:\/\/<bucket>/],
    [{ TORSH_STORAGE: 's3://Bad_Bucket' }, /valid bucket name/],
    [{ TORSH_STORAGE: 'gs://bucket' }, /file: or s3:\/\//],
    [{ TORSH_STORAGE: '/srv/blobs' }, /file: or s3:\/\//],
    [{ TORSH_STORAGE: 'file:/srv/blobs' }, /takes no path/],
    [{ TORSH_STORAGE: 's3://bkt', TORSH_S3_ENDPOINT: 'minio:9000' }, /TORSH_S3_ENDPOINT must be an http\(s\) URL/],
    [{ TORSH_STORAGE: 's3://bkt', TORSH_S3_FORCE_PATH_STYLE: 'maybe' }, /TORSH_S3_FORCE_PATH_STYLE must be true or false/],
    [{ TORSH_STORAGE: 's3://bkt', TORSH_S3_ACCESS_KEY_ID: 'AK' }, /both TORSH_S3_ACCESS_KEY_ID and TORSH_S3_SECRET_ACCESS_KEY/],
  ])('refuses %o with a clear error', (env, message) => {
    expect(() => blobStoreFromEnv(env, dataDir)).toThrow(message);
  });

  it('never puts the secret into an error', () => {
    let msg = '';
    try {
      blobStoreFromEnv({ TORSH_STORAGE: 's3://bkt', TORSH_S3_SECRET_ACCESS_KEY: 'top-secret' }, dataDir);
    } catch (err) {
      msg = (err as Error).message;
    }
    expect(msg).toMatch(/TORSH_S3_ACCESS_KEY_ID/);
    expect(msg).not.toContain('top-secret');
  });
});
