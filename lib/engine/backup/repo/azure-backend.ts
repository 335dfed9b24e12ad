import { azureContainerClient, azureStorageFailure } from '../../storage/azure-blob-store';
import type { RepoBackend, RepoLocation } from '../types';
import { azureRepoLocationString } from './location-strings';
import { repoUnavailable } from './repo-errors';

type AzureLocation = Extract<RepoLocation, { type: 'azure' }>;

function statusOf(err: unknown): number | undefined {
  return (err as { statusCode?: number })?.statusCode;
}

function accountOf(connectionString: string): string {
  return /(?:^|;)AccountName=([^;]+)/i.exec(connectionString)?.[1] ?? '?';
}

/**
 * A repository under an Azure container prefix. A block blob upload is atomic (visible whole
 * when it commits); putIfAbsent uploads with `If-None-Match: *` (409 BlobAlreadyExists → false).
 */
export function createAzureRepoBackend(loc: AzureLocation): RepoBackend {
  const container = azureContainerClient({
    connectionString: loc.connectionString,
    container: loc.container,
    tempDir: '',
    retryOptions: { maxTries: 3, retryDelayInMs: 300, maxRetryDelayInMs: 4_000 },
  });
  const base = loc.prefix ? `${loc.prefix}/` : '';
  const location = azureRepoLocationString(loc);
  const ids = { account: accountOf(loc.connectionString), container: loc.container };
  const fail = (action: string, err: unknown) => repoUnavailable(location, action, azureStorageFailure(`Azure container "${loc.container}"`, ids, err, action));
  const blob = (key: string) => container.getBlockBlobClient(base + key);

  return {
    location,
    kind: 'azure',
    async put(key, body) {
      try {
        await blob(key).upload(body, body.length);
      } catch (err) {
        throw fail(`write ${key}`, err);
      }
    },
    async putIfAbsent(key, body) {
      try {
        await blob(key).upload(body, body.length, { conditions: { ifNoneMatch: '*' } });
        return true;
      } catch (err) {
        if (statusOf(err) === 409 || statusOf(err) === 412) return false;
        throw fail(`write ${key}`, err);
      }
    },
    async get(key) {
      try {
        return await blob(key).downloadToBuffer();
      } catch (err) {
        if (statusOf(err) === 404 && (err as { code?: string }).code !== 'ContainerNotFound') return null;
        throw fail(`read ${key}`, err);
      }
    },
    async stat(key) {
      try {
        const p = await blob(key).getProperties();
        return { size: p.contentLength ?? 0 };
      } catch (err) {
        if (statusOf(err) === 404 && (err as { code?: string }).code !== 'ContainerNotFound') return null;
        throw fail(`read ${key}`, err);
      }
    },
    async *list(prefix) {
      try {
        for await (const b of container.listBlobsFlat({ prefix: base + prefix })) {
          yield { key: b.name.slice(base.length), size: b.properties.contentLength ?? 0, modifiedAt: b.properties.lastModified?.getTime() ?? 0 };
        }
      } catch (err) {
        throw fail(`list ${prefix || '/'}`, err);
      }
    },
    async delete(key) {
      try {
        await blob(key).deleteIfExists();
      } catch (err) {
        throw fail(`delete ${key}`, err);
      }
    },
    async flush() {},
  };
}
