import { describe, expect, it } from 'vitest';
import { azureBlobStoreFromEnv, parseAzureStorageUrl } from './azure-store-config';
import { blobStoreFromEnv } from './store-from-config';

describe('TORSH_STORAGE=azure://…', () => {
  it.each([
    ['azure://packages', { container: 'packages', prefix: '' }],
    ['azure://packages/', { container: 'packages', prefix: '' }],
    ['azure://my-hub/prod/eu', { container: 'my-hub', prefix: 'prod/eu' }],
    ['azure://abc/prod/', { container: 'abc', prefix: 'prod' }],
  ])('%s', (spec, expected) => {
    expect(parseAzureStorageUrl(spec)).toEqual(expected);
  });

  it.each(['azure://', 'azure://Packages', 'azure://ab', 'azure://a--b', 'azure://-ab', 's3://bucket', 'azure:packages'])(
    'refuses %s with a clear error',
    (spec) => {
      expect(() => parseAzureStorageUrl(spec)).toThrow(/azure:\/\/<container>\[\/<prefix>\]/);
    },
  );

  it('needs TORSH_AZURE_CONNECTION_STRING', () => {
    expect(() => azureBlobStoreFromEnv('azure://packages', {}, '/tmp/x')).toThrow(/needs TORSH_AZURE_CONNECTION_STRING/);
    const store = azureBlobStoreFromEnv(
      'azure://packages',
      { TORSH_AZURE_CONNECTION_STRING: 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=a2V5;EndpointSuffix=core.windows.net' },
      '/tmp/x',
    );
    expect(store.kind).toBe('azure');
  });
});

describe('blobStoreFromEnv with azure://', () => {
  it('builds the Azure store', () => {
    const store = blobStoreFromEnv(
      { TORSH_STORAGE: 'azure://packages/p', TORSH_AZURE_CONNECTION_STRING: 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=a2V5;EndpointSuffix=core.windows.net' },
      '/tmp/x',
    );
    expect(store.kind).toBe('azure');
  });

  it.each([
    [{ TORSH_STORAGE: 'azure://packages' }, /needs TORSH_AZURE_CONNECTION_STRING/],
    [{ TORSH_STORAGE: 'azure://Bad_Container', TORSH_AZURE_CONNECTION_STRING: 'x' }, /valid container name/],
    [{ TORSH_STORAGE: 'gs://bucket' }, /azure:\/\/<container>/],
  ])('refuses %o with a clear error', (env, message) => {
    expect(() => blobStoreFromEnv(env, '/tmp/x')).toThrow(message);
  });
});
