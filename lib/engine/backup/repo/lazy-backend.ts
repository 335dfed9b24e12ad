import type { RepoBackend } from '../types';

/**
 * A backend whose implementation module is imported on first use: the S3 and Azure SDKs take about a
 * second to load, which `torsh backup` on a local repository (and every `list`) should not pay.
 */
export function lazyBackend(kind: RepoBackend['kind'], location: string, load: () => Promise<RepoBackend>): RepoBackend {
  let inner: Promise<RepoBackend> | null = null;
  const backend = () => (inner ??= load());
  return {
    kind,
    location,
    put: async (key, body) => (await backend()).put(key, body),
    putIfAbsent: async (key, body) => (await backend()).putIfAbsent(key, body),
    get: async (key) => (await backend()).get(key),
    stat: async (key) => (await backend()).stat(key),
    async *list(prefix) {
      yield* (await backend()).list(prefix);
    },
    delete: async (key) => (await backend()).delete(key),
    flush: async () => (await backend()).flush(),
  };
}
