import { useQuery } from '@tanstack/react-query';
import { fetchJson } from './api-error';
import type { VersionDetail } from './api-types';
import { packageKey } from './use-package';

export const packageVersionKey = (name: string, version: string) =>
  [...packageKey(name), 'version', version] as const;

export function usePackageVersion(name: string, version: string | null) {
  return useQuery({
    queryKey: packageVersionKey(name, version ?? ''),
    queryFn: () =>
      fetchJson<VersionDetail>(`/api/v1/packages/${encodeURIComponent(name)}/${encodeURIComponent(version ?? '')}`),
    enabled: version !== null,
  });
}
